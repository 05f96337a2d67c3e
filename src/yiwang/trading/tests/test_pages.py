"""The trading pages as their users click through them: the centre registers and publishes, a company
registers its key and uploads a sealed bid, the public follows the closing and the opening."""

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
from yiwang.trading.models import Bid, TradingProject
from yiwang.trading.tests.factories import bidder, publish, register, sealed
from yiwang.trading.tests.test_opening import content_key

pytestmark = pytest.mark.django_db


def test_the_centre_registers_and_publishes_a_project_from_its_pages(
    client: Client, centre: dict[str, Any], login: Callable[[User], Client]
) -> None:
    login(centre["officer"])
    assert (
        "登记项目" in client.get("/workbench/trading/").content.decode()
        or client.get("/workbench/trading/").status_code == 200
    )
    form = {
        "region": centre["region"].code,
        "title": "示范市第二中学运动场改造工程",
        "kind": "construction",
        "method": "open_tender",
        "evaluation_method": "lowest_price",
        "tenderer_department": str(centre["tenderer"].pk),
        "budget": "3200000.00",
        "lots": "施工, 3200000, 64000.01",
    }
    refused = client.post("/workbench/trading/new/", form)
    assert refused.status_code == 422
    assert "2%" in refused.content.decode() and "招标投标法实施条例" in refused.content.decode()
    created = client.post("/workbench/trading/new/", form | {"lots": "施工, 3200000, 64000"})
    assert created.status_code == 302
    project = TradingProject.objects.get(title=form["title"])
    page = client.get(f"/workbench/trading/{project.code}/")
    assert page.status_code == 200 and "发布公告" in page.content.decode()
    today = timezone.localdate()
    notice = {
        "step": "publish",
        "title": "招标公告",
        "body": "示范市第二中学运动场改造工程施工招标公告。",
        "documents_from": today.isoformat(),
        "documents_until": (today + timedelta(days=5)).isoformat(),
        "bid_deadline": (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT09:30"),
        "custodians": [party.user.username for party in centre["custodians"]],
        "threshold": "3",
    }
    short = client.post(f"/workbench/trading/{project.code}/", notice)
    assert short.status_code == 422 and "第二十四条" in short.content.decode()
    deadline = (timezone.localtime() + timedelta(days=21)).strftime("%Y-%m-%dT09:30")
    assert client.post(f"/workbench/trading/{project.code}/", notice | {"bid_deadline": deadline}).status_code == 302
    project.refresh_from_db()
    assert project.status == "bidding"
    public = client.get("/trading/").content.decode()
    assert project.title in public and "交易信息" in public


def test_a_company_registers_its_key_and_uploads_a_sealed_bid(
    client: Client, centre: dict[str, Any], login: Callable[[User], Client]
) -> None:
    project = publish(centre, register(centre))
    party = bidder(1)
    login(party.user)
    keys_page = client.get("/trading/keys/")
    assert keys_page.status_code == 200 and "yiwang-seal keygen" in keys_page.content.decode()
    bad = client.post("/trading/keys/", {"purpose": "bidder", "public_key": "not a key"})
    assert bad.status_code == 422 and "SM2" in bad.content.decode()
    page = client.get(f"/trading/{project.code}/bid/")
    assert project.code in page.content.decode() and str(party.user.credit_code) in page.content.decode()
    opening_pub = client.get(f"/trading/{project.code}/opening.pub").content.decode().strip()
    assert opening_pub == project.opening_key.public_key
    plain = SimpleUploadedFile("报价.pdf", b"%PDF-1.7 price 1 yuan")
    refused = client.post(f"/trading/{project.code}/bid/", {"lot": "1", "envelope": plain})
    assert refused.status_code == 422 and "yiwang-seal" in refused.content.decode()
    data = sealed(project, party, "18800000.00")
    done = client.post(
        f"/trading/{project.code}/bid/", {"lot": "1", "envelope": SimpleUploadedFile("bid.ywseal", data)}
    )
    assert done.status_code == 302
    bid = Bid.objects.get(bidder=party.user)
    receipt = client.get(f"/trading/bids/{bid.pk}/receipt.json").json()
    assert bid.ciphertext_sm3 in receipt["content"]
    assert crypto.sm2_verify(receipt["platform_key"], receipt["content"].encode(), receipt["signature"])
    listing = client.get(f"/trading/{project.code}/bid/").content.decode()
    assert "撤回" in listing
    # The public page says nothing of who bid before the closing (招标投标法 §22).
    client.logout()
    public = client.get(f"/trading/{project.code}/").content.decode()
    assert party.user.get_full_name() not in public and "开标" in public


def test_the_public_follows_the_closing_and_the_opening_live(
    client: Client, centre: dict[str, Any], login: Callable[[User], Client]
) -> None:
    project = publish(centre, register(centre))
    parties = [bidder(n) for n in (1, 2, 3)]
    envelopes = [sealed(project, p, f"{18_000_000 + n}.00") for n, p in enumerate(parties)]
    for p, e in zip(parties, envelopes, strict=True):
        login(p.user)
        client.post(f"/trading/{project.code}/bid/", {"lot": "1", "envelope": SimpleUploadedFile("b.ywseal", e)})
    assert Bid.objects.filter(project=project).count() == 3
    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline + timedelta(seconds=1), tick=True):
        login(centre["officer"])
        for step in ("close", "opening_start"):
            assert client.post(f"/workbench/trading/{project.code}/", {"step": step}).status_code == 302
        first = parties[0]
        login(first.user)
        bid = Bid.objects.get(bidder=first.user)
        key = content_key(first, envelopes[0])
        assert client.post(f"/trading/bids/{bid.pk}/decrypt/", {"content_key": key}).status_code == 302
        client.logout()
        live = client.get(f"/trading/{project.code}/live/").content.decode()
        assert "18000000.00" in live and first.user.get_full_name() in live
        page = client.get(f"/trading/{project.code}/").content.decode()
        assert 'hx-trigger="every 5s"' in page and "Merkle" in page


def test_an_objection_raised_and_answered_on_the_project_page(
    client: Client, centre: dict[str, Any], login: Callable[[User], Client]
) -> None:
    """招标投标法实施条例 §22 from the pages: a company objects, the tender pauses, the tenderer answers."""
    project = publish(centre, register(centre))
    party = bidder(1)
    login(party.user)
    page = client.get(f"/trading/{project.code}/").content.decode()
    assert "提出异议" in page
    client.post(f"/trading/{project.code}/objections/", {"text": "资格条件设置过高。"})
    project.refresh_from_db()
    assert project.status == "paused"
    tenderer = centre["custodians"][1].user
    login(tenderer)
    page = client.get(f"/trading/{project.code}/").content.decode()
    assert "资格条件设置过高" in page and "发布答复" in page and party.user.get_full_name() not in page
    objection = project.objections.get()
    client.post(f"/trading/objections/{objection.pk}/answer/", {"answer": "资格条件符合规定。"})
    project.refresh_from_db()
    assert project.status == "bidding"
    api = client.get(f"/api/v1/trading/projects/{project.code}/objections").json()
    assert api[0]["answer"] == "资格条件符合规定。" and "raised_by" not in api[0]
