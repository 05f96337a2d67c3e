"""The evaluation and what follows it, clicked through the pages (docs/trading.md §6a): the centre starts
the evaluation from the workbench, each committee member scores the opened bids on its own page (a score
out of range refused, nothing saved; anyone else not told the page exists), the centre makes the report,
the members sign it, the centre publishes the candidates (招标投标法实施条例 §54), and after the
publicity the tenderer awards (a losing bidder cannot) and records the contract (招标投标法 §46)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.trading.models import Candidate, Criterion, DrawPick, ReportSignature, Score, TradingProject
from yiwang.trading.tests.test_award_notice import GIVEN
from yiwang.trading.tests.test_evaluation import PRICES, opened_project

pytestmark = pytest.mark.django_db


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _status(project: TradingProject) -> str:
    project.refresh_from_db()
    return project.status


def test_the_committee_and_the_tenderer_go_from_the_opening_to_the_contract_through_the_pages(
    centre: dict[str, Any], make_user: Callable[..., User]
) -> None:
    project, bids, clock = opened_project(centre, make_user)
    try:
        code = project.code
        officer, tenderer = _as(centre["officer"]), _as(centre["custodians"][1].user)
        members = [_as(p.expert.user) for p in DrawPick.objects.filter(draw__project=project).order_by("rank")]
        technical, commercial, price = Criterion.objects.filter(project=project).order_by("order")
        page, staff_page = f"/trading/{code}/evaluation/", f"/workbench/trading/{code}/"

        # Only a confirmed member of the committee has the page; anyone else is not told it exists.
        assert Client().get(page).status_code == 302  # to the login page
        for other in (make_user(), bids[0].bidder, centre["officer"], centre["custodians"][1].user):
            assert _as(other).get(page).status_code == 404
        before = members[0].get(page)
        assert before.status_code == 200 and 'data-testid="score-form"' not in before.content.decode()

        # The centre starts the evaluation from its page.
        start = reverse("trading_staff:evaluation_start", args=[code])
        assert start in officer.get(staff_page).content.decode()
        assert officer.post(start).status_code == 302
        assert _status(project) == "evaluating"
        assert reverse("trading_staff:evaluation_report", args=[code]) in officer.get(staff_page).content.decode()

        # A member's page: a form per opened bid, a number per non-price criterion; price points computed.
        html = members[0].get(page).content.decode()
        assert html.count('data-testid="score-form"') == 3
        assert f'name="points[{technical.pk}]" min="0" max="50.00" step="0.01"' in html
        assert f'name="points[{commercial.pk}]" min="0" max="20.00" step="0.01"' in html
        assert f"points[{price.pk}]" not in html and 'data-testid="price-computed"' in html
        assert '<th scope="col">' in html and '<th scope="row">' in html

        # A score out of range: 422, the Chinese message beside the field, nothing saved.
        out = {"bid": bids[0].pk, f"points[{technical.pk}]": "51", f"points[{commercial.pk}]": "10"}
        refused = members[0].post(page, out)
        assert refused.status_code == 422
        text = refused.content.decode()
        assert (
            "分值在 0 至 50.00 之间，最多两位小数。" in text and 'value="51"' in text and 'aria-invalid="true"' in text
        )
        assert not Score.objects.exists()

        # Every member scores every bid through the page, and finds its scores there again.
        for member in members:
            for n, bid in enumerate(bids):
                tech, comm = GIVEN[n]
                scored = member.post(
                    page, {"bid": bid.pk, f"points[{technical.pk}]": tech, f"points[{commercial.pk}]": comm}
                )
                assert scored.status_code == 302
        assert Score.objects.count() == len(members) * len(bids) * 2
        again = members[0].get(page).content.decode()
        assert 'value="45.00"' in again and 'data-scored="no"' not in again

        # The centre makes the report; each member reads it with its SM3 and signs it on the page.
        assert officer.post(reverse("trading_staff:evaluation_report", args=[code])).status_code == 302
        assert _status(project) == "reported"
        sign = reverse("trading:report_sign", args=[code])
        report = members[0].get(page).content.decode()
        assert 'data-testid="report"' in report and 'data-testid="report-sm3"' in report and sign in report
        assert _as(make_user()).post(sign).status_code == 404
        for n, member in enumerate(members):  # the last disagrees, in writing (招标投标法实施条例 §53)
            dissent = {"dissent": "投标人二的施工组织设计更优。"} if n == len(members) - 1 else {}
            assert member.post(sign, dissent).status_code == 302
        assert ReportSignature.objects.filter(project=project).count() == len(members)
        signed = members[0].get(page).content.decode()
        assert 'data-testid="signed"' in signed and sign not in signed
        assert 'data-testid="dissent"' in members[-1].get(page).content.decode()

        # The centre publishes the candidates; the tenderer awards only after the publicity.
        publish = reverse("trading_staff:candidates_publish", args=[code])
        assert publish in officer.get(staff_page).content.decode()
        assert officer.post(publish).status_code == 302
        assert _status(project) == "publicity"
        public = Client().get(reverse("trading:project", args=[code])).content.decode()
        assert 'data-testid="dissents"' in public and "投标人二的施工组织设计更优。" in public
        first = Candidate.objects.get(project=project, rank=1)
        award = reverse("trading:award", args=[first.pk])
        assert award not in tenderer.get(f"/trading/{code}/").content.decode()
        clock.stop()
        assert project.publicity_until is not None
        clock = time_machine.travel(project.publicity_until + timedelta(seconds=1), tick=True)
        clock.start()
        tenderer = _as(centre["custodians"][1].user)  # days later: the earlier session has expired
        assert award in tenderer.get(f"/trading/{code}/").content.decode()
        loser = _as(bids[1].bidder)
        assert award not in loser.get(f"/trading/{code}/").content.decode()
        refused = loser.post(award, follow=True)
        assert "中标人由招标人确定。" in refused.content.decode()
        assert _status(project) == "publicity" and not Candidate.objects.filter(awarded=True).exists()
        assert tenderer.post(award).status_code == 302
        assert _status(project) == "awarded"
        assert Candidate.objects.get(awarded=True) == first

        # The tenderer records the contract: not departing from the winning bid.
        public = tenderer.get(f"/trading/{code}/").content.decode()
        assert 'data-testid="contract-form"' in public and award not in public
        assert 'data-testid="contract-form"' not in loser.get(f"/trading/{code}/").content.decode()
        contract = reverse("trading:contract", args=[code])
        today = timezone.localdate().isoformat()
        departs = tenderer.post(contract, {"amount": "18800000.01", "signed_on": today}, follow=True)
        assert "合同金额应与中标价一致：18800000.00 元" in departs.content.decode()
        assert _status(project) == "awarded"
        assert tenderer.post(contract, {"amount": PRICES[0], "signed_on": today}).status_code == 302
        assert _status(project) == "contracted"
        shown = Client().get(f"/trading/{code}/").content.decode()
        assert 'data-testid="contract"' in shown and "合同金额 18800000.00 元" in shown
    finally:
        clock.stop()
