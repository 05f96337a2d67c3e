"""From the opening to the contract: criteria, the committee's independent scores with outliers flagged,
the report with at most three candidates (招标投标法实施条例 §53), the members' signatures, the publicity
(§54) with an objection that blocks the award, the first candidate for a state-funded project (§55),
and a contract that may not exceed the winning bid (招标投标法 §46)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.trading import services
from yiwang.trading.models import Candidate, Criterion, DrawPick, Score, TradingProject
from yiwang.trading.tests.factories import bidder, publish, register, sealed
from yiwang.trading.tests.ocds_check import ocds_review
from yiwang.trading.tests.test_draw import pool
from yiwang.trading.tests.test_opening import content_key

pytestmark = pytest.mark.django_db

PRICES = ("18800000.00", "18650000.00", "19010000.00")


def opened_project(centre: dict[str, Any], make_user: Any) -> tuple[TradingProject, list[Any], Any]:
    """A state-funded tender with criteria, three opened bids and a confirmed committee of five; the
    clock is left past the opening (returned, to be exited by the caller)."""
    project = register(centre, state_funded=True, evaluation_method="scoring")
    services.criteria_set(
        actor=centre["officer"],
        project=project,
        criteria=[
            services.CriterionIn("施工组织设计", "technical", "50"),
            services.CriterionIn("企业业绩", "commercial", "20"),
            services.CriterionIn("投标报价", "price", "30"),
        ],
    )
    project = publish(centre, project)
    parties = [bidder(n) for n in (1, 2, 3)]
    envelopes = [sealed(project, p, price) for p, price in zip(parties, PRICES, strict=True)]
    bids = [
        services.bid_submit(actor=p.user, project=project, lot_number=1, data=e).bid
        for p, e in zip(parties, envelopes, strict=True)
    ]
    assert project.bid_deadline is not None
    clock = time_machine.travel(project.bid_deadline + timedelta(seconds=1), tick=True)
    clock.start()
    services.projects_close_due()
    opening = services.opening_start(actor=centre["officer"], project=project)
    for party, bid, envelope in zip(parties, bids, envelopes, strict=True):
        services.bid_decrypt(actor=party.user, bid=bid, content_key=content_key(party, envelope))
    assert opening is not None
    clock.stop()
    clock = time_machine.travel(opening.window_ends + timedelta(seconds=1), tick=True)
    clock.start()
    services.opening_conclude(actor=centre["officer"], project=project)
    pool(centre, make_user, 7)
    _draw, tokens = services.draw_make(actor=centre["officer"], project=project, specialty="building", count=5)
    for token in tokens:
        services.pick_respond(token=token, accept=True)
    project.refresh_from_db()
    return project, bids, clock


def test_a_tender_from_the_opening_to_the_contract(
    centre: dict[str, Any], make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, bids, clock = opened_project(centre, make_user)
    try:
        officer, tenderer = centre["officer"], centre["custodians"][1].user
        members = [p.expert.user for p in DrawPick.objects.filter(draw__project=project).order_by("rank")]
        with pytest.raises(Conflict):
            services.scores_submit(actor=members[0], bid=bids[0], points={})  # not yet evaluating
        services.evaluation_start(actor=officer, project=project)
        technical, commercial, _price = Criterion.objects.filter(project=project).order_by("order")
        with pytest.raises(PermissionDenied):
            services.scores_submit(actor=officer, bid=bids[0], points={technical.pk: "40", commercial.pk: "10"})
        with pytest.raises(ValidationFailed) as out_of_range:
            services.scores_submit(actor=members[0], bid=bids[0], points={technical.pk: "51", commercial.pk: "10"})
        assert out_of_range.value.code == "score_out_of_range"
        with pytest.raises(ValidationFailed):
            services.scores_submit(actor=members[0], bid=bids[0], points={technical.pk: "40"})  # one missing
        given = {0: ("45", "18"), 1: ("40", "15"), 2: ("30", "10")}
        for n, member in enumerate(members):
            for b, bid in enumerate(bids):
                tech, comm = given[b]
                if n == 4 and b == 2:
                    tech = "50"  # far from the others' 30: flagged
                services.scores_submit(actor=member, bid=bid, points={technical.pk: tech, commercial.pk: comm})
        candidates = services.evaluation_report(actor=officer, project=project)
        assert [c.bid_id for c in sorted(candidates, key=lambda c: c.rank)] == [bids[0].pk, bids[1].pk, bids[2].pk]
        first = next(c for c in candidates if c.rank == 1)
        # 45 + 18 averaged, price 30 × 18,650,000 / 18,800,000
        assert first.total == (
            Decimal(63) + (Decimal(30) * Decimal("18650000") / Decimal("18800000")).quantize(Decimal("0.01"))
        )
        assert Score.objects.filter(outlier=True).count() == 1
        with pytest.raises(Conflict) as unsigned:
            services.candidates_publish(actor=officer, project=project)
        assert unsigned.value.code == "report_unsigned"
        for member in members:
            services.report_sign(actor=member, project=project)
        from django.test import Client

        assert 'data-testid="candidates"' not in Client().get(f"/trading/{project.code}/").content.decode()
        project = services.candidates_publish(actor=officer, project=project)
        public = Client().get(f"/trading/{project.code}/").content.decode()
        assert 'data-testid="candidates"' in public and "18800000.00" in public and "第五十四条" in public
        assert project.publicity_until - project.publicity_from > timedelta(days=3)  # type: ignore[operator]
        loser = bidder(9)
        objection = services.objection_raise(
            actor=loser.user, project=project, text="第一中标候选人业绩造假。", subject="candidates"
        )
        clock.stop()
        clock = time_machine.travel(project.publicity_until + timedelta(seconds=1), tick=True)  # type: ignore[operator]
        clock.start()
        first = Candidate.objects.get(project=project, rank=1)
        second = Candidate.objects.get(project=project, rank=2)
        with pytest.raises(Conflict) as open_objection:
            services.award(actor=tenderer, candidate=first)
        assert open_objection.value.code == "objection_open"
        services.objection_answer(actor=tenderer, objection=objection, answer="经核查，业绩真实。")
        with pytest.raises(Conflict) as not_first:
            services.award(actor=tenderer, candidate=second)
        assert not_first.value.code == "first_candidate"
        with pytest.raises(PermissionDenied):
            services.award(actor=officer, candidate=first)
        services.award(actor=tenderer, candidate=first)
        with pytest.raises(ValidationFailed) as above:
            services.contract_sign(
                actor=tenderer, project=project, amount="18800000.01", signed_on=timezone.localdate()
            )
        assert above.value.code == "contract_departs_from_bid"
        project = services.contract_sign(
            actor=tenderer, project=project, amount="18800000.00", signed_on=timezone.localdate()
        )
        assert project.status == "contracted"
        assert list(project.events.values_list("action", flat=True))[-4:] == [
            "objection",
            "objection_answer",
            "award",
            "contract",
        ]
        assert "合同金额 18800000.00 元" in Client().get(f"/trading/{project.code}/").content.decode()
        # Published as OCDS 1.1.5, and valid by lib-cove-ocds (offline).
        for kind in ("releases", "records"):
            package = Client().get(f"/api/v1/trading/ocds/{kind}/{project.code}").json()
            review = ocds_review(package, monkeypatch)
            assert review["validation_errors"] == [], review["validation_errors"]
            assert not review["additional_fields"]
        broken = {**package, "records": [{"ocid": 1}]}  # the validator is live: an invalid package fails
        assert ocds_review(broken, monkeypatch)["validation_errors"]
        compiled = package["records"][0]["compiledRelease"]
        assert compiled["ocid"].endswith(project.code) and compiled["contracts"][0]["value"]["amount"] == 18800000.0
        assert compiled["tender"]["numberOfTenderers"] == 3 and compiled["awards"][0]["suppliers"]
    finally:
        clock.stop()


def test_criteria_add_up_to_a_hundred_with_one_price_factor(centre: dict[str, Any]) -> None:
    project = register(centre, evaluation_method="scoring")
    bad = [
        [services.CriterionIn("技术", "technical", "70"), services.CriterionIn("报价", "price", "20")],
        [services.CriterionIn("技术", "technical", "70"), services.CriterionIn("商务", "commercial", "30")],
        [services.CriterionIn("技术", "technical", "70.001"), services.CriterionIn("报价", "price", "29.999")],
    ]
    for criteria in bad:
        with pytest.raises(ValidationFailed):
            services.criteria_set(actor=centre["officer"], project=project, criteria=criteria)
    assert not Criterion.objects.exists()
