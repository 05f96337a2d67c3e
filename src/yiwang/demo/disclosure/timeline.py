"""The demo's past, replayed: every step of the disclosure year is a service call made on its own working
day and hour, with Django's clock set there, so that the services date what they record (items formed and
published, requests received, clocks, replies, the audit trail) as an office would have, and check their
own rules (§26, §30, §33) against that day. Steps run in the order of their times whatever the story they
belong to, so index and request numbers follow the calendar; a step later than the real now has not
happened yet and is left out with every step of its story after it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from unittest import mock

from django.utils import timezone

from yiwang.calendar.workdays import HOLIDAY_NAMES, WorkCalendar


class Workdays:
    """The working days of a span, from one load of the platform's calendar (``calendar.workdays``: the
    State Council's holidays and 调休 make-up days, the administrator's table), for the demo's arithmetic.
    ``after`` counts as ``add_working_days`` does: day 0 is the start, the n-th working day after it."""

    def __init__(self, start: date, end: date) -> None:
        calendar = WorkCalendar(start, end)
        self.start, self.end = start, end
        self.calendar = [calendar.day(start + timedelta(days=n)) for n in range((end - start).days + 1)]
        self.days = [day.date for day in self.calendar if day.working]

    def on_or_after(self, day: date) -> date:
        index = bisect_left(self.days, day)
        return self.days[index] if index < len(self.days) else day

    def on_or_before(self, day: date) -> date:
        return self.days[max(0, bisect_right(self.days, day) - 1)]

    def after(self, day: date, n: int) -> date:
        """Past the span's end the count goes on in calendar days: such a day is in the future, and a step
        there is never run."""
        if n == 0:
            return day
        index = bisect_right(self.days, day) + n - 1
        return self.days[index] if index < len(self.days) else max(day, self.end) + timedelta(days=n)

    def before(self, day: date, n: int) -> date:
        """The working day ``n`` working days before ``day`` (before the first working day on or after it)."""
        return self.days[max(0, bisect_left(self.days, day) - n)]

    def holidays(self, first: date) -> list[tuple[date, date, str, list[date]]]:
        """The statutory holidays of the span from ``first`` on: (first day off, last day off, name, the
        make-up working days around it), a holiday that runs into another (中秋, 国庆) named with both."""
        runs: list[tuple[date, date, str, list[date]]] = []
        names = {name for name in HOLIDAY_NAMES.values()}
        for day in self.calendar:
            if day.working or day.reason not in names or day.date < first:
                continue
            if runs and (day.date - runs[-1][1]).days <= 3:
                start, _end, name, _make_up = runs[-1]
                joined = name if day.reason in name.split("、") else f"{name}、{day.reason}"
                runs[-1] = (start, day.date, joined, [])
            else:
                runs.append((day.date, day.date, day.reason, []))
        for start, end, _name, make_up in runs:
            make_up.extend(
                d.date
                for d in self.calendar
                if d.working and d.date.weekday() >= 5 and -10 <= (d.date - start).days <= (end - start).days + 10
            )
        return runs

    def between(self, first: date, last: date) -> list[date]:
        return self.days[bisect_left(self.days, first) : bisect_right(self.days, last)]


@contextmanager
def clock_at(instant: datetime) -> Iterator[None]:
    """Django's clock (``timezone.now``, and ``localdate`` through it) at ``instant``, running on from there.
    Not ``time_machine``: that is a test tool, and ``make run`` installs no test tools."""
    real = timezone.now
    started = real()
    # In UTC, as Django's own clock answers: what is stored and read back must be the same instant in the
    # same form (the audit trail digests the time it records).
    base = instant.astimezone(UTC)

    def now() -> datetime:
        return base + (real() - started)

    with mock.patch.object(timezone, "now", now):
        yield


@dataclass(order=True)
class _Step:
    at: datetime
    seq: int
    run: Callable[[], object] = field(compare=False)
    story: int = field(compare=False)


class Timeline:
    """Steps collected from every story, then run in time order up to ``now``."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._steps: list[_Step] = []
        self._stories = 0
        self.run_count = 0
        self.left_for_later = 0

    def story(self) -> Story:
        self._stories += 1
        return Story(self, self._stories)

    def _add(self, story: int, day: date, hour: int, minute: int, run: Callable[[], object]) -> datetime:
        at = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        self._steps.append(_Step(at, len(self._steps), run, story))
        return at

    def run(self) -> None:
        stopped: set[int] = set()
        for step in sorted(self._steps):
            if step.story in stopped or step.at > self.now:
                stopped.add(step.story)
                self.left_for_later += 1
                continue
            with clock_at(step.at):
                step.run()
            self.run_count += 1


class Story:
    """The steps of one item, request or record, each later than the one before."""

    def __init__(self, timeline: Timeline, number: int) -> None:
        self.timeline, self.number = timeline, number
        self.last: datetime | None = None

    def then(self, day: date, hour: int, run: Callable[[], object], *, minute: int = 0) -> Story:
        at = self.timeline._add(self.number, day, hour, minute + self.number % 40, run)
        if self.last is not None and at <= self.last:
            raise ValueError(f"story {self.number}: a step at {at} follows one at {self.last}")
        self.last = at
        return self
