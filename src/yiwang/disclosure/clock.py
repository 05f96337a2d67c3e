"""The legal clock of a request (docs/disclosure.md §2): a function of its events and the working-day
calendar, so that every due date can show how it was reached — which days were counted, which were
paused and why, which were not working days (weekends, holidays) and which were 调休 make-up days.

§31 day 0 is the day received; §33 the reply is due by the end of the 20th working day after it; §30 a
correction restarts the count from the day the corrected request arrives; §32/§34 a consultation's
working days are not counted, at most the 15 the consulted party has; 国办函〔2020〕109号 the days from
a fee notice to payment are not counted; §33 one extension adds its working days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from django.utils.translation import gettext as _

from yiwang.calendar.workdays import Day, WorkCalendar
from yiwang.disclosure import rules
from yiwang.disclosure.choices import ClockEventKind as K


class Event(Protocol):
    kind: str
    on: date
    days: int | None


# What each day of the computation was.
START, COUNTED, PAUSED, REST, WAITING, VOIDED, BEYOND_CAP = (
    "start",
    "counted",
    "paused",
    "rest",
    "waiting",
    "voided",
    "beyond_cap",
)


@dataclass(frozen=True)
class Step:
    day: date
    state: str
    reason: str = ""
    ordinal: int = 0  # the working day's number in the count (counted days only)


@dataclass(frozen=True)
class Run:
    """Consecutive days of one state and reason, as the page shows them."""

    first: date
    last: date
    state: str
    reason: str
    working_days: int
    ordinals: tuple[int, int] = (0, 0)


@dataclass
class Clock:
    start: date | None = None
    limit: int = rules.REPLY_WORKING_DAYS
    due: date | None = None
    counted: int = 0
    paused: int = 0
    extension: int = 0
    waiting: bool = False  # for the requester's correction: no due date until it arrives
    pausing: str = ""  # the open pause's reason, when one is open
    replied_on: date | None = None
    steps: list[Step] = field(default_factory=list)
    provisional: bool = False

    @property
    def on_time(self) -> bool | None:
        if self.replied_on is None or self.due is None:
            return None
        return self.replied_on <= self.due

    def runs(self) -> list[Run]:
        runs: list[Run] = []
        for step in self.steps:
            last = runs[-1] if runs else None
            working = int(step.state in (COUNTED, PAUSED, WAITING, VOIDED, BEYOND_CAP))
            if (
                last is not None
                and last.state == step.state
                and last.reason == step.reason
                and step.day == last.last + timedelta(days=1)
                and step.state != START
            ):
                first_ordinal = last.ordinals[0] or step.ordinal
                runs[-1] = Run(
                    last.first,
                    step.day,
                    step.state,
                    step.reason,
                    last.working_days + working,
                    (first_ordinal, step.ordinal or last.ordinals[1]),
                )
            else:
                runs.append(Run(step.day, step.day, step.state, step.reason, working, (step.ordinal, step.ordinal)))
        return runs


def _pause_reason(kind: str) -> str:
    return _("consultation (§32, §34)") if kind == K.CONSULTATION_STARTED else _("fee notice to payment")


def compute(events: Sequence[Event], *, today: date, day_info: Callable[[date], Day] | None = None) -> Clock:
    """The clock after ``events`` (in the order they happened), as it stands on ``today``: an open
    pause is taken to last through ``today``, so the due date shown is the earliest it can be."""
    # In the order they happened: by day, then by the moment recorded (a pause started and ended on one
    # day must close); events without a recorded moment keep the order given.
    ordered = sorted(events, key=lambda e: (e.on, _moment(e), getattr(e, "pk", 0) or 0))
    clock = Clock()
    received = next((e for e in ordered if e.kind == K.RECEIVED), None)
    if received is None:
        return clock
    span_end = max([today, *(e.on for e in ordered)]) + timedelta(days=200)
    calendar = day_info or WorkCalendar(received.on, span_end).day
    clock.start = received.on
    clock.steps.append(Step(received.on, START, _("received (§31)")))
    pauses: list[tuple[date, date | None, str]] = []  # (from, to or open, reason): days after from, to to
    voided_until: date | None = None
    waiting_from: date | None = None
    pause_from: tuple[date, str] | None = None
    for event in ordered:
        if event.kind == K.CORRECTION_REQUESTED:
            waiting_from = event.on
        elif event.kind == K.CORRECTED and waiting_from is not None:
            voided_until = waiting_from
            clock.start = event.on
            pauses = []  # the count starts again: nothing before it matters
            clock.steps.append(Step(event.on, START, _("corrected request received: the count restarts (§30)")))
            waiting_from = None
        elif event.kind in (K.CONSULTATION_STARTED, K.FEE_NOTICE):
            pause_from = (event.on, event.kind)
        elif event.kind in (K.CONSULTATION_ENDED, K.FEE_PAID) and pause_from is not None:
            pauses.append((pause_from[0], event.on, pause_from[1]))
            pause_from = None
        elif event.kind == K.EXTENDED:
            clock.extension += event.days or 0
        elif event.kind == K.REPLIED:
            clock.replied_on = event.on
    if pause_from is not None:
        pauses.append((pause_from[0], None, pause_from[1]))
        clock.pausing = _pause_reason(pause_from[1])
    clock.limit = rules.REPLY_WORKING_DAYS + clock.extension
    if waiting_from is not None:
        clock.waiting = True
    _walk(clock, received.on, voided_until, waiting_from, pauses, today=today, calendar=calendar)
    clock.steps.sort(key=lambda s: (s.day, s.state != START))
    return clock


def _moment(event: Event) -> float:
    at = getattr(event, "at", None)
    return at.timestamp() if at is not None else 0.0


def _rest_reason(day: Day) -> str:
    return day.reason or _("weekend")


def _walk(
    clock: Clock,
    received_on: date,
    voided_until: date | None,
    waiting_from: date | None,
    pauses: Iterable[tuple[date, date | None, str]],
    *,
    today: date,
    calendar: Callable[[date], Day],
) -> None:
    assert clock.start is not None
    pause_list = list(pauses)
    # Days before a restart: shown as they were, then voided by the correction.
    if voided_until is not None:
        day = received_on
        while day < clock.start:
            day += timedelta(days=1)
            info = calendar(day)
            clock.provisional |= info.provisional
            if day == clock.start:
                break
            if not info.working:
                clock.steps.append(Step(day, REST, _rest_reason(info)))
            elif day <= voided_until:
                clock.steps.append(Step(day, VOIDED, _("counted before the correction request, then voided (§30)")))
            else:
                clock.steps.append(Step(day, WAITING, _("waiting for the requester's correction (§30)")))
    if waiting_from is not None:
        # No due date until the correction arrives: show what was counted and the waiting up to today.
        day = clock.start
        ordinal = 0
        while day < today:
            day += timedelta(days=1)
            info = calendar(day)
            clock.provisional |= info.provisional
            if not info.working:
                clock.steps.append(Step(day, REST, _rest_reason(info)))
            elif day <= waiting_from:
                ordinal += 1
                clock.steps.append(Step(day, COUNTED, _("counted"), ordinal))
            else:
                clock.steps.append(Step(day, WAITING, _("waiting for the requester's correction (§30)")))
        clock.counted = ordinal
        return
    paused_in: dict[tuple[date, str], int] = {}
    day, counted = clock.start, 0
    guard = clock.start + timedelta(days=3650)
    while counted < clock.limit and day < guard:
        day += timedelta(days=1)
        info = calendar(day)
        clock.provisional |= info.provisional
        if not info.working:
            clock.steps.append(Step(day, REST, _rest_reason(info)))
            continue
        pause = next(
            (p for p in pause_list if p[0] < day and ((p[1] is None and day <= today) or (p[1] and day <= p[1]))), None
        )
        if pause is not None:
            key = (pause[0], pause[2])
            used = paused_in.get(key, 0)
            cap = rules.CONSULTATION_WORKING_DAYS if pause[2] == K.CONSULTATION_STARTED else None
            if cap is None or used < cap:
                paused_in[key] = used + 1
                clock.paused += 1
                clock.steps.append(Step(day, PAUSED, _pause_reason(pause[2])))
                continue
            counted += 1
            clock.steps.append(
                Step(day, BEYOND_CAP, _("consultation beyond its 15 working days: counted (§32)"), counted)
            )
            continue
        counted += 1
        reason = _("counted") if not info.reason else _("counted (%(day)s)") % {"day": info.reason}
        clock.steps.append(Step(day, COUNTED, reason, counted))
    clock.counted = counted
    clock.due = day
