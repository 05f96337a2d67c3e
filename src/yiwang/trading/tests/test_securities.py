"""投标保证金 (招标投标法实施条例 §26, §57, §74; 政府采购法实施条例 §33): recorded by the centre before the
deadline at the amount the documents ask, released by the step the law names, refunded with interest
within 5 days — late refunds carded — and forfeited only by the winner that refuses the contract."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.trading import services
from yiwang.trading.models import Alert, AlertRule, BidSecurity, Candidate, Lot, SecurityStatus
from yiwang.trading.services.supervision import supervise
from yiwang.trading.tests.factories import bidder, publish, register, sealed
from yiwang.trading.tests.test_award_notice import PRICES, awarded  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_the_centre_records_the_security_the_documents_ask(centre: dict[str, Any], make_user: Any) -> None:
    project = publish(centre, register(centre))
    lot = Lot.objects.get(project=project)
    officer, party = centre["officer"], bidder(1)
    given = {"lot": lot, "bidder": party.user, "form": "guarantee", "reference": "BH-2026-0001"}
    with pytest.raises(ValidationFailed) as wrong:
        services.security_record(actor=officer, amount="380000.00", **given)
    assert "390000.00" in str(wrong.value)
    with pytest.raises(ValidationFailed):
        services.security_record(actor=officer, amount="390000.00", **{**given, "reference": "x" * 65})
    with pytest.raises(ValidationFailed):
        services.security_record(actor=officer, amount="390000.00", **{**given, "bidder": make_user()})
    with pytest.raises(PermissionDenied):
        services.security_record(actor=centre["supervisor"], amount="390000.00", **given)  # 管办分离
    security = services.security_record(actor=officer, amount="390000.00", **given)
    assert security.status == SecurityStatus.HELD and security.refund_due is None
    with pytest.raises(Conflict) as twice:
        services.security_record(actor=officer, amount="390000.00", **given)
    assert twice.value.code == "security_recorded"
    with pytest.raises(Conflict) as held:
        services.security_refund(actor=officer, security=security)
    assert held.value.code == "security_held"  # nothing released it yet
    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline + timedelta(seconds=1), tick=True):
        services.projects_close_due()
        with pytest.raises(Conflict):
            services.security_record(actor=officer, amount="390000.00", **{**given, "bidder": bidder(2).user})


def test_a_lot_not_opened_releases_its_securities_and_a_late_refund_is_carded(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    lot = Lot.objects.get(project=project)
    officer = centre["officer"]
    parties = [bidder(1), bidder(2)]
    for n, party in enumerate(parties):
        services.security_record(
            actor=officer, lot=lot, bidder=party.user, amount="390000.00", form="transfer", reference=f"T{n}"
        )
        services.bid_submit(actor=party.user, project=project, lot_number=1, data=sealed(project, party, "1.00"))
    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline + timedelta(seconds=1), tick=True):
        services.projects_close_due()
        assert services.opening_start(actor=officer, project=project) is None  # two bids: the tender fails
        today = timezone.localdate()
    securities = list(BidSecurity.objects.filter(lot=lot).order_by("pk"))
    assert [s.refund_due for s in securities] == [today + timedelta(days=5)] * 2  # §57
    first, second = securities
    with time_machine.travel(project.bid_deadline + timedelta(days=2), tick=True):
        refunded = services.security_refund(actor=officer, security=first, interest="312.50")
        assert refunded.status == SecurityStatus.REFUNDED and str(refunded.interest) == "312.50"
        with pytest.raises(Conflict) as again:
            services.security_refund(actor=officer, security=first)
        assert again.value.code == "security_status"
        with pytest.raises(ValidationFailed):
            services.security_refund(actor=officer, security=second, interest="-1")
    with time_machine.travel(project.bid_deadline + timedelta(days=7), tick=True):
        supervise()
        supervise()  # once per security, however often the sweep runs
    cards = Alert.objects.filter(project=project, rule=AlertRule.LATE_STEP, basis__startswith="refund:")
    assert [c.basis for c in cards] == [f"refund:{second.pk}"]


def test_a_winner_refusing_the_contract_forfeits_and_the_next_is_awarded(awarded: dict[str, Any]) -> None:  # noqa: F811
    project = awarded["project"]
    lot = Lot.objects.get(project=project)
    now = timezone.now()
    # Recorded before the deadline (written here directly: the fixture's tender is past it).
    winner, loser = (
        BidSecurity.objects.create(
            lot=lot, bidder=awarded[who], amount="390000.00", form="guarantee", reference=who, received_at=now,
            recorded_by=awarded["officer"],
        )
        for who in ("winner", "loser")
    )  # fmt: skip
    tenderer = awarded["tenderer"]
    second = Candidate.objects.get(project=project, rank=2)
    with pytest.raises(Conflict) as not_winner:
        services.award_void(actor=tenderer, candidate=second, reason="拒绝签订合同")
    assert not_winner.value.code == "not_the_winner"
    first = Candidate.objects.get(project=project, awarded=True)
    with pytest.raises(PermissionDenied):  # the centre does not take a winner's award away
        services.award_void(actor=awarded["officer"], candidate=first, reason="拒绝签订合同")
    # 招标投标法实施条例 §74: the winner refuses the contract — its award is void, its security kept …
    from django.test import Client

    page = Client()
    page.force_login(tenderer)
    assert 'data-testid="award-void"' in page.get(f"/trading/{project.code}/").content.decode()
    assert page.post(f"/trading/candidates/{first.pk}/void/", {"reason": "中标人拒绝签订合同"}).status_code == 302
    winner.refresh_from_db()
    project.refresh_from_db()
    assert winner.status == SecurityStatus.FORFEITED and project.status == "publicity"
    with pytest.raises(Conflict) as declined:
        services.award(actor=tenderer, candidate=first)
    assert declined.value.code == "candidate_declined"
    # … and the next candidate in the committee's order is awarded (§55), then signs.
    services.award(actor=tenderer, candidate=second)
    services.contract_sign(
        actor=tenderer, project=project, amount=str(second.bid.price), signed_on=timezone.localdate()
    )
    loser.refresh_from_db()
    assert loser.refund_due == timezone.localdate() + timedelta(days=5) and loser.status == SecurityStatus.HELD
