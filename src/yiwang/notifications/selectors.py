from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from yiwang.notifications.models import Notification

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def inbox(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
