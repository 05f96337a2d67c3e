"""Writes of the calendar context: the administrator's table of days, and the years it completes.

Every write checks the actor's permission and the field rules (core.fields) and leaves an audit
record; nothing typed is cut to fit a column.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record, field_changes
from yiwang.calendar.models import CalendarDay, CalendarYear, DayKind
from yiwang.core.errors import PermissionDenied, raise_problems
from yiwang.core.fields import FIRST_DAY, LAST_DAY, Problem, choice_problems, date_problems, text_problems

if TYPE_CHECKING:
    from yiwang.accounts.models import User

CHANGE = ("workcalendar.add_calendarday", "workcalendar.change_calendarday", "workcalendar.delete_calendarday")
YEAR_CHANGE = ("workcalendar.add_calendaryear", "workcalendar.change_calendaryear")


def _require(actor: User | None, perms: tuple[str, ...] = CHANGE) -> None:
    if actor is not None and not actor.has_perms(perms):
        raise PermissionDenied()


def day_problems(*, when: date | None, kind: str, reason: str) -> list[Problem]:
    """A day of the table: a day the calendar counts, off or working, and a short reason."""
    return [
        *date_problems(when, "date", required=True),
        *choice_problems(kind, "kind", DayKind.values),
        *text_problems(reason, "reason", max_length=100),
    ]


def year_problems(*, year: int | None, note: str) -> list[Problem]:
    """A year of the calendar's range, with a short note."""
    problems: list[Problem] = []
    if year is None or not FIRST_DAY.year <= year <= LAST_DAY.year:
        problems.append(
            (
                "year",
                _("Enter a year between %(first)s and %(last)s.") % {"first": FIRST_DAY.year, "last": LAST_DAY.year},
            )
        )
    return problems + text_problems(note, "note", max_length=200)


@transaction.atomic
def calendar_day_set(*, actor: User | None, when: date, kind: str, reason: str = "") -> CalendarDay:
    _require(actor)
    raise_problems(day_problems(when=when, kind=kind, reason=reason))
    existing = CalendarDay.objects.filter(date=when).first()
    before: dict[str, Any] = {"kind": existing.kind, "reason": existing.reason} if existing else {}
    day, _created = CalendarDay.objects.update_or_create(
        date=when, defaults={"kind": kind, "reason": reason.strip(), "updated_by": actor}
    )
    changes = field_changes(before, {"kind": day.kind, "reason": day.reason})
    if changes:
        audit_record(actor=actor, action="calendar.day_set", target=day, changes=changes)
    return day


@transaction.atomic
def calendar_day_clear(*, actor: User | None, when: date) -> None:
    """Takes ``when`` out of the table: the day is counted as the State Council's calendar (or the
    week) has it again. Deadlines may move, so the removal is audited like a change."""
    _require(actor)
    day = CalendarDay.objects.select_for_update().filter(date=when).first()
    if day is None:
        return
    audit_record(
        actor=actor,
        action="calendar.day_clear",
        target=day,
        changes={"kind": [day.kind, None], "reason": [day.reason, None]},
    )
    day.delete()


@transaction.atomic
def calendar_year_replace(
    *, actor: User | None, year: int, days: list[tuple[date, str, str]], note: str = ""
) -> CalendarYear:
    """Replaces the table's days of ``year`` with ``days`` and marks the year's schedule complete."""
    _require(actor)
    raise_problems(
        year_problems(year=year, note=note)
        + [problem for when, kind, reason in days for problem in day_problems(when=when, kind=kind, reason=reason)]
    )
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=when, kind=kind, reason=reason.strip(), updated_by=actor) for when, kind, reason in days
    )
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"complete": True, "note": note.strip()}
    )
    audit_record(
        actor=actor,
        action="calendar.year_replace",
        target=calendar_year,
        changes={"days": [None, [[str(d), k, r] for d, k, r in days]]},
    )
    return calendar_year


@transaction.atomic
def calendar_year_set(*, actor: User | None, year: int, complete: bool, note: str = "") -> CalendarYear:
    """Marks ``year``'s schedule complete in the table (its deadlines are then firm) or not, with a note."""
    _require(actor, YEAR_CHANGE)
    raise_problems(year_problems(year=year, note=note))
    stored = CalendarYear.objects.select_for_update().filter(year=year).first()
    before: dict[str, Any] = {"year": year, "complete": stored.complete, "note": stored.note} if stored else {}
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"complete": complete, "note": note.strip()}
    )
    changes = field_changes(before, {"year": year, "complete": complete, "note": calendar_year.note})
    if changes:
        audit_record(actor=actor, action="calendar.year_set", target=calendar_year, changes=changes)
    return calendar_year
