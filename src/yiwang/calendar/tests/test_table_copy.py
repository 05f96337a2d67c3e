"""Each process keeps one copy of the administrator's table (workdays.calendar_table): deadlines ask it
without reading the database, and every change to the table — by the service, the admin, an import or
another process — reaches the copies (行政许可法 §82: a deadline counts the working days as announced)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import transaction

from yiwang.calendar import workdays
from yiwang.calendar.models import CalendarDay, DayKind
from yiwang.calendar.services import calendar_day_clear, calendar_day_set
from yiwang.calendar.workdays import add_working_days, day_info

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 6, 8)  # an ordinary working Monday in chinesecalendar's 2026


def test_questions_after_the_first_read_nothing(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2):  # the days and the completed years, once
        assert day_info(MONDAY).working
    with django_assert_num_queries(0):
        assert add_working_days(MONDAY, 20).date == date(2026, 7, 7)  # 端午节 (19 June) is off
        assert day_info(date(2026, 10, 1)).reason == "国庆节"


def test_a_change_through_the_service_counts_at_once(admin_user) -> None:  # type: ignore[no-untyped-def]
    assert day_info(MONDAY).working
    calendar_day_set(actor=admin_user, when=MONDAY, kind=DayKind.REST, reason="防汛停工")
    assert day_info(MONDAY) == workdays.Day(MONDAY, False, False, "防汛停工")
    calendar_day_clear(actor=admin_user, when=MONDAY)
    assert day_info(MONDAY).working


def test_a_change_by_another_process_is_seen_within_the_check_interval(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert day_info(MONDAY).working
    # Another process writes the table (here: a row behind this process's back) and bumps the generation.
    CalendarDay.objects.bulk_create([CalendarDay(date=MONDAY, kind=DayKind.REST, reason="台风停工")])
    assert day_info(MONDAY).working  # no signal for a bulk insert: this process still has its copy …
    cache.set(workdays.TABLE.key, "another process")
    monkeypatch.setattr(workdays.TABLE, "check_every", 0.0)
    assert day_info(MONDAY).reason == "台风停工"  # … until it sees the other process's bump


def test_a_copy_is_read_again_after_its_maximum_age_even_without_a_shared_cache(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert day_info(MONDAY).working
    CalendarDay.objects.bulk_create([CalendarDay(date=MONDAY, kind=DayKind.REST, reason="台风停工")])
    monkeypatch.setattr(workdays.TABLE, "max_age", 0.0)
    assert not day_info(MONDAY).working


@pytest.mark.django_db(transaction=True)
def test_a_process_reading_before_the_commit_reads_again_after_it() -> None:
    """The bump is made again on commit: a copy loaded while the write was uncommitted is not kept."""
    with transaction.atomic():
        CalendarDay.objects.create(date=MONDAY, kind=DayKind.REST, reason="台风停工")
        generation = cache.get(workdays.TABLE.key)
    assert cache.get(workdays.TABLE.key) != generation
    assert not day_info(MONDAY).working
