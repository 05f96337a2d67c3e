"""Working days (工作日), as every statutory period on the platform counts them.

行政许可法 §82: the periods of this law for making a licensing decision are counted in working days,
not including statutory holidays. China's working calendar is not Monday to Friday: holidays and
调休 make-up working days are announced each year by the State Council.

For each date, in order of precedence:
1. a row in the administrator's table (local changes, or years the library does not know);
2. the ``chinesecalendar`` library for the years it knows (2004-2026 in 1.11.0);
3. Monday to Friday, when the administrator has marked the year's schedule complete;
4. Monday to Friday, flagged **provisional** with a warning logged: never a crash, never a silent guess.

Deadline convention (calendar.md): the day of acceptance is day 0; "within N working days" ends at
the end of the Nth following working day.

The administrator's table is small (tens of days a year) and read on every deadline, so each process
keeps one copy of it (``calendar_table``, a ``core.process_copy.ProcessCopy``) instead of reading it
per question; every write to the table makes the copies stale.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from yiwang.calendar.models import CalendarDay, CalendarYear, DayKind
from yiwang.core.errors import raise_problems
from yiwang.core.fields import date_problems
from yiwang.core.process_copy import ProcessCopy

logger = logging.getLogger(__name__)

MAX_WORKDAYS = 3650

# The library's holiday names, as the State Council's notices name them.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
MAKE_UP_SUFFIX = "调休上班"


@dataclass(frozen=True)
class Day:
    date: date
    working: bool
    provisional: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Deadline:
    date: date
    provisional: bool


@dataclass(frozen=True)
class Count:
    working_days: int
    provisional: bool


@lru_cache(maxsize=256)
def library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


_warned_years: set[int] = set()


def _warn_provisional(year: int) -> None:
    if year not in _warned_years:
        _warned_years.add(year)
        logger.warning(
            "working-day calendar: neither chinesecalendar nor the administrator's table covers %d; "
            "counting Monday to Friday and marking results provisional",
            year,
        )


@dataclass(frozen=True)
class Override:
    kind: str
    reason: str


@dataclass(frozen=True)
class CalendarTable:
    """The administrator's table as one process keeps it: the days it sets, the years it completes."""

    days: dict[date, Override]
    complete_years: frozenset[int]
    # Counters built from this copy, by span: a list of cases asks the same span all day long.
    counters: dict[tuple[date, date], WorkdayCounter] = field(default_factory=dict, compare=False)


def _table_load() -> CalendarTable:
    days = {
        row["date"]: Override(row["kind"], row["reason"])
        for row in CalendarDay.objects.values("date", "kind", "reason")
    }
    return CalendarTable(days, frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True)))


# Changed by every write to the table (the calendar app's signals): core.process_copy.
TABLE = ProcessCopy("calendar-table", _table_load)


def calendar_table() -> CalendarTable:
    """This process's copy of the administrator's table."""
    return TABLE.get()


class WorkCalendar:
    """Answers day questions for a span of dates from this process's copy of the administrator's table."""

    def __init__(self, start: date, end: date) -> None:
        self.start, self.end = start, end
        table = calendar_table()
        self.overrides = table.days
        self.complete_years = table.complete_years

    def covers(self, when: date) -> bool:
        return self.start <= when <= self.end

    def day(self, when: date) -> Day:
        override = self.overrides.get(when)
        if override is not None:
            return Day(when, override.kind == DayKind.WORK, False, override.reason)
        weekend = when.weekday() >= 5
        if library_knows(when.year):
            return _library_day(when)
        if when.year in self.complete_years:
            return Day(when, not weekend)
        _warn_provisional(when.year)
        return Day(when, not weekend, True)


