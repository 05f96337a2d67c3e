"""/api/v1/disclosure/: the public catalogue, a request in the account's own name, the office's steps, the
clock with its computation, and the refusals — every one with its code, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.disclosure import services
from yiwang.disclosure.choices import RequestStatus, ReviewDecision
from yiwang.disclosure.models import DisclosureRequest, Reply

pytestmark = pytest.mark.django_db
API = "/api/v1/disclosure"


def as_user(user: Any) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_the_published_catalogue_is_public(office: dict[str, Any]) -> None:
    item = services.item_create(
        actor=office["officer"],
        body=office["body"],
        category=office["category"],
        title="关于2026年度政府信息公开工作要点的通知",
        formed_on=timezone.localdate(),
    )
    services.item_review_submit(actor=office["officer"], item=item)
    services.item_review(actor=office["colleague"], item=item, decision=ReviewDecision.PASSED)
    services.item_publish(actor=office["officer"], item=item)
    answer = Client().get(f"{API}/items", {"q": "政府信息公开要点"})
    assert answer.status_code == 200 and answer.json()["count"] == 1
    assert answer.json()["items"][0]["index_number"] == index_number_of(item)
    detail = Client().get(f"{API}/items/{item.pk}").json()
    assert detail["channels"] == ["website"]
    assert Client().get(f"{API}/bodies/{office['body'].pk}/catalogue").json()["categories"][0]["name"] == "政策文件"


def index_number_of(item: Any) -> str:
    item.refresh_from_db()
    return str(item.index_number)


def test_a_request_through_the_api_to_its_reply(office: dict[str, Any]) -> None:
    citizen = as_user(office["citizen"])
    answer = citizen.post(
        f"{API}/requests",
        {"body_id": office["body"].pk, "description": "2025年财政预算执行情况"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()
    made = DisclosureRequest.objects.get()
    assert made.requester_name == "张三"
    # identity fields are not the caller's to type
    forged = citizen.post(
        f"{API}/requests",
        {"body_id": office["body"].pk, "description": "x", "requester_name": "李四"},
        content_type="application/json",
    )
    assert forged.status_code == 422 and forged.json()["code"] == "validation_error"
    detail = citizen.get(f"{API}/requests/{made.pk}").json()
    assert detail["clock"]["due"] == made.due_on.isoformat()
    assert detail["clock"]["runs"][0]["state"] == "start"
    assert sum(r["working_days"] for r in detail["clock"]["runs"] if r["state"] == "counted") == 20
    officer = as_user(office["officer"])
    assert officer.get(f"{API}/requests").json()["count"] == 1
    late = officer.post(
        f"{API}/requests/{made.pk}/extension", {"days": 5, "reason": "x"}, content_type="application/json"
    )
    assert late.status_code == 403  # the head's, not the officer's
    head = as_user(office["head"])
    too_long = head.post(
        f"{API}/requests/{made.pk}/extension", {"days": 21, "reason": "检索量大"}, content_type="application/json"
    )
    assert too_long.status_code == 422 and "20" in too_long.json()["message"]
    typed_fee = officer.post(
        f"{API}/requests/{made.pk}/reply",
        {"outcome": "provided", "text": "提供", "delivery": "post", "fee": "500"},
        content_type="application/json",
    )
    assert typed_fee.status_code == 422 and not Reply.objects.exists()
    no_ground = officer.post(
        f"{API}/requests/{made.pk}/reply",
        {"outcome": "refused", "text": "不予公开", "delivery": "post"},
        content_type="application/json",
    )
    assert no_ground.status_code == 422
    assert no_ground.json()["details"]["errors"][0]["field"] == "ground"
    done = officer.post(
        f"{API}/requests/{made.pk}/reply",
        {"outcome": "refused", "ground": "privacy", "text": "不予公开", "delivery": "post"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["reply"]["ground"] == "privacy"
    assert done.json()["status"] == RequestStatus.REPLIED
    stranger = as_user(office["company"])
    assert stranger.get(f"{API}/requests/{made.pk}").status_code == 404


def test_hostile_input_gets_a_code_not_a_500(office: dict[str, Any]) -> None:
    citizen = as_user(office["citizen"])
    for body in (
        {"body_id": 10**12, "description": "x"},
        {"body_id": office["body"].pk, "description": "\x00"},
        {"body_id": office["body"].pk, "description": "x" * 5000},
        {"body_id": "一", "description": "x"},
    ):
        answer = citizen.post(f"{API}/requests", body, content_type="application/json")
        assert answer.status_code in (400, 404, 422), (body, answer.status_code)
        assert answer.json()["code"]
    assert not DisclosureRequest.objects.exists()
    assert Client().post(f"{API}/requests", {}, content_type="application/json").status_code == 401


def test_the_requester_does_not_read_the_offices_notes_and_huge_numbers_are_refused(office: dict[str, Any]) -> None:
    made = services.request_submit(
        actor=office["citizen"], body=office["body"], description="某信息", delivery="online"
    )
    services.consultation_start(
        actor=office["officer"], request=made, party="third_party", party_name="王五", note="王五电话13912345678"
    )
    detail = as_user(office["citizen"]).get(f"{API}/requests/{made.pk}").json()
    assert "13912345678" not in str(detail) and "王五" not in str(detail)
    huge = "9" * 30
    for url in (
        f"{API}/items?body={huge}",
        f"{API}/items?category={huge}",
        f"/disclosure/items/?body={huge}",
        f"/disclosure/requests.csv?body={huge}",
        f"/disclosure/figures/?body={huge}",
    ):
        assert Client().get(url).status_code in (200, 422), url
