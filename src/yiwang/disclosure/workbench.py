"""Information disclosure's entries in the staff workbench and on my page: the office's queue, its
requests due within three working days (and overdue) as tasks, and 我的信息公开申请 for the requester."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.calendar.workdays import add_working_days
from yiwang.disclosure import rules, selectors
from yiwang.workbench.registry import NavEntry, WorkItem, register_nav, register_task_source

if TYPE_CHECKING:
    from yiwang.accounts.models import User

DISCLOSURE = gettext_lazy("Information disclosure")


def _due_requests(user: User) -> list[WorkItem]:
    today = timezone.localdate()
    soon = add_working_days(today, rules.REMINDER_WORKING_DAYS).date
    items = []
    for made in selectors.requests_for_staff(user).filter(due_on__lte=soon)[:50]:
        if not selectors.may_handle(user, made) or made.due_on is None:
            continue
        due = timezone.make_aware(datetime.combine(made.due_on, time(23, 59)))
        items.append(
            WorkItem(
                title=f"{made.number} {made.description[:30]}",
                url=reverse("disclosure_staff:request", args=[made.pk]),
                kind=gettext_lazy("Disclosure request"),
                due=due,
                urgency="danger" if made.due_on < today else "warn",
            )
        )
    return items


def my_requests(user: User) -> list[Any]:
    return list(selectors.requests_of(user)[:5])


def register() -> None:
    register_nav(
        NavEntry(
            "disclosure",
            DISCLOSURE,
            gettext_lazy("Disclosure requests and items"),
            "disclosure_staff:queue",
            frozenset({Role.DISCLOSURE_OFFICER, Role.SUPERVISOR}),
            70,
        )
    )
    register_task_source(frozenset({Role.DISCLOSURE_OFFICER}), _due_requests)
