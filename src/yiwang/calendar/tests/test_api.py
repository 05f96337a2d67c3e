from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from yiwang.calendar.models import DayKind
from yiwang.calendar.services import calendar_year_replace

pytestmark = pytest.mark.django_db


def test_days_of_2026(client: Client) -> None:
    body = client.get("/api/v1/calendar/days?year=2026").json()
    assert body["year"] == 2026
    assert body["provisional"] is False
    by_date = {d["date"]: d for d in body["days"]}
    assert by_date["2026-10-01"] == {"date": "2026-10-01", "working": False, "reason": "国庆节"}
    assert by_date["2026-02-14"] == {"date": "2026-02-14", "working": True, "reason": "春节调休上班"}


def test_days_of_an_unknown_year_say_provisional(client: Client) -> None:
    body = client.get("/api/v1/calendar/days?year=2027").json()
    assert body == {"year": 2027, "provisional": True, "days": []}


@pytest.mark.parametrize(
    ("start", "workdays", "expected"),
    [
        ("2026-09-30", 5, {"deadline": "2026-10-13", "provisional": False}),
        ("2026-12-28", 5, {"deadline": "2027-01-04", "provisional": True}),
    ],
)
def test_deadline(client: Client, start: str, workdays: int, expected: dict[str, object]) -> None:
    response = client.get(f"/api/v1/calendar/deadline?start={start}&workdays={workdays}")
    assert response.status_code == 200
    assert response.json() == expected


def test_deadline_into_2027_with_its_table(client: Client) -> None:
    calendar_year_replace(actor=None, year=2027, days=[(date(2027, 1, 1), DayKind.REST, "元旦")])
    body = client.get("/api/v1/calendar/deadline?start=2026-12-28&workdays=5").json()
    assert body == {"deadline": "2027-01-05", "provisional": False}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-02-30&workdays=5", "start"),
        ("start=yesterday&workdays=5", "start"),
        ("start=2026-01-01&workdays=-1", "workdays"),
        ("start=2026-01-01&workdays=99999", "workdays"),
        ("start=2026-01-01", "workdays"),
        ("start=9999-12-31&workdays=5", "start"),  # date + timedelta overflowed: a 500
        ("start=0001-01-01&workdays=5", "start"),
    ],
)
def test_bad_deadline_queries_name_the_field(client: Client, query: str, field: str) -> None:
    response = client.get(f"/api/v1/calendar/deadline?{query}")
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == field


def test_a_year_out_of_range_is_refused(client: Client) -> None:
    response = client.get("/api/v1/calendar/days?year=1800")
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "year"


def test_the_calendar_refuses_days_it_cannot_count_whichever_door_asks() -> None:
    from yiwang.calendar.workdays import add_working_days, working_days_between
    from yiwang.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        add_working_days(date(9999, 12, 31), 1)
    with pytest.raises(ValidationFailed):
        working_days_between(date(2026, 1, 1), date(9999, 12, 31))
    assert add_working_days(date(2100, 12, 31), 0).date == date(2100, 12, 31)
