"""/api/v1/hall/: the public board, a kiosk taking numbers, the window's steps, errors with codes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from yiwang.accounts.roles import Role
from yiwang.hall.tests.conftest import MORNING

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _morning() -> Iterator[None]:
    with time_machine.travel(MORNING, tick=True):
        yield


def test_window_flow_over_the_api(client: Client, hall: Any, cat: Any, clerks: Any, windows: Any, bearer: Any) -> None:
    clerk = bearer(clerks[0])
    taken = client.post(
        f"/api/v1/hall/halls/{hall.pk}/tickets", {"category": "a"}, content_type="application/json", headers=clerk
    )
    assert taken.status_code == 201, taken.content
    body = taken.json()
    assert body["ticket"]["number"] == "A001" and body["ahead"] == 0 and "/hall/q/" in body["holder_url"]
    not_on_duty = client.post("/api/v1/hall/call-next", headers=clerk)
    assert not_on_duty.status_code == 409 and not_on_duty.json()["code"] == "not_on_duty"
    duty = client.post(
        "/api/v1/hall/duty", {"window": windows["A01"].pk}, content_type="application/json", headers=clerk
    )
    assert duty.status_code == 200 and duty.json()["number"] == "A01"
    called = client.post("/api/v1/hall/call-next", headers=clerk).json()
    assert called["status"] == "called" and called["window"] == "A01"
    ticket = called["id"]
    assert client.post(f"/api/v1/hall/tickets/{ticket}/recall", headers=clerk).json()["recalls"] == 1
    assert client.post(f"/api/v1/hall/tickets/{ticket}/start", headers=clerk).json()["status"] == "serving"
    no_show = client.post(f"/api/v1/hall/tickets/{ticket}/no-show", headers=clerk)
    assert no_show.status_code == 409 and no_show.json()["code"] == "wrong_status"
    moved = client.post(
        f"/api/v1/hall/tickets/{ticket}/transfer", {"category": "F"}, content_type="application/json", headers=clerk
    )
    assert moved.json()["status"] == "waiting" and moved.json()["category"] == "F"
    empty = client.post("/api/v1/hall/call-next", headers=clerk)
    assert empty.status_code == 404 and empty.json()["code"] == "queue_empty" and "暂无" in empty.json()["message"]
    link = client.post(
        f"/api/v1/hall/tickets/{ticket}/cases", {"case_number": "X1"}, content_type="application/json", headers=clerk
    )
    assert link.status_code == 404
    assert client.delete("/api/v1/hall/duty", headers=clerk).status_code == 204


def test_board_is_public_and_errors_have_codes(
    client: Client, hall: Any, cat: Any, bearer: Any, make_user: Any
) -> None:
    board = client.get(f"/api/v1/hall/halls/{hall.pk}/board")
    assert board.status_code == 200
    assert [c["prefix"] for c in board.json()["categories"]] == list("ABCDEFG")
    assert client.get("/api/v1/hall/halls/999999/board").status_code == 404
    citizen = bearer(make_user())
    refused = client.post(
        f"/api/v1/hall/halls/{hall.pk}/tickets", {"category": "A"}, content_type="application/json", headers=citizen
    )
    assert refused.status_code == 403
    assert client.post("/api/v1/hall/call-next", headers=citizen).status_code == 403
    unknown = client.post(
        f"/api/v1/hall/halls/{hall.pk}/tickets", {"category": "Z"}, content_type="application/json",
        headers=bearer(make_user(Role.CLERK)),
    )  # fmt: skip
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_category"


def test_appointments_over_the_api(client: Client, hall: Any, cat: Any, bearer: Any, clerks: Any) -> None:
    from datetime import time

    from yiwang.accounts.models import AccountKind
    from yiwang.accounts.services import user_create
    from yiwang.hall import appointments as ap

    ap.slot_plan_save(actor=None, category=cat["A"], start=time(10, 20), end=time(11), capacity=1)
    ap.slot_plan_save(actor=None, category=cat["A"], start=time(11, 20), end=time(12), capacity=1)
    ap.slots_generate()
    open_slots = client.get(f"/api/v1/hall/halls/{hall.pk}/slots").json()
    today = [s for s in open_slots if s["day"] == MORNING.date().isoformat()]
    assert today and today[0]["capacity"] == 1 and today[0]["booked"] == 0
    me = bearer(user_create(username="p1", password="Pass-word-2026!", kind=AccountKind.NATURAL_PERSON, full_name="甲"))
    booked = client.post(
        "/api/v1/hall/appointments", {"slot": today[0]["id"]}, content_type="application/json", headers=me
    )
    assert booked.status_code == 201 and booked.json()["status"] == "booked"
    other = bearer(
        user_create(username="p2", password="Pass-word-2026!", kind=AccountKind.NATURAL_PERSON, full_name="乙")
    )
    full = client.post(
        "/api/v1/hall/appointments", {"slot": today[0]["id"]}, content_type="application/json", headers=other
    )
    assert full.status_code == 409 and full.json()["code"] == "slot_full" and "已约满" in full.json()["message"]
    again = client.post(  # another slot of the same category and day: over the limit, a refusal of its own
        "/api/v1/hall/appointments", {"slot": today[1]["id"]}, content_type="application/json", headers=me
    )
    assert again.status_code == 409 and again.json()["code"] == "already_booked"
    assert again.json()["message"].startswith("超过限额")
    unknown = client.post("/api/v1/hall/appointments", {"slot": 10**6}, content_type="application/json", headers=me)
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_slot"
    code = booked.json()["code"]
    kiosk = bearer(clerks[0])
    checked = client.post(
        f"/api/v1/hall/halls/{hall.pk}/check-in", {"code": code}, content_type="application/json", headers=kiosk
    )
    assert checked.status_code == 201 and checked.json()["ticket"]["number"] == "A001"
    twice = client.post(
        f"/api/v1/hall/halls/{hall.pk}/check-in", {"code": code}, content_type="application/json", headers=kiosk
    )
    assert twice.status_code == 409 and twice.json()["code"] == "wrong_status"
    elsewhere = client.post(
        f"/api/v1/hall/halls/{hall.pk + 1000}/check-in", {"code": code}, content_type="application/json", headers=kiosk
    )
    assert elsewhere.status_code == 404
    mine = client.get("/api/v1/hall/appointments", headers=me).json()
    assert mine[0]["status"] == "checked_in" and mine[0]["queue_number"] == "A001"
    assert client.delete(f"/api/v1/hall/appointments/{mine[0]['id']}", headers=me).status_code == 409
