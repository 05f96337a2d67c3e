"""12345 handling through the API (issue 8): sign, return within the window and its review, a
designated unit that can no longer return, extension approved by the supervisor, reply, follow-up
with dissatisfaction, redo, and close — with the bad inputs refused and nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yiwang.calendar.workdays import add_working_days
from yiwang.hotline.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db
INTAKE = {
    "kind": "complaint", "category": "CX0101", "description": "朝阳街道康宁里夜间有人施工切割钢材，噪音扰民",
    "region": "990102002", "address": "示范市城东区康宁里 5 号", "caller_name": "王先生", "caller_phone": "13800138000",
}  # fmt: skip


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _act(user, number: str, action: str, **body):  # type: ignore[no-untyped-def]
    return _as(user).post(f"/api/v1/hotline/tickets/{number}/actions/{action}", body, content_type="application/json")


def test_a_ticket_goes_round_the_whole_loop(people) -> None:  # type: ignore[no-untyped-def]
    created = _as(people["agent"]).post("/api/v1/hotline/tickets", INTAKE, content_type="application/json")
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert _act(people["dispatcher"], number, "dispatch").json()["unit"] == "朝阳街道办事处"
    assert _act(people["housing"], number, "sign").status_code == 404  # not their unit: they do not see it
    assert _act(people["street"], number, "sign").json()["status"] == "signed"
    # Not the street's duty: returned within the window, reviewed, sent to the housing bureau by name.
    assert _act(people["street"], number, "return", reason="").status_code == 422
    returned = _act(people["street"], number, "return", reason="涉及在建工地，属住建部门监管")
    assert returned.json()["status"] == "return_requested"
    reviewed = _act(people["dispatcher"], number, "review_return", approve=True, note="同意，改派住建局",
                    unit=people["housing_unit"].pk)  # fmt: skip
    assert (reviewed.json()["status"], reviewed.json()["unit"]) == ("dispatched", "示范市住房和城乡建设局")
    _act(people["housing"], number, "sign")
    refused = _act(people["housing"], number, "return", reason="不是我们的")
    assert refused.status_code == 409 and refused.json()["code"] == "return_not_allowed"
    # More time: asked by the unit, approved by the supervisor; the due time moves by 3 working days.
    before = Ticket.objects.get(number=number).due_at
    assert _act(people["housing"], number, "extend", days=3, reason="需协调施工单位整改").status_code == 200
    assert _act(people["housing"], number, "extend", days=2, reason="再要两天").status_code == 409  # one at a time
    assert _act(people["housing"], number, "decide_extension", approve=True).status_code == 403
    assert _act(people["supervisor"], number, "decide_extension", approve=True, note="同意").status_code == 200
    ticket = Ticket.objects.get(number=number)
    assert timezone.localdate(ticket.due_at) == add_working_days(timezone.localdate(before), 3).date
    # Reply, a dissatisfied caller, redo, a second reply, a satisfied follow-up.
    assert _act(people["housing"], number, "reply", answer=" ").status_code == 422
    assert _act(people["housing"], number, "reply", answer="已责令施工单位停止夜间施工").json()["status"] == "replied"
    redo = _act(people["agent"], number, "follow_up", satisfaction="dissatisfied", solved=False, redo=True,
                note="来电人称仍在夜间施工")  # fmt: skip
    assert redo.json()["status"] == "signed"
    _act(people["housing"], number, "reply", answer="现场查处，施工单位已停工整改并承诺不再夜间施工")
    closed = _act(people["agent"], number, "follow_up", satisfaction="satisfied", solved=True)
    assert closed.json()["status"] == "closed"
    actions = list(Ticket.objects.get(number=number).events.values_list("action", flat=True))
    assert actions == ["create", "dispatch", "sign", "return_request", "return_review", "sign", "extension_request",
                       "extension_decide", "reply", "redo", "reply", "follow_up"]  # fmt: skip
    # Bad input on a closed ticket changes nothing.
    late = _act(people["housing"], number, "extend", days=2, reason="还要时间")
    assert late.status_code == 409 and late.json()["code"] == "transition_not_allowed"
    assert Ticket.objects.get(number=number).status == TicketStatus.CLOSED


def test_a_return_after_the_window_is_refused(people) -> None:  # type: ignore[no-untyped-def]
    number = (
        _as(people["agent"]).post("/api/v1/hotline/tickets", INTAKE, content_type="application/json").json()["number"]
    )
    _act(people["dispatcher"], number, "dispatch")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        late = _act(people["street"], number, "return", reason="不属于本单位职责")
    assert late.status_code == 409 and late.json()["code"] == "return_window_passed"
    assert Ticket.objects.get(number=number).status == TicketStatus.DISPATCHED


def test_a_refused_return_stays_with_the_unit_which_can_no_longer_return_it(people) -> None:  # type: ignore[no-untyped-def]
    number = (
        _as(people["agent"]).post("/api/v1/hotline/tickets", INTAKE, content_type="application/json").json()["number"]
    )
    _act(people["dispatcher"], number, "dispatch")
    _act(people["street"], number, "return", reason="不属于本单位职责")
    assert _act(people["dispatcher"], number, "review_return", approve=False, note="").status_code == 422
    kept = _act(people["dispatcher"], number, "review_return", approve=False, note="属地管理，由街道办理")
    assert (kept.json()["status"], kept.json()["unit"]) == ("dispatched", "朝阳街道办事处")
    assert _act(people["street"], number, "return", reason="还是不归我们").json()["code"] == "return_not_allowed"
