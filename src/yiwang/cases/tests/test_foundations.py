"""Case numbers, the state table and deadlines (docs/cases.md; 行政许可法 §32, §42, §45, §82)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from tests.parallel import at_once, require_postgresql
from yiwang.cases.deadlines import case_due, correction_notice_in_time, remaining
from yiwang.cases.models import CaseStatus
from yiwang.cases.numbering import case_number_next
from yiwang.cases.workflow import WORKFLOW

pytestmark = pytest.mark.django_db


def test_numbers_are_readable_and_count_per_region_and_day() -> None:
    with transaction.atomic():
        first = case_number_next(region_code="990100", day=date(2026, 11, 22))
        second = case_number_next(region_code="990100", day=date(2026, 11, 22))
        other_day = case_number_next(region_code="990100", day=date(2026, 11, 23))
        other_region = case_number_next(region_code="990102", day=date(2026, 11, 22))
    assert (first, second) == ("990100-20261122-000001", "990100-20261122-000002")
    assert other_day == "990100-20261123-000001"
    assert other_region == "990102-20261122-000001"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_drawn_inside_the_creating_transaction() -> None:
    with pytest.raises(RuntimeError):
        case_number_next(region_code="990100", day=date(2026, 11, 22))


@pytest.mark.django_db(transaction=True)
def test_64_parallel_connections_get_64_distinct_numbers() -> None:
    require_postgresql()

    def draw() -> str:
        with transaction.atomic():
            return case_number_next(region_code="990100", day=date(2026, 11, 22))

    numbers = at_once([draw] * 64)
    assert all(isinstance(number, str) for number in numbers), numbers
    assert len(set(numbers)) == 64
    assert sorted(numbers)[-1] == "990100-20261122-000064"  # type: ignore[type-var]


def test_every_person_s_step_names_who_takes_it() -> None:
    """Only the nightly lapse is no one's step (the whole table is walked in test_back_office)."""
    assert [t.action for t in WORKFLOW if not t.roles] == ["lapse"]


def test_every_state_is_reachable_and_closed_states_stay_closed() -> None:
    reachable = {CaseStatus.SUBMITTED.value}
    while True:
        more = {to for t in WORKFLOW for frm in t.sources & reachable for to in t.lands(frm)} - reachable
        if not more:
            break
        reachable |= more
    assert reachable == set(CaseStatus.values)
    for final in (CaseStatus.CLOSED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN, CaseStatus.TERMINATED):
        assert not WORKFLOW.actions_from(final)


def test_the_deadline_skips_the_2026_national_day_holiday() -> None:
    # Accepted on Tuesday 2026-09-29 with 5 working days promised: 9-30 is day 1, 10-1…10-7 are the
    # holiday, 10-8 and 10-9 are days 2 and 3, Saturday 10-10 is a make-up working day (4), and
    # Monday 10-12 is day 5.
    due = case_due(counted_from=date(2026, 9, 29), limit=5)
    assert due.date == date(2026, 10, 12)
    assert not due.provisional


def test_pauses_and_extensions_move_the_deadline() -> None:
    plain = case_due(counted_from=date(2026, 11, 2), limit=10).date
    assert plain == date(2026, 11, 16)
    assert case_due(counted_from=date(2026, 11, 2), limit=10, paused=3).date == date(2026, 11, 19)
    assert case_due(counted_from=date(2026, 11, 2), limit=10, extension=10).date == date(2026, 11, 30)


def test_a_year_nobody_knows_gives_a_provisional_deadline() -> None:
    assert case_due(counted_from=date(2031, 3, 3), limit=5).provisional


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 12), (2, "green")),
        (date(2026, 11, 13), (1, "yellow")),
        (date(2026, 11, 16), (0, "yellow")),
        (date(2026, 11, 17), (-1, "red")),
    ],
)
def test_remaining_days_and_warning_levels(today: date, expected: tuple[int, str]) -> None:
    left = remaining(date(2026, 11, 16), today)  # a Monday
    assert left is not None
    assert (left.working_days, left.level) == expected


def test_a_correction_notice_is_due_within_five_working_days() -> None:
    # §32(4): received Friday 2026-09-25; five working days later is 2026-10-09 (after National Day).
    assert correction_notice_in_time(date(2026, 9, 25), date(2026, 10, 9))
    assert not correction_notice_in_time(date(2026, 9, 25), date(2026, 10, 10))
