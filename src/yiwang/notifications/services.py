"""Sending notifications: into the inbox at once, out by SMS and e-mail in the background."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from yiwang.audit.services import audit_record, field_changes
from yiwang.core.sms import sms_send
from yiwang.notifications.messages import render_message
from yiwang.notifications.models import ChannelPreference, Notification

if TYPE_CHECKING:
    from yiwang.accounts.models import User

logger = logging.getLogger(__name__)


def notify(*, recipient: User, template: str, context: dict[str, object], link: str = "") -> Notification:
    """Puts the message in the recipient's inbox; delivery by SMS/e-mail is queued for after commit."""
    subject, body = render_message(template, context)
    notification = Notification.objects.create(
        recipient=recipient, template=template, subject=subject, body=body, link=link[:300]
    )

    from yiwang.notifications.tasks import notification_deliver

    transaction.on_commit(lambda: notification_deliver(notification.pk))
    return notification


def channels_of(user: User) -> ChannelPreference:
    preference, _created = ChannelPreference.objects.get_or_create(user=user)
    return preference


@transaction.atomic
def channels_set(*, user: User, sms: bool, email: bool) -> ChannelPreference:
    preference = channels_of(user)
    changes = field_changes({"sms": preference.sms, "email": preference.email}, {"sms": sms, "email": email})
    preference.sms, preference.email = sms, email
    preference.save(update_fields=["sms", "email"])
    if changes:
        audit_record(actor=user, action="notifications.channels_set", target=preference, changes=changes)
    return preference


def notification_deliver_now(*, notification_id: int) -> list[str]:
    """Sends on each chosen channel not yet done; raises if a backend fails (the task retries)."""
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    user = notification.recipient
    preference = channels_of(user)
    done = list(notification.delivered)
    text = f"【一网通办】{notification.subject}：{notification.body}"
    if preference.sms and user.phone and "sms" not in done:
        sms_send(phone=user.phone, text=text)
        done.append("sms")
        Notification.objects.filter(pk=notification.pk).update(delivered=done)
    if preference.email and user.email and "email" not in done:
        send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [user.email])
        done.append("email")
        Notification.objects.filter(pk=notification.pk).update(delivered=done)
    return done


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
