"""The legal clock (docs/disclosure.md §2): §33's 20 working days, §30's restart after a correction, §32's
uncounted consultation (at most 15 working days), the fee's pause, one extension — on a calendar with
weekends, a holiday and a 调休 make-up Saturday."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from yiwang.calendar.workdays import Day
from yiwang.disclosure import clock
from yiwang.disclosure.choices import ClockEventKind as K

HOLIDAY = {date(2026, 3, 16): "测试节"}
MAKE_UP = {date(2026, 3, 21): "测试节调休上班"}


def calendar(day: date) -> Day:
    if day in HOLIDAY:
        return Day(day, False, False, HOLIDAY[day])
    if day in MAKE_UP:
        return Day(day, True, False, MAKE_UP[day])
    return Day(day, day.weekday() < 5, False, "")


@dataclass
class E:
    kind: str
    on: date
    days: int | None = None


def working_after(start: date, n: int) -> date:
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        counted += calendar(day).working
    return day


def test_twenty_working_days_from_receipt_across_a_holiday_and_a_make_up_day() -> None:
    """§33: day 0 is the day received; the 16th is a holiday (not counted), Saturday the 21st a make-up
    working day (counted)."""
    received = date(2026, 3, 2)  # a Monday
    result = clock.compute([E(K.RECEIVED, received)], today=received, day_info=calendar)
    assert result.due == working_after(received, 20)
    assert result.counted == 20
    reasons = {step.day: step for step in result.steps}
    assert reasons[date(2026, 3, 16)].state == clock.REST and reasons[date(2026, 3, 16)].reason == "测试节"
    assert reasons[date(2026, 3, 21)].state == clock.COUNTED and "调休" in reasons[date(2026, 3, 21)].reason
    assert reasons[date(2026, 3, 7)].state == clock.REST  # a plain Saturday
    # 3 Mar … 27 Mar holds 19 weekdays, less the holiday, plus the make-up Saturday: due on 30 March.
    assert result.due == date(2026, 3, 30)
    runs = result.runs()
    assert runs[0].state == clock.START and runs[-1].last == result.due
    assert sum(run.working_days for run in runs if run.state == clock.COUNTED) == 20


def test_a_correction_restarts_the_count_from_the_corrected_request() -> None:
    """§30: the reply period runs from the day the corrected request arrives; the days before are void and
    the days waiting for the requester are not counted."""
    events = [
        E(K.RECEIVED, date(2026, 3, 2)),
        E(K.CORRECTION_REQUESTED, date(2026, 3, 4)),
        E(K.CORRECTED, date(2026, 3, 11)),
    ]
    result = clock.compute(events, today=date(2026, 3, 11), day_info=calendar)
    assert result.start == date(2026, 3, 11)
    assert result.due == working_after(date(2026, 3, 11), 20)
    states = {step.day: step.state for step in result.steps}
    assert states[date(2026, 3, 3)] == clock.VOIDED
    assert states[date(2026, 3, 5)] == clock.WAITING
    assert states[date(2026, 3, 11)] == clock.START


def test_while_waiting_for_a_correction_there_is_no_due_date() -> None:
    events = [E(K.RECEIVED, date(2026, 3, 2)), E(K.CORRECTION_REQUESTED, date(2026, 3, 4))]
    result = clock.compute(events, today=date(2026, 3, 10), day_info=calendar)
    assert result.waiting and result.due is None
    assert result.counted == 2  # the 3rd and 4th, until the request went out


def test_a_consultation_is_not_counted() -> None:
    """§32: the third party's time is not counted: ten working days paused move the due date by ten."""
    received = date(2026, 3, 2)
    events = [
        E(K.RECEIVED, received),
        E(K.CONSULTATION_STARTED, date(2026, 3, 4)),
        E(K.CONSULTATION_ENDED, date(2026, 3, 18)),
    ]
    result = clock.compute(events, today=date(2026, 3, 20), day_info=calendar)
    paused = [step for step in result.steps if step.state == clock.PAUSED]
    # 5 Mar … 18 Mar: ten weekdays, less the holiday on the 16th = 9 working days paused.
    assert len(paused) == result.paused == 9
    assert result.due == working_after(received, 20 + 9)


def test_a_consultation_pauses_at_most_fifteen_working_days() -> None:
    received = date(2026, 3, 2)
    events = [
        E(K.RECEIVED, received),
        E(K.CONSULTATION_STARTED, date(2026, 3, 2)),
        E(K.CONSULTATION_ENDED, date(2026, 4, 30)),
    ]
    result = clock.compute(events, today=date(2026, 4, 30), day_info=calendar)
    assert result.paused == 15
    assert any(step.state == clock.BEYOND_CAP for step in result.steps)
    assert result.due == working_after(received, 20 + 15)


def test_an_open_consultation_pauses_through_today() -> None:
    received = date(2026, 3, 2)
    events = [E(K.RECEIVED, received), E(K.CONSULTATION_STARTED, date(2026, 3, 4))]
    result = clock.compute(events, today=date(2026, 3, 6), day_info=calendar)
    assert result.pausing and result.paused == 2
    assert result.due == working_after(received, 22)


def test_the_fee_notice_pauses_until_paid_and_an_extension_adds_its_days() -> None:
    received = date(2026, 3, 2)
    events = [
        E(K.RECEIVED, received),
        E(K.FEE_NOTICE, date(2026, 3, 3)),
        E(K.FEE_PAID, date(2026, 3, 5)),
        E(K.EXTENDED, date(2026, 3, 20), days=10),
    ]
    result = clock.compute(events, today=date(2026, 3, 20), day_info=calendar)
    assert result.paused == 2 and result.extension == 10 and result.limit == 30
    assert result.due == working_after(received, 32)


@pytest.mark.parametrize(("replied", "on_time"), [(date(2026, 3, 30), True), (date(2026, 3, 31), False)])
def test_a_reply_is_on_time_by_the_end_of_the_due_day(replied: date, on_time: bool) -> None:
    events = [E(K.RECEIVED, date(2026, 3, 2)), E(K.REPLIED, replied)]
    result = clock.compute(events, today=replied, day_info=calendar)
    assert result.on_time is on_time


@dataclass
class Recorded:
    """An event as the ledger keeps it: the moment recorded orders events of one day."""

    kind: str
    on: date
    at: datetime
    pk: int
    days: int | None = None


def test_a_pause_started_and_ended_on_one_day_closes() -> None:
    """Found by review: "ended" used to sort before "started" on the same day and left the pause open."""
    day = date(2026, 3, 4)
    at = datetime(2026, 3, 4, 9, 0)
    for started, ended in ((K.CONSULTATION_STARTED, K.CONSULTATION_ENDED), (K.FEE_NOTICE, K.FEE_PAID)):
        events = [
            Recorded(K.RECEIVED, date(2026, 3, 2), at - timedelta(days=2), 1),
            Recorded(started, day, at, 2),
            Recorded(ended, day, at + timedelta(hours=1), 3),
        ]
        result = clock.compute(events, today=date(2026, 4, 30), day_info=calendar)
        assert result.paused == 0 and not result.pausing
        assert result.due == working_after(date(2026, 3, 2), 20)
