"""The non-tender methods through the pages and the API (docs/trading.md §4a): the centre names a single
source and the public reads and objects to it before any notice; in a negotiation the centre records the
minutes (read by that supplier alone), calls for final quotes, each supplier seals and opens its own from
its page, the centre concludes the round and delivers the report, and the purchaser awards at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.trading import rules, services
from yiwang.trading.models import (
    Candidate,
    DrawPick,
    FinalQuote,
    NegotiationRecord,
    Objection,
    OpeningRecord,
    ProjectStatus,
    QuoteRound,
    QuoteStatus,
    SingleSourcePublicity,
    TradingProject,
)
from yiwang.trading.tests.factories import bidder, sealed_quote
from yiwang.trading.tests.test_negotiation import _register, negotiating
from yiwang.trading.tests.test_opening import content_key

pytestmark = pytest.mark.django_db


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_single_source_is_named_on_the_workbench_and_read_and_objected_to_in_public(
    procurement: dict[str, Any],
) -> None:
    project = _register(procurement, "single_source")
    supplier, objector = bidder(1), bidder(2)
    officer = _as(procurement["officer"])
    staff_page = f"/workbench/trading/{project.code}/"
    assert 'name="ground"' in officer.get(staff_page).content.decode()
    assert Client().get(f"/trading/{project.code}/").status_code == 404  # nothing public yet
    url = reverse("trading_staff:single_source", args=[project.code])
    refused = officer.post(
        url, {"credit_code": supplier.user.credit_code, "ground": "whim", "reason": "x"}, follow=True
    )
    assert "message-error" in refused.content.decode() and not SingleSourcePublicity.objects.exists()
    officer.post(url, {"credit_code": supplier.user.credit_code, "ground": "sole_supplier", "reason": "专利产品。"})
    publicity = SingleSourcePublicity.objects.get(project=project)
    assert 'data-testid="single-source"' in officer.get(staff_page).content.decode()
    # Public before any notice: on the list and its page, with the supplier's name and the grounds.
    assert project.code in Client().get("/trading/").content.decode()
    page = Client().get(f"/trading/{project.code}/").content.decode()
    assert supplier.user.get_full_name() in page and "专利产品" in page
    objecting = _as(objector.user)
    assert 'name="text"' in objecting.get(f"/trading/{project.code}/").content.decode()
    objecting.post(f"/trading/{project.code}/objections/", {"text": "我公司亦可供货。"})
    assert Objection.objects.get(project=project).subject == "single_source"
    # The API reads it too.
    read = Client().get(f"/api/v1/trading/projects/{project.code}/single-source").json()
    assert read["supplier_credit_code"] == supplier.user.credit_code and read["ends_at"]
    with time_machine.travel(publicity.ends_at + timedelta(minutes=1), tick=True):
        objecting = _as(objector.user)  # signed in afresh: the session lapses after 30 idle minutes
        late = objecting.post(f"/trading/{project.code}/objections/", {"text": "补充"}, follow=True)
        assert "message-error" in late.content.decode() and Objection.objects.count() == 1


def test_a_negotiation_from_the_minutes_to_the_award_through_the_pages(
    procurement: dict[str, Any], make_user: Callable[..., User]
) -> None:
    n = negotiating(procurement, make_user)
    try:
        code = n.project.code
        officer, purchaser = _as(procurement["officer"]), _as(procurement["custodians"][1].user)
        suppliers = [_as(p.user) for p in n.parties]
        staff_page, page = f"/workbench/trading/{code}/", f"/trading/{code}/"
        # No supplier, nor the public, reads a rival's first price while they negotiate (政府采购法 §38(4)):
        # not on the page, not in the API, not in the signed opening record, which commits to each price.
        first_prices = ("1200000.00", "1180000.00", "1250000.00")
        for shown in (
            Client().get(page).content.decode(),
            suppliers[0].get(page).content.decode(),
            Client().get(f"/api/v1/trading/projects/{code}").content.decode(),
        ):
            assert not any(price in shown for price in first_prices[1:])
        record = json.loads(OpeningRecord.objects.get(project=n.project).content)
        assert all(b["price"] is None and len(b["price_sm3"]) == 64 for b in record["bids"])
        assert 'name="minutes"' in officer.get(staff_page).content.decode()
        officer.post(
            reverse("trading_staff:negotiation", args=[code]), {"bid": n.bids[0].pk, "minutes": "驻场4人，甲方同意。"}
        )
        assert NegotiationRecord.objects.filter(bid=n.bids[0]).count() == 1
        assert "驻场4人" in suppliers[0].get(page).content.decode()
        assert "驻场4人" not in suppliers[1].get(page).content.decode()  # not another supplier's to read
        assert "驻场4人" not in Client().get(page).content.decode()
        deadline = timezone.localtime() + timedelta(hours=1)
        officer.post(
            reverse("trading_staff:quote_call", args=[code]),
            {"deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "note": "驻场人数改为4人。"},
        )
        quote_round = QuoteRound.objects.get(project=n.project)
        mine = suppliers[1].get(page).content.decode()
        assert 'data-testid="final-quote-form"' in mine and "驻场人数改为4人" in mine
        assert 'data-testid="final-quote-form"' not in Client().get(page).content.decode()
        prices = ("1090000.00", "1150000.00", "1100000.00")
        envelopes = [sealed_quote(quote_round, p, price) for p, price in zip(n.parties, prices, strict=True)]
        for client, bid, envelope in zip(suppliers, n.bids, envelopes, strict=True):
            upload = SimpleUploadedFile("quote.ywseal", envelope, content_type="application/octet-stream")
            client.post(reverse("trading:final_quote", args=[code]), {"bid": bid.pk, "envelope": upload})
        assert FinalQuote.objects.filter(round=quote_round).count() == 3
        # Someone else's response is refused, and a file that is not a sealed quote too.
        junk = SimpleUploadedFile("quote.ywseal", b"not a quote")
        refused = suppliers[0].post(
            reverse("trading:final_quote", args=[code]), {"bid": n.bids[1].pk, "envelope": junk}, follow=True
        )
        assert "message-error" in refused.content.decode()
        with time_machine.travel(quote_round.deadline + timedelta(seconds=5), tick=True):
            # Signed in afresh: a session lapses after 30 idle minutes.
            officer, purchaser = _as(procurement["officer"]), _as(procurement["custodians"][1].user)
            suppliers = [_as(p.user) for p in n.parties]
            for client, party, envelope in zip(suppliers, n.parties, envelopes, strict=True):
                quote = FinalQuote.objects.get(round=quote_round, bid__bidder=party.user)
                assert f"/trading/quotes/{quote.pk}/decrypt/" in client.get(page).content.decode()
                client.post(f"/trading/quotes/{quote.pk}/decrypt/", {"content_key": content_key(party, envelope)})
            assert set(FinalQuote.objects.values_list("status", flat=True)) == {QuoteStatus.OPENED}
            officer.post(reverse("trading_staff:quote_conclude", args=[code]))
            assert QuoteRound.objects.get(pk=quote_round.pk).concluded_at is not None
            staff = officer.get(staff_page).content.decode()
            assert "1090000.00" in staff and 'data-quote-status="opened"' in staff
            officer.post(reverse("trading_staff:evaluation_report", args=[code]))
            for pick in DrawPick.objects.filter(draw__project=n.project).select_related("expert__user"):
                services.report_sign(actor=pick.expert.user, project=n.project)
            staff = officer.get(staff_page).content.decode()
            assert reverse("trading_staff:report_deliver", args=[code]) in staff
            assert reverse("trading_staff:candidates_publish", args=[code]) not in staff
            officer.post(reverse("trading_staff:report_deliver", args=[code]))
            assert TradingProject.objects.get(pk=n.project.pk).status == ProjectStatus.DELIVERED
            # The purchaser sees the candidates and awards at once; a supplier does not see them yet.
            first = Candidate.objects.get(project=n.project, rank=1)
            assert reverse("trading:award", args=[first.pk]) in purchaser.get(page).content.decode()
            assert 'data-testid="candidates"' not in suppliers[1].get(page).content.decode()
            purchaser.post(reverse("trading:award", args=[first.pk]))
            assert TradingProject.objects.get(pk=n.project.pk).status == ProjectStatus.AWARDED
            public = Client().get(page).content.decode()
            assert 'data-testid="candidates"' in public and "1090000.00" in public
    finally:
        n.clock.stop()


def test_final_quotes_through_the_api(
    procurement: dict[str, Any], make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> None:
    n = negotiating(procurement, make_user)
    try:
        code, api = n.project.code, Client()
        staff = bearer(procurement["officer"])
        made = api.post(
            f"/api/v1/trading/projects/{code}/negotiations",
            {"bid": n.bids[2].pk, "minutes": "售后响应2小时。"},
            content_type="application/json",
            headers=staff,
        )
        assert made.status_code == 201, made.content
        assert api.get(f"/api/v1/trading/projects/{code}/negotiations", headers=bearer(n.parties[0].user)).json() == []
        called = api.post(
            f"/api/v1/trading/projects/{code}/quote-rounds",
            {"deadline": (timezone.now() + timedelta(hours=1)).isoformat(), "note": ""},
            content_type="application/json",
            headers=staff,
        )
        assert called.status_code == 201, called.content
        early = api.post(
            f"/api/v1/trading/projects/{code}/quote-rounds",
            {"deadline": (timezone.now() + timedelta(minutes=1)).isoformat(), "note": ""},
            content_type="application/json",
            headers=staff,
        )
        assert early.status_code in (409, 422) and early.json()["code"]
        party, bid = n.parties[0], n.bids[0]
        envelope = sealed_quote(QuoteRound.objects.get(project=n.project), party, "1000000.00")
        upload = api.post(
            f"/api/v1/trading/bids/{bid.pk}/final-quotes",
            {"envelope": SimpleUploadedFile("q.ywseal", envelope)},
            headers=bearer(party.user),
        )
        assert upload.status_code == 201, upload.content
        assert upload.json()["price"] is None
        other = api.post(
            f"/api/v1/trading/bids/{bid.pk}/final-quotes",
            {"envelope": SimpleUploadedFile("q.ywseal", envelope)},
            headers=bearer(n.parties[1].user),
        )
        assert other.status_code == 404  # not that supplier's response
        deadline = QuoteRound.objects.get(project=n.project).deadline
        with time_machine.travel(deadline + timedelta(seconds=5), tick=True):
            headers = bearer(party.user)
            wrong = api.post(
                f"/api/v1/trading/final-quotes/{upload.json()['id']}/decrypt",
                {"content_key": "0" * 32},
                content_type="application/json",
                headers=headers,
            )
            assert wrong.status_code == 422 and wrong.json()["code"] == "wrong_key"
            opened = api.post(
                f"/api/v1/trading/final-quotes/{upload.json()['id']}/decrypt",
                {"content_key": content_key(party, envelope)},
                content_type="application/json",
                headers=headers,
            )
            assert opened.status_code == 200 and opened.json()["price"] == "1000000.00"
        with time_machine.travel(deadline + rules.DECRYPTION_WINDOW + timedelta(minutes=1), tick=True):
            concluded = api.post(
                f"/api/v1/trading/projects/{code}/quote-rounds/conclusion", headers=bearer(procurement["officer"])
            )
            assert concluded.status_code == 200 and concluded.json()["concluded_at"]
            assert api.get(f"/api/v1/trading/projects/{code}/quote-rounds").status_code == 401
            rounds = api.get(f"/api/v1/trading/projects/{code}/quote-rounds", headers=bearer(party.user)).json()
            assert [r["number"] for r in rounds] == [1] and "price" not in rounds[0] and rounds[0]["public_key"]
            outsider = bearer(make_user())
            assert api.get(f"/api/v1/trading/projects/{code}/quote-rounds", headers=outsider).json() == []
    finally:
        n.clock.stop()
