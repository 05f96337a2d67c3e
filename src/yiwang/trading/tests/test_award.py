"""定标 lot by lot: a project of two lots is awarded once both have their winner; a lot is awarded once;
a procurement awards its candidates in the report's order (政府采购法实施条例 §43)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from yiwang.accounts.models import User
from yiwang.core.errors import Conflict, ValidationFailed
from yiwang.trading import selectors, services
from yiwang.trading.models import (
    Bid,
    BidStatus,
    Candidate,
    Criterion,
    DrawPick,
    Lot,
    ProjectKind,
    ProjectStatus,
    TradingProject,
)
from yiwang.trading.tests.test_award_notice import GIVEN
from yiwang.trading.tests.test_evaluation import opened_project

pytestmark = pytest.mark.django_db


def _published(centre: dict[str, Any], make_user: Callable[..., User]) -> tuple[TradingProject, list[Bid], Any]:
    project, bids, clock = opened_project(centre, make_user)
    officer = centre["officer"]
    members = [p.expert.user for p in DrawPick.objects.filter(draw__project=project).order_by("rank")]
    services.evaluation_start(actor=officer, project=project)
    technical, commercial, _price = Criterion.objects.filter(project=project).order_by("order")
    for member in members:
        for n, bid in enumerate(bids):
            tech, comm = GIVEN[n]
            services.scores_submit(actor=member, bid=bid, points={technical.pk: tech, commercial.pk: comm})
    services.evaluation_report(actor=officer, project=project)
    for n, member in enumerate(members):
        if n == 4:  # 招标投标法实施条例 §53: a member who disagrees says why, in writing, and still signs
            with pytest.raises(ValidationFailed):
                services.report_sign(actor=member, project=project, dissent="理" * 2001)
            services.report_sign(actor=member, project=project, dissent="第二名的施工组织设计更优，应排第一。")
        else:
            services.report_sign(actor=member, project=project)
    assert selectors.dissents_of(project) == [(5, "第二名的施工组织设计更优，应排第一。")]
    project = services.candidates_publish(actor=officer, project=project)
    assert project.publicity_until is not None
    clock.stop()
    clock = time_machine.travel(project.publicity_until + timedelta(seconds=1), tick=True)
    clock.start()
    return project, bids, clock


def test_two_lots_are_awarded_one_by_one(centre: dict[str, Any], make_user: Callable[..., User]) -> None:
    project, bids, clock = _published(centre, make_user)
    try:
        tenderer = centre["custodians"][1].user
        # A second lot with its own first candidate (written here: the fixture's tender has one lot).
        second = Lot.objects.create(project=project, number=2, title="附属工程", estimate="1000000.00")
        other = bids[1]
        bid = Bid.objects.create(
            project=project, lot=second, bidder=other.bidder, bidder_key=other.bidder_key, status=BidStatus.OPENED,
            envelope=other.envelope.name, ciphertext_sm3="1" * 64, envelope_sm3="2" * 64, size=1,
            submitted_at=other.submitted_at, price="990000.00",
        )  # fmt: skip
        Candidate.objects.create(project=project, lot=second, bid=bid, rank=1)
        first = Candidate.objects.get(lot__number=1, lot__project=project, rank=1)
        services.award(actor=tenderer, candidate=first)
        project.refresh_from_db()
        assert project.status == ProjectStatus.PUBLICITY and project.awarded_at is None
        assert project.events.filter(action="award_lot").exists()
        with pytest.raises(Conflict) as again:
            services.award(actor=tenderer, candidate=first)
        assert again.value.code == "lot_awarded"
        services.award(actor=tenderer, candidate=Candidate.objects.get(lot=second))
        project.refresh_from_db()
        assert project.status == ProjectStatus.AWARDED and project.awarded_at is not None
    finally:
        clock.stop()


def test_a_procurement_awards_in_the_report_s_order(centre: dict[str, Any], make_user: Callable[..., User]) -> None:
    project, _bids, clock = _published(centre, make_user)
    try:
        TradingProject.objects.filter(pk=project.pk).update(kind=ProjectKind.PROCUREMENT, state_funded=False)
        second = Candidate.objects.get(project=project, rank=2)
        with pytest.raises(Conflict) as order:
            services.award(actor=centre["custodians"][1].user, candidate=second)
        assert (order.value.code == "first_candidate" and "第四十三条" in str(order.value.message)) or "§43" in str(
            order.value.message
        )
    finally:
        clock.stop()
