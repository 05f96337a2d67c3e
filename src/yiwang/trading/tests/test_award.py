"""定标 lot by lot: a project of two lots is awarded once both have their winner; a lot is awarded once;
a procurement awards its candidates in the report's order (政府采购法实施条例 §43)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.core.crypto import sm2_verify
from yiwang.core.errors import Conflict, ValidationFailed
from yiwang.trading import selectors, services
from yiwang.trading.models import (
    AwardRecord,
    Bid,
    BidStatus,
    Candidate,
    Contract,
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


def test_the_award_is_signed_and_each_lot_has_its_own_contract(
    centre: dict[str, Any], make_user: Callable[..., User]
) -> None:
    """The platform signs the award once every lot has its winner (verifiable with its public key); a
    voided award keeps its record, marked, and the next award signs anew. Each awarded lot has its own
    contract for its winner's price; the project is contracted with the last (招标投标法 §46)."""
    project, bids, clock = _published(centre, make_user)
    try:
        tenderer = centre["custodians"][1].user
        second = Lot.objects.create(project=project, number=2, title="附属工程", estimate="1000000.00")
        other = bids[1]
        bid = Bid.objects.create(
            project=project, lot=second, bidder=other.bidder, bidder_key=other.bidder_key, status=BidStatus.OPENED,
            envelope=other.envelope.name, ciphertext_sm3="1" * 64, envelope_sm3="2" * 64, size=1,
            submitted_at=other.submitted_at, price="990000.00",
        )  # fmt: skip
        Candidate.objects.create(project=project, lot=second, bid=bid, rank=1, price="990000.00")
        first = Candidate.objects.get(lot__number=1, lot__project=project, rank=1)
        services.award(actor=tenderer, candidate=first)
        assert not AwardRecord.objects.filter(project=project).exists()  # one lot still waits
        lot_two = Candidate.objects.get(lot=second)
        services.award(actor=tenderer, candidate=lot_two)
        record = AwardRecord.objects.select_related("key").get(project=project)
        assert sm2_verify(record.key.public_key, record.content.encode(), record.signature)
        content = json.loads(record.content)
        assert [(lot["lot"], lot["price"]) for lot in content["lots"]] == [(1, str(first.price)), (2, "990000.00")]
        listed = Client().get(f"/api/v1/trading/projects/{project.code}/award-records").json()
        assert listed[0]["signature"] == record.signature and listed[0]["voided_at"] is None

        # The second lot's winner declines: the record is void; awarded again, a new one is signed.
        services.award_void(actor=tenderer, candidate=lot_two, reason="中标人放弃")
        assert AwardRecord.objects.get(pk=record.pk).voided_at is not None
        runner = Bid.objects.create(
            project=project, lot=second, bidder=bids[2].bidder, bidder_key=bids[2].bidder_key,
            status=BidStatus.OPENED, envelope=other.envelope.name, ciphertext_sm3="3" * 64, envelope_sm3="4" * 64,
            size=1, submitted_at=other.submitted_at, price="995000.00",
        )  # fmt: skip
        next_one = Candidate.objects.create(project=project, lot=second, bid=runner, rank=2, price="995000.00")
        services.award(actor=tenderer, candidate=next_one)
        assert AwardRecord.objects.filter(project=project, voided_at__isnull=True).count() == 1

        today = timezone.localdate()
        with pytest.raises(ValidationFailed) as which:
            services.contract_sign(actor=tenderer, project=project, amount=str(first.price), signed_on=today)
        assert which.value.details["errors"][0]["field"] == "lot"
        lot_one = Lot.objects.get(project=project, number=1)
        with pytest.raises(ValidationFailed) as departs:
            services.contract_sign(actor=tenderer, project=project, amount="995000.00", signed_on=today, lot=lot_one)
        assert departs.value.code == "contract_departs_from_bid"
        services.contract_sign(actor=tenderer, project=project, amount=str(first.price), signed_on=today, lot=lot_one)
        project.refresh_from_db()
        assert project.status == ProjectStatus.AWARDED and project.events.filter(action="contract_lot").exists()
        with pytest.raises(Conflict) as twice:
            services.contract_sign(
                actor=tenderer, project=project, amount=str(first.price), signed_on=today, lot=lot_one
            )
        assert twice.value.code == "lot_contracted"
        services.contract_sign(actor=tenderer, project=project, amount="995000.00", signed_on=today)  # the one left
        project.refresh_from_db()
        assert project.status == ProjectStatus.CONTRACTED
        assert project.contract_amount == (first.price or Decimal(0)) + Decimal("995000.00")
        assert Contract.objects.filter(project=project).count() == 2
        releases = Client().get(f"/api/v1/trading/ocds/releases/{project.code}").json()["releases"]
        contracts = [r["contracts"] for r in releases if r["tag"] == ["contract"]]
        assert [len(c) for c in contracts] == [1, 2]  # the first lot's, then both
        pdf = Client()
        pdf.force_login(tenderer)
        notice = pdf.get(f"/trading/{project.code}/award-notice.pdf")
        assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    finally:
        clock.stop()
