"""Writes of the calendar context: the administrator's table of days."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from yiwang.audit.services import audit_record, field_changes
from yiwang.calendar.models import CalendarDay, CalendarYear
from yiwang.core.errors import PermissionDenied

if TYPE_CHECKING:
    from yiwang.accounts.models import User

CHANGE = ("workcalendar.add_calendarday", "workcalendar.change_calendarday", "workcalendar.delete_calendarday")


def _require(actor: User | None) -> None:
    if actor is not None and not actor.has_perms(CHANGE):
        raise PermissionDenied()


@transaction.atomic
def calendar_day_set(*, actor: User | None, when: date, kind: str, reason: str = "") -> CalendarDay:
    _require(actor)
    existing = CalendarDay.objects.filter(date=when).first()
    before: dict[str, Any] = {"kind": existing.kind, "reason": existing.reason} if existing else {}
    day, _created = CalendarDay.objects.update_or_create(
        date=when, defaults={"kind": kind, "reason": reason[:100], "updated_by": actor}
    )
    changes = field_changes(before, {"kind": day.kind, "reason": day.reason})
    if changes:
        audit_record(actor=actor, action="calendar.day_set", target=day, changes=changes)
    return day


@transaction.atomic
def calendar_year_replace(
    *, actor: User | None, year: int, days: list[tuple[date, str, str]], note: str = ""
) -> CalendarYear:
    """Replaces the table's days of ``year`` with ``days`` and marks the year's schedule complete."""
    _require(actor)
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=when, kind=kind, reason=reason[:100], updated_by=actor) for when, kind, reason in days
    )
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"complete": True, "note": note[:200]}
    )
    audit_record(
        actor=actor,
        action="calendar.year_replace",
        target=calendar_year,
        changes={"days": [None, [[str(d), k, r] for d, k, r in days]]},
    )
    return calendar_year
