"""Working days (calendar.md; 行政许可法 §82: licensing periods count working days, not statutory holidays)."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from yiwang.calendar import workdays
from yiwang.calendar.models import CalendarDay, CalendarYear, DayKind
from yiwang.calendar.services import calendar_day_set, calendar_year_replace
from yiwang.calendar.workdays import add_working_days, day_info, is_working_day, working_days_between, year_exceptions

pytestmark = pytest.mark.django_db

MAKE_UP_WORKING_WEEKENDS_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]
NATIONAL_DAY_2026_OFF = [date(2026, 10, d) for d in range(1, 8)]


@pytest.fixture(autouse=True)
def _fresh_warnings() -> None:
    workdays._warned_years.clear()


@pytest.mark.parametrize("day", MAKE_UP_WORKING_WEEKENDS_2026)
def test_the_make_up_weekends_of_2026_are_working_days(day: date) -> None:
    assert day.weekday() >= 5
    info = day_info(day)
    assert info.working
    assert info.reason.endswith("调休上班")
    assert not info.provisional


@pytest.mark.parametrize("day", NATIONAL_DAY_2026_OFF)
def test_the_national_day_week_2026_is_off(day: date) -> None:
    assert not is_working_day(day)


def test_holidays_have_their_chinese_names() -> None:
    assert day_info(date(2026, 10, 1)).reason == "国庆节"
    assert day_info(date(2026, 2, 17)).reason == "春节"
    assert day_info(date(2026, 9, 20)).reason == "国庆节调休上班"


def test_accepted_before_national_day_the_deadline_skips_the_week_and_counts_the_make_up_saturday() -> None:
    # Day 0 is Wed 30 Sep. Off 1-7 Oct; 8 (Thu) 1, 9 (Fri) 2, Sat 10 (调休) 3, Mon 12 4, Tue 13 5.
    assert add_working_days(date(2026, 9, 30), 5) == workdays.Deadline(date(2026, 10, 13), provisional=False)


def test_zero_working_days_is_the_day_itself() -> None:
    assert add_working_days(date(2026, 10, 1), 0).date == date(2026, 10, 1)


def test_twenty_working_days_over_spring_festival() -> None:
    # 行政许可法 §42: a decision within 20 working days of acceptance.
    # Accepted Mon 2 Feb 2026: 3-6 (4), 9-13 (9), Sat 14 调休 (10), 16-20 and 23 off, 24-27 (14),
    # Sat 28 调休 (15), Mar 2-6 (20).
    assert add_working_days(date(2026, 2, 2), 20).date == date(2026, 3, 6)


def test_crossing_into_a_year_nobody_knows_is_provisional_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="yiwang.calendar.workdays")
    # Mon 28 Dec 2026: 29, 30, 31 (3); 2027 unknown, so Monday to Friday: Fri 1 Jan (4), Mon 4 Jan (5).
    result = add_working_days(date(2026, 12, 28), 5)
    assert result == workdays.Deadline(date(2027, 1, 4), provisional=True)
    assert any("2027" in r.getMessage() for r in caplog.records)


def test_crossing_into_a_year_with_its_table_is_not_provisional() -> None:
    calendar_year_replace(
        actor=None, year=2027, days=[(date(2027, 1, 1), DayKind.REST, "元旦")], note="国务院办公厅通知"
    )
    # 29, 30, 31 (3); 1 Jan off; Mon 4 (4), Tue 5 (5).
    assert add_working_days(date(2026, 12, 28), 5) == workdays.Deadline(date(2027, 1, 5), provisional=False)


def test_a_partial_table_for_an_unknown_year_stays_provisional() -> None:
    calendar_day_set(actor=None, when=date(2027, 1, 1), kind=DayKind.REST, reason="元旦")
    CalendarYear.objects.filter(year=2027).delete()
    assert add_working_days(date(2026, 12, 28), 5) == workdays.Deadline(date(2027, 1, 5), provisional=True)


def test_a_local_change_overrides_the_library() -> None:
    calendar_day_set(actor=None, when=date(2026, 12, 31), kind=DayKind.REST, reason="本地停止办公")
    assert not is_working_day(date(2026, 12, 31))
    assert day_info(date(2026, 12, 31)).reason == "本地停止办公"


def test_working_days_between() -> None:
    count = working_days_between(date(2026, 9, 30), date(2026, 10, 13))
    assert (count.working_days, count.provisional) == (5, False)
    assert working_days_between(date(2026, 10, 13), date(2026, 9, 30)).working_days == 0


def test_year_exceptions_2026_list_every_non_default_day() -> None:
    days, provisional = year_exceptions(2026)
    assert not provisional
    assert {d.date for d in days if d.working} == set(MAKE_UP_WORKING_WEEKENDS_2026)
    assert date(2026, 10, 5) in {d.date for d in days if not d.working}
    assert len(days) == 25


def test_year_exceptions_of_an_unknown_year_are_provisional() -> None:
    days, provisional = year_exceptions(2031)
    assert provisional
    assert days == []


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="workdays"):
        add_working_days(date(2026, 1, 1), -1)


def test_a_deadline_costs_two_queries(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2):
        add_working_days(date(2026, 9, 30), 20)


def test_table_rows_are_found_by_date() -> None:
    calendar_day_set(actor=None, when=date(2026, 6, 1), kind=DayKind.REST, reason="测试")
    assert CalendarDay.objects.get(date=date(2026, 6, 1)).kind == DayKind.REST


def test_a_counter_agrees_with_working_days_between_for_every_pair(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    calendar_day_set(actor=None, when=date(2026, 12, 31), kind=DayKind.REST, reason="本地停止办公")
    with django_assert_num_queries(2):
        counter = workdays.WorkdayCounter(date(2026, 9, 1), date(2027, 2, 28))
    days = [date(2026, 9, 1), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 12)]
    days += [date(2026, 12, 30), date(2027, 1, 4), date(2027, 2, 28)]
    for start in days:
        for end in days:
            assert counter.between(start, end) == working_days_between(start, end), (start, end)
    # 2027 is beyond the library: provisional in both; outside the span the counter asks the calendar.
    assert counter.between(date(2026, 12, 1), date(2027, 1, 15)).provisional
    assert counter.between(date(2026, 8, 1), date(2026, 10, 12)) == working_days_between(
        date(2026, 8, 1), date(2026, 10, 12)
    )
