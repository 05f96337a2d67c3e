"""Budget of the flash crowd's request (issue 22, docs/performance.md): one citizen books a place through
the public API (tests/budget.py; ``make bench-quick`` prints it)."""

from __future__ import annotations

from datetime import date, time
from itertools import count
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.budget import assert_within, measure
from yiwang.hall import appointments as ap
from yiwang.hall.models import AppointmentSlot
from yiwang.hall.tests.test_appointments import MONDAY, at, person


@pytest.mark.budget
@pytest.mark.django_db(transaction=True)
def test_a_citizen_books_a_place_through_the_api(cat: Any, bearer: Any, client: Client, production_tasks: None) -> None:
    """10 statements in the steady state: the token, then the service's (hall/tests/test_appointments.py
    pins them); the first request of each token records its use once (a minute), the eleventh."""
    ap.slot_plan_save(actor=None, category=cat["A"], start=time(9), end=time(10), capacity=200, weekdays="3")
    ap.slots_generate(today=MONDAY)
    slot = AppointmentSlot.objects.get(category=cat["A"], day=date(2026, 11, 25), start=time(9))
    booked = count()

    def book() -> None:
        response = client.post("/api/v1/hall/appointments", {"slot": slot.pk}, content_type="application/json",
                               headers=next(citizens))  # fmt: skip
        assert response.status_code == 201, response.content
        next(booked)

    with time_machine.travel(at(MONDAY, 10), tick=True):
        citizens = iter([bearer(person(n)) for n in range(40)])  # tokens of that day
        measured = measure("hall: book a place (API, a new citizen each)", book, cpu_budget_ms=25, sql_budget=10,
                           rounds=5, per_round=6)  # fmt: skip
    assert_within(measured)


@pytest.mark.budget
@pytest.mark.django_db(transaction=True)
def test_a_kiosk_checks_an_appointment_in_through_the_api(
    cat: Any, clerks: list[Any], bearer: Any, client: Client, production_tasks: None
) -> None:
    """签到 at a kiosk by the appointment's code: 12 statements — token, roles, the appointment found and
    locked by its code; the ticket (a provisional number), figures mark, its event, audit, the appointment;
    then, last, the counter, the ticket's number and the check-in's audit (the counter's row is locked from
    its draw to the commit); the people ahead counted after the commit."""
    ap.slot_plan_save(actor=None, category=cat["A"], start=time(9), end=time(10), capacity=40, weekdays="3")
    ap.slots_generate(today=MONDAY)
    slot = AppointmentSlot.objects.get(category=cat["A"], day=date(2026, 11, 25), start=time(9))
    codes = iter([ap.appointment_book(actor=person(n), slot=slot, now=at(MONDAY, 10)).code for n in range(40)])
    path = f"/api/v1/hall/halls/{cat['A'].hall_id}/check-in"
    given = count()

    def check_in() -> None:
        response = client.post(path, {"code": next(codes)}, content_type="application/json", headers=kiosk)
        assert response.status_code == 201, response.content
        next(given)

    with time_machine.travel(at(date(2026, 11, 25), 8, 45), tick=True):
        kiosk = bearer(clerks[0])  # a token of that day
        measured = measure("hall: check in at a kiosk (API)", check_in, cpu_budget_ms=25, sql_budget=12,
                           rounds=5, per_round=6)  # fmt: skip
    assert measured.sql == 12, measured
    assert_within(measured)