@lru_cache(maxsize=8192)
def _library_day(when: date) -> Day:
    """What the installed chinesecalendar says of a day: fixed for the life of the process."""
    weekend = when.weekday() >= 5
    holiday, name = chinese_calendar.get_holiday_detail(when)
    chinese = HOLIDAY_NAMES.get(str(name), str(name or ""))
    if holiday and not weekend:
        return Day(when, False, False, chinese)
    if not holiday and weekend:
        return Day(when, True, False, f"{chinese}{MAKE_UP_SUFFIX}" if chinese else MAKE_UP_SUFFIX)
    return Day(when, not holiday, False, chinese if holiday and name else "")


def day_info(when: date) -> Day:
    return WorkCalendar(when, when).day(when)


def is_working_day(when: date) -> bool:
    return day_info(when).working


def add_working_days(start: date, workdays: int) -> Deadline:
    """The end of the ``workdays``-th working day after ``start`` (day 0)."""
    if not 0 <= workdays <= MAX_WORKDAYS:
        raise ValueError(f"workdays must be between 0 and {MAX_WORKDAYS}")
    raise_problems(date_problems(start, "start"))
    span = timedelta(days=workdays * 2 + 40)
    calendar = WorkCalendar(start, start + span)
    provisional = False
    current, counted = start, 0
    while counted < workdays:
        current += timedelta(days=1)
        if not calendar.covers(current):
            calendar = WorkCalendar(current, current + span)
        day = calendar.day(current)
        provisional |= day.provisional
        counted += day.working
    return Deadline(current, provisional)


def working_days_between(start: date, end: date) -> Count:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
    if end <= start:
        return Count(0, False)
    raise_problems(date_problems(start, "start") + date_problems(end, "end"))
    calendar = WorkCalendar(start, end)
    days = [calendar.day(start + timedelta(days=offset)) for offset in range(1, (end - start).days + 1)]
    return Count(sum(d.working for d in days), any(d.provisional for d in days))


class WorkdayCounter:
    """Working days between many pairs of dates from one load of the table: a list of cases shows
    each one's remaining days without two queries per row. Pairs outside the span fall back to
    ``working_days_between``."""

    def __init__(self, start: date, end: date) -> None:
        calendar = WorkCalendar(start, end)
        self.start, self.end = start, end
        working, provisional = [0], [0]
        for offset in range((end - start).days + 1):
            day = calendar.day(start + timedelta(days=offset))
            working.append(working[-1] + day.working)
            provisional.append(provisional[-1] + day.provisional)
        # _working[k + 1] = working days in start … start + k (inclusive).
        self._working, self._provisional = working, provisional

    def between(self, start: date, end: date) -> Count:
        """As ``working_days_between``: days after ``start`` up to and including ``end``."""
        if end <= start:
            return Count(0, False)
        if not (self.start <= start and end <= self.end):
            return working_days_between(start, end)
        a, b = (start - self.start).days + 1, (end - self.start).days + 1
        return Count(self._working[b] - self._working[a], self._provisional[b] > self._provisional[a])


def year_exceptions(year: int) -> tuple[list[Day], bool]:
    """Every day of ``year`` that differs from Monday-to-Friday, and whether the year is provisional."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    calendar = WorkCalendar(first, last)
    days = [calendar.day(first + timedelta(days=offset)) for offset in range((last - first).days + 1)]
    provisional = any(d.provisional for d in days)
    exceptions = [d for d in days if d.working == (d.date.weekday() >= 5) or (d.date in calendar.overrides)]
    return exceptions, provisional


COUNTERS_KEPT = 16


def workday_counter(start: date, end: date) -> WorkdayCounter:
    """A ``WorkdayCounter`` for the span, built once per copy of the table and span."""
    counters = calendar_table().counters
    counter = counters.get((start, end))
    if counter is None:
        if len(counters) >= COUNTERS_KEPT:
            counters.clear()
        counter = counters[(start, end)] = WorkdayCounter(start, end)
    return counter


def workdays_warm_up() -> None:
    """This process's copy of the table and the library's days around today, before the first request
    counts a deadline (core.warmup)."""
    from django.utils import timezone

    today = timezone.localdate()
    add_working_days(today, 60)
    working_days_between(today - timedelta(days=120), today)
