"""/api/v1/trading/: a tender through the API — keys, registration, notice, sealed uploads, the closing
with receipts anyone can check, the opening — and what the public sees at each step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.core import crypto
from yiwang.trading.envelope import merkle_verify
from yiwang.trading.tests.factories import bidder, sealed
from yiwang.trading.tests.test_opening import content_key

pytestmark = pytest.mark.django_db
API = "/api/v1/trading"


def upload(client: Client, headers: dict[str, str], code: str, data: bytes, lot: int = 1) -> Any:
    envelope = SimpleUploadedFile("bid.ywseal", data, content_type="application/octet-stream")
    return client.post(f"{API}/projects/{code}/bids", {"lot": lot, "envelope": envelope}, headers=headers)


def test_a_tender_through_the_api(
    client: Client, centre: dict[str, Any], bearer: Callable[[User], dict[str, str]]
) -> None:
    officer = bearer(centre["officer"])
    # A bidder registers its key through the API (the factory's bidders registered theirs as the service).
    own_private, own_public = crypto.sm2_key_pair()
    a, b, c = bidder(1), bidder(2), bidder(3)
    response = client.post(
        f"{API}/keys",
        {"purpose": "bidder", "public_key": "04" + own_public},
        content_type="application/json",
        headers=bearer(a.user),
    )
    assert response.status_code == 201, response.json()
    a.private_key, a.public_key = own_private, own_public
    bad = client.post(
        f"{API}/keys",
        {"purpose": "bidder", "public_key": "00" * 64},
        content_type="application/json",
        headers=bearer(b.user),
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "bad_public_key")

    created = client.post(
        f"{API}/projects",
        {
            "region": centre["region"].code,
            "kind": "construction",
            "method": "open_tender",
            "evaluation_method": "lowest_price",
            "title": "示范市体育馆改造工程",
            "budget": "8600000.00",
            "lots": [{"title": "施工", "estimate": "8600000.00", "bid_security": "170000.00"}],
            "tenderer_department": centre["tenderer"].pk,
        },
        content_type="application/json",
        headers=officer,
    )
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    assert client.get(f"{API}/projects/{code}").status_code == 404  # not public before its notice
    today = timezone.localdate()
    deadline = (timezone.localtime() + timedelta(days=21)).replace(hour=9, minute=30, second=0, microsecond=0)
    notice = {
        "title": "招标公告",
        "body": "示范市体育馆改造工程施工招标。",
        "documents_from": today.isoformat(),
        "documents_until": (today + timedelta(days=5)).isoformat(),
        "bid_deadline": deadline.isoformat(),
        "custodians": [party.user.username for party in centre["custodians"]],
        "threshold": 3,
    }
    short = client.post(
        f"{API}/projects/{code}/notice",
        notice | {"bid_deadline": (deadline - timedelta(days=2)).isoformat()},
        content_type="application/json",
        headers=officer,
    )
    assert (short.status_code, short.json()["code"]) == (422, "validation_error")
    assert short.json()["details"]["errors"][0]["field"] == "bid_deadline"
    published = client.post(f"{API}/projects/{code}/notice", notice, content_type="application/json", headers=officer)
    assert published.status_code == 200, published.json()
    detail = client.get(f"{API}/projects/{code}").json()
    assert detail["status"] == "bidding" and detail["ocid"].endswith(code) and len(detail["opening_public_key"]) == 128
    assert supervisor_refused(client, bearer(centre["supervisor"]), code)

    from yiwang.trading.selectors import project_published

    project = project_published(code)
    not_sealed = upload(client, bearer(a.user), code, b"%PDF-1.7 my price is 1 yuan")
    assert (not_sealed.status_code, not_sealed.json()["code"]) == (422, "envelope_not_sealed")
    assert "加密" in not_sealed.json()["message"]
    envelopes = {
        party.user.pk: sealed(project, party, price)
        for party, price in ((a, "8500000.00"), (b, "8420000.00"), (c, "8555000.00"))
    }
    receipts = []
    for party in (a, b, c):
        response = upload(client, bearer(party.user), code, envelopes[party.user.pk])
        assert response.status_code == 201, response.json()
        receipts.append(response.json())
    assert all("sequence" not in r and '"receipt":' in r["content"] for r in receipts)
    # Before the closing the public learns nothing of who bid (招标投标法 §22).
    assert client.get(f"{API}/projects/{code}/receipts").json() == []
    assert client.get(f"{API}/projects/{code}").json()["bids"] == []
    mine = client.get(f"{API}/projects/{code}/my-bids", headers=bearer(b.user)).json()
    assert [(m["status"], m["price"]) for m in mine] == [("submitted", None)]
    assert client.post(f"{API}/bids/{mine[0]['id']}/withdraw", headers=bearer(a.user)).status_code == 404

    with time_machine.travel(deadline + timedelta(seconds=1), tick=True):
        officer = bearer(centre["officer"])  # tokens expire: three weeks have passed
        late = upload(client, bearer(a.user), code, envelopes[a.user.pk])
        assert (late.status_code, late.json()["code"]) == (409, "bid_late")
        closing = client.post(f"{API}/projects/{code}/close", headers=officer).json()
        assert "root" in closing, closing
        public = client.get(f"{API}/projects/{code}/receipts").json()
        assert [r["content"] for r in public] == [r["content"] for r in receipts]
        proof = client.get(f"{API}/projects/{code}/receipts/2/proof").json()
        assert merkle_verify(
            receipts[1]["content"].encode(), proof["index"], proof["tree_size"], proof["proof"], closing["root"]
        )
        keys = client.get(f"{API}/platform-keys").json()
        assert crypto.sm2_verify(keys[0]["public_key"], closing["content"].encode(), closing["signature"])
        opening = client.post(f"{API}/projects/{code}/opening", headers=officer)
        assert opening.json()["status"] == "opening"
        for party in (a, b, c):
            bid_id = client.get(f"{API}/projects/{code}/my-bids", headers=bearer(party.user)).json()[0]["id"]
            key = content_key(party, envelopes[party.user.pk])
            decrypted = client.post(
                f"{API}/bids/{bid_id}/decrypt",
                {"content_key": key},
                content_type="application/json",
                headers=bearer(party.user),
            )
            assert decrypted.json()["status"] == "opened", decrypted.json()
    window_over = deadline + timedelta(seconds=1) + timedelta(minutes=31)
    with time_machine.travel(window_over, tick=True):
        record = client.post(f"{API}/projects/{code}/opening/conclude", headers=officer)
        assert record.status_code == 200, record.json()
    detail = client.get(f"{API}/projects/{code}").json()
    assert detail["status"] == "opened"
    assert sorted(bid["price"] for bid in detail["bids"]) == ["8420000.00", "8500000.00", "8555000.00"]
    assert [e["action"] for e in detail["events"]][:2] == ["publish", "close"]


def supervisor_refused(client: Client, headers: dict[str, str], code: str) -> bool:
    """管办分离: the supervisor reads but does not operate."""
    response = client.post(f"{API}/projects/{code}/close", headers=headers)
    return response.status_code == 403


def test_the_committee_steps_through_the_api(
    client: Client, centre: dict[str, Any], make_user: Any, bearer: Callable[[User], dict[str, str]]
) -> None:
    """Evaluation, scores, report, signatures, publicity, award and contract, as a client would call them."""
    from yiwang.trading.models import Criterion, DrawPick
    from yiwang.trading.tests.test_evaluation import opened_project

    project, bids, clock = opened_project(centre, make_user)
    try:
        officer, tenderer = bearer(centre["officer"]), bearer(centre["custodians"][1].user)
        code = project.code
        draws = client.get(f"{API}/projects/{code}/draws", headers=officer).json()
        assert draws[0]["verified"] and draws[0]["picks"] == ["confirmed"] * 5
        assert client.post(f"{API}/projects/{code}/evaluation", headers=officer).json()["status"] == "evaluating"
        technical, commercial, _price = Criterion.objects.filter(project=project).order_by("order")
        members = [p.expert.user for p in DrawPick.objects.filter(draw__project=project)]
        bad = client.put(
            f"{API}/bids/{bids[0].pk}/scores",
            {"points": {str(technical.pk): "60", str(commercial.pk): "10"}},
            content_type="application/json",
            headers=bearer(members[0]),
        )
        assert (bad.status_code, bad.json()["code"]) == (422, "score_out_of_range")
        for member in members:
            headers = bearer(member)
            for n, bid in enumerate(bids):
                points = {str(technical.pk): str(45 - 5 * n), str(commercial.pk): "15"}
                response = client.put(
                    f"{API}/bids/{bid.pk}/scores", {"points": points}, content_type="application/json", headers=headers
                )
                assert response.status_code == 200, response.json()
        assert client.get(f"{API}/projects/{code}/candidates").json() == []  # not before the publicity
        assert client.post(f"{API}/projects/{code}/report", headers=officer).json()["status"] == "reported"
        for member in members:
            assert client.post(f"{API}/projects/{code}/report/signatures", headers=bearer(member)).status_code == 200
        published = client.post(f"{API}/projects/{code}/candidates/publication", headers=officer)
        assert published.json()["status"] == "publicity"
        candidates = client.get(f"{API}/projects/{code}/candidates").json()
        assert [c["rank"] for c in candidates] == [1, 2, 3] and candidates[0]["price"] == "18800000.00"
        early = client.post(f"{API}/candidates/{candidates[0]['id']}/award", headers=tenderer)
        assert (early.status_code, early.json()["code"]) == (409, "publicity_running")
        project.refresh_from_db()
        clock.stop()
        clock = time_machine.travel(project.publicity_until + timedelta(seconds=1), tick=True)  # type: ignore[operator]
        clock.start()
        tenderer = bearer(centre["custodians"][1].user)
        assert client.post(f"{API}/candidates/{candidates[0]['id']}/award", headers=tenderer).json()["awarded"]
        signed = client.post(
            f"{API}/projects/{code}/contract",
            {"amount": "18800000.00", "signed_on": timezone.localdate().isoformat()},
            content_type="application/json",
            headers=tenderer,
        )
        assert signed.json()["status"] == "contracted", signed.json()
    finally:
        clock.stop()
