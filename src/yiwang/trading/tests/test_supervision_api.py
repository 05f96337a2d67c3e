"""The API of complaints, securities, cards and figures applies the services' rules: coded refusals, the
supervisor alone deciding, the centre alone recording securities, nobody reading another's complaint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.trading.models import Alert
from yiwang.trading.tests.factories import bidder, publish, register

pytestmark = pytest.mark.django_db


def test_complaints_and_securities_through_the_api(
    centre: dict[str, Any], bearer: Callable[[User], dict[str, str]]
) -> None:
    project = publish(centre, register(centre))
    party, other = bidder(1), bidder(2)
    client = Client()
    base = "/api/v1/trading"
    body = {"subject": "award", "request": "确认违法。", "grounds": "理由。", "known_on": str(timezone.localdate())}
    late = client.post(
        f"{base}/projects/{project.code}/complaints", {**body, "subject": "documents"}, content_type="application/json",
        headers=bearer(party.user),
    )  # fmt: skip
    assert (late.status_code, late.json()["code"]) == (409, "objection_first")
    made = client.post(
        f"{base}/projects/{project.code}/complaints", body, content_type="application/json", headers=bearer(party.user)
    )
    assert made.status_code == 201, made.content
    complaint = made.json()["id"]
    mine = client.get(f"{base}/projects/{project.code}/complaints", headers=bearer(party.user)).json()
    assert [c["id"] for c in mine] == [complaint]
    assert client.get(f"{base}/projects/{project.code}/complaints", headers=bearer(other.user)).json() == []
    stolen = client.post(f"{base}/complaints/{complaint}/withdraw", headers=bearer(other.user))
    assert stolen.status_code == 404
    by_centre = client.post(f"{base}/complaints/{complaint}/accept", headers=bearer(centre["officer"]))
    assert by_centre.status_code == 404  # the centre, which a complaint may be about, does not see it
    accepted = client.post(f"{base}/complaints/{complaint}/accept", headers=bearer(centre["supervisor"]))
    assert accepted.json()["status"] == "accepted"
    suspended = client.post(f"{base}/complaints/{complaint}/suspension", headers=bearer(centre["supervisor"]))
    assert suspended.json()["suspended_at"] is not None
    wrong = client.post(
        f"{base}/complaints/{complaint}/decision", {"outcome": "maybe", "decision": "无"},
        content_type="application/json", headers=bearer(centre["supervisor"]),
    )  # fmt: skip
    assert wrong.status_code == 422
    lifted = client.delete(f"{base}/projects/{project.code}/suspension", headers=bearer(centre["supervisor"]))
    assert lifted.json()["suspended_at"] is None
    security = {"lot": 1, "credit_code": party.user.credit_code, "amount": "390000.00", "form": "cheque",
                "reference": "ZP-1"}  # fmt: skip
    by_bidder = client.post(
        f"{base}/projects/{project.code}/securities", security, content_type="application/json",
        headers=bearer(party.user),
    )  # fmt: skip
    assert by_bidder.status_code == 404
    recorded = client.post(
        f"{base}/projects/{project.code}/securities", security, content_type="application/json",
        headers=bearer(centre["officer"]),
    )  # fmt: skip
    assert recorded.status_code == 201 and recorded.json()["refund_due"] is None
    held = client.post(
        f"{base}/securities/{recorded.json()['id']}/refund", {"interest": "0"}, content_type="application/json",
        headers=bearer(centre["officer"]),
    )  # fmt: skip
    assert (held.status_code, held.json()["code"]) == (409, "security_held")
    Alert.objects.create(
        project=project, rule="same_device", colour="red", basis="d", detail="2 个投标人共用同一设备。",
        issued_at=timezone.now(),
    )  # fmt: skip
    cards = client.get(f"{base}/alerts", {"project": project.code}, headers=bearer(centre["supervisor"])).json()
    assert [c["rule"] for c in cards] == ["same_device"]
    assert client.get(f"{base}/alerts", headers=bearer(party.user)).json() == []
    today = str(timezone.localdate())
    figures = client.get(f"{base}/figures", {"start": today, "end": today}, headers=bearer(centre["officer"])).json()
    assert figures["total"]["projects"] == 1 and figures["complaints"] == 1 and figures["red"] == 1
