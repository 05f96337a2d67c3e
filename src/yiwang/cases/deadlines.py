"""Case deadlines on the working-day calendar (calendar.md; 行政许可法 §42, §45, §82)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

from yiwang.calendar.workdays import Deadline, WorkdayCounter, add_working_days, workday_counter, working_days_between
from yiwang.cases.models import OPEN_STATUSES

if TYPE_CHECKING:
    from yiwang.cases.models import Case

# 行政许可法 §32(4): a correction notice later than this many working days after receipt cannot
# hold the application back: it counts as accepted from the day the materials were received.
CORRECTION_NOTICE_DAYS = 5


def case_due(*, counted_from: date, limit: int, extension: int = 0, paused: int = 0) -> Deadline:
    """The end of the last working day: day 0 is ``counted_from``; pauses and extensions add days."""
    return add_working_days(counted_from, limit + extension + paused)


@dataclass(frozen=True)
class Remaining:
    working_days: int  # negative when overdue
    level: str  # green | yellow | red
    stopped: bool = False  # a special procedure holds the clock

    @property
    def overdue_days(self) -> int:
        return max(0, -self.working_days)


def remaining(due_on: date | None, today: date, counter: WorkdayCounter | None = None) -> Remaining | None:
    """Working days left until ``due_on`` and the warning level (yellow at or below the setting).
    Lists pass one ``counter`` for all their rows (see ``list_counter``)."""
    if due_on is None:
        return None
    between = counter.between if counter is not None else working_days_between
    if due_on < today:
        return Remaining(-between(due_on, today).working_days, "red")
    left = between(today, due_on).working_days
    return Remaining(left, "yellow" if left <= settings.YIWANG_DEADLINE_YELLOW_DAYS else "green")


def case_remaining(case: Case, today: date, counter: WorkdayCounter | None = None) -> Remaining | None:
    """What a case's page and every list show: nothing once decided; frozen while the clock is stopped."""
    if case.status not in OPEN_STATUSES:
        return None
    if case.clock_stopped_on is not None:
        left = remaining(case.due_on, min(today, case.clock_stopped_on), counter)
        return replace(left, stopped=True) if left else None
    return remaining(case.due_on, today, counter)


def list_counter(today: date) -> WorkdayCounter:
    """A counter covering the deadlines an open case can have: a year either side of today."""
    return workday_counter(today - timedelta(days=366), today + timedelta(days=366))


def correction_notice_in_time(received_on: date, notice_on: date) -> bool:
    """§32(4): the one-time correction notice is due on the spot or within 5 working days."""
    return working_days_between(received_on, notice_on).working_days <= CORRECTION_NOTICE_DAYS
