"""中标通知书 (招标投标法 §45) as a PDF: the winning bidder, the tenderer, the centre's officer and the
supervisor download it, page or API; a losing bidder, an unrelated account and anyone before the award
get 404, not told whether it exists."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from yiwang.accounts.models import User
from yiwang.trading import rules, services
from yiwang.trading.models import Candidate, Criterion, DrawPick
from yiwang.trading.tests.factories import bidder, publish, register
from yiwang.trading.tests.test_evaluation import PRICES, opened_project

pytestmark = pytest.mark.django_db

# Technical and commercial points per bid: the first bid (18,800,000.00) ranks first.
GIVEN = {0: ("45", "18"), 1: ("40", "15"), 2: ("30", "10")}


@pytest.fixture
def awarded(centre: dict[str, Any], make_user: Callable[..., User]) -> Iterator[dict[str, Any]]:
    """test_evaluation's tender driven to the award of its first candidate, the clock past the publicity."""
    project, bids, clock = opened_project(centre, make_user)
    try:
        officer, tenderer = centre["officer"], centre["custodians"][1].user
        members = [p.expert.user for p in DrawPick.objects.filter(draw__project=project).order_by("rank")]
        services.evaluation_start(actor=officer, project=project)
        technical, commercial, _price = Criterion.objects.filter(project=project).order_by("order")
        for member in members:
            for n, bid in enumerate(bids):
                tech, comm = GIVEN[n]
                services.scores_submit(actor=member, bid=bid, points={technical.pk: tech, commercial.pk: comm})
        services.evaluation_report(actor=officer, project=project)
        for member in members:
            services.report_sign(actor=member, project=project)
        project = services.candidates_publish(actor=officer, project=project)
        assert project.publicity_until is not None
        clock.stop()
        clock = time_machine.travel(project.publicity_until + timedelta(seconds=1), tick=True)
        clock.start()
        services.award(actor=tenderer, candidate=Candidate.objects.get(project=project, rank=1))
        project.refresh_from_db()
        yield {
            "project": project,
            "winner": bids[0].bidder,
            "loser": bids[1].bidder,
            "tenderer": tenderer,
            "officer": officer,
            "supervisor": centre["supervisor"],
            "stranger": make_user(),
        }
    finally:
        clock.stop()


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return text.replace(" ", "").replace("\n", "")


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_winner_downloads_the_award_notice_and_others_get_404(awarded: dict[str, Any]) -> None:
    project, winner = awarded["project"], awarded["winner"]
    url = f"/trading/{project.code}/award-notice.pdf"
    response = _as(winner).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"{project.code}-award-notice.pdf" in response["Content-Disposition"]
    text = _text(response.content)
    assert winner.get_full_name() in text and winner.credit_code in text
    assert PRICES[0] in text and project.code in text and project.title in text
    assert project.tenderer_department is not None and project.tenderer_department.name in text
    assert project.awarded_at is not None
    assert f"{timezone.localdate(rules.contract_due(project.awarded_at)):%Y年%m月%d日}" in text  # §46: 30 days
    for user in ("tenderer", "officer", "supervisor"):
        assert _as(awarded[user]).get(url).status_code == 200, user
    for user in ("loser", "stranger"):
        assert _as(awarded[user]).get(url).status_code == 404, user
    assert Client().get(url).status_code == 302  # to the login page
    # The project page links it for those who may download it, and only for them.
    assert 'data-testid="award-notice"' in _as(winner).get(f"/trading/{project.code}/").content.decode()
    assert 'data-testid="award-notice"' not in _as(awarded["loser"]).get(f"/trading/{project.code}/").content.decode()
    assert 'data-testid="award-notice"' not in Client().get(f"/trading/{project.code}/").content.decode()
    # Still the winner's once the contract is recorded.
    services.contract_sign(actor=awarded["tenderer"], project=project, amount=PRICES[0], signed_on=timezone.localdate())
    assert _as(winner).get(url).status_code == 200


def test_the_api_applies_the_same_rule(awarded: dict[str, Any], bearer: Callable[[User], dict[str, str]]) -> None:
    project = awarded["project"]
    url = f"/api/v1/trading/projects/{project.code}/award-notice.pdf"
    response = Client().get(url, headers=bearer(awarded["winner"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert awarded["winner"].get_full_name() in text and PRICES[0] in text
    for user in ("tenderer", "officer", "supervisor"):
        assert Client().get(url, headers=bearer(awarded[user])).status_code == 200, user
    for user in ("loser", "stranger"):
        refused = Client().get(url, headers=bearer(awarded[user]))
        assert (refused.status_code, refused.json()["code"]) == (404, "not_found"), user
    assert Client().get(url).status_code == 401


def test_no_award_notice_before_the_award(centre: dict[str, Any], bearer: Callable[[User], dict[str, str]]) -> None:
    project = publish(centre, register(centre))
    tenderer = centre["custodians"][1].user
    assert _as(tenderer).get(f"/trading/{project.code}/award-notice.pdf").status_code == 404
    api = Client().get(f"/api/v1/trading/projects/{project.code}/award-notice.pdf", headers=bearer(tenderer))
    assert (api.status_code, api.json()["code"]) == (404, "not_awarded")
    company = bidder(7).user
    assert _as(company).get(f"/trading/{project.code}/award-notice.pdf").status_code == 404
