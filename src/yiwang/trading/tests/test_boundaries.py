"""What an outsider tried after the complaints and securities landed: another department's supervisor,
a renewed procurement suspension, an early answer shortening the complaint window, a complaint about the
opening with no objection at it, a withdrawn bid's security, a supplier winning one lot and losing another,
dates far out of range, cards during bidding, a public key with spaces."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yiwang.accounts.roles import Role
from yiwang.core import crypto
from yiwang.core.errors import Conflict, PermissionDenied
from yiwang.trading import rules, services
from yiwang.trading.models import Alert, BidSecurity, Lot, Objection, ProjectKind, TradingProject
from yiwang.trading.services.supervision import supervise
from yiwang.trading.tests.factories import bidder, publish, register, sealed

pytestmark = pytest.mark.django_db


def _complaint(project: TradingProject, party: Any, subject: str = "other", **more: Any) -> Any:
    return services.complaint_file(
        actor=party.user, project=project, subject=subject, request="请求。", grounds="理由。",
        known_on=timezone.localdate(), **more,
    )  # fmt: skip


def test_only_the_supervising_department_handles_a_complaint(centre: dict[str, Any], make_user: Any) -> None:
    """管办分离: a supervisor of the tenderer's department (finance) is not the project's supervisor (housing)."""
    project = publish(centre, register(centre))
    complaint = _complaint(project, bidder(1))
    other = make_user(Role.SUPERVISOR, department=centre["tenderer"], region=centre["region"])
    for act in (services.complaint_accept, services.project_suspend):
        with pytest.raises(PermissionDenied):
            act(actor=other, complaint=complaint)
    response = Client()
    response.force_login(other)
    assert (
        response.get(f"/workbench/trading/{project.code}/supervision/")
        .content.decode()
        .count('data-testid="complaint"')
        == 0
    )
    services.complaint_accept(actor=centre["supervisor"], complaint=complaint)


def test_a_procurement_is_suspended_thirty_days_in_all(centre: dict[str, Any]) -> None:
    """政府采购法 §57: a second suspension after the first ran out gets what is left of the thirty days."""
    project = publish(centre, register(centre))
    TradingProject.objects.filter(pk=project.pk).update(kind=ProjectKind.PROCUREMENT)
    party = bidder(1)
    objection = services.objection_raise(actor=party.user, project=project, text="需求指向特定品牌。")
    services.objection_answer(actor=centre["custodians"][1].user, objection=objection, answer="不予修改。")
    first = _complaint(project, party, subject="documents", objection=objection)
    second = _complaint(project, party, objection=objection)
    supervisor = centre["supervisor"]
    project = services.project_suspend(actor=supervisor, complaint=first)
    assert project.suspended_until is not None
    deadline = project.bid_deadline
    assert deadline is not None
    with time_machine.travel(project.suspended_until + timedelta(hours=1), tick=True):
        # The suspension ran out by itself: the closing sweep gives its thirty days back to the bidders.
        assert services.projects_close_due() == 0
        project.refresh_from_db()
        assert project.bid_deadline == deadline + timedelta(days=30) and project.suspended_at is None
        assert project.events.filter(action="lift").exists()
        with pytest.raises(Conflict) as spent:
            services.project_suspend(actor=supervisor, complaint=second)
        assert spent.value.code == "suspension_spent"


def test_a_procurement_complaint_counts_from_the_end_of_the_answer_period(centre: dict[str, Any]) -> None:
    """政府采购法 §55: 答复期满后十五个工作日 — an early answer does not shorten it."""
    project = publish(centre, register(centre))
    TradingProject.objects.filter(pk=project.pk).update(kind=ProjectKind.PROCUREMENT)
    project.refresh_from_db()
    objection = Objection(
        project=project, raised_at=timezone.now(), answered_at=timezone.now(),
        answer_due=rules.objection_answer_due(timezone.now(), procurement=True),
    )  # fmt: skip
    due = services.complaint_due(project, timezone.localdate(), objection)
    assert due == rules.working_day_due(timezone.localdate(objection.answer_due), 15)


def test_a_complaint_about_the_opening_follows_an_objection_at_it(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    with pytest.raises(Conflict) as first:
        _complaint(project, bidder(1), subject="opening")
    assert first.value.code == "objection_first"  # 招标投标法实施条例 §60 ¶2 with §44
    with pytest.raises(Conflict):  # not before the opening
        services.objection_raise(actor=bidder(1).user, project=project, text="开标异议。", subject="opening")


def test_a_withdrawn_bid_and_a_lost_lot_release_their_securities(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    lot = Lot.objects.get(project=project)
    party = bidder(1)
    services.security_record(
        actor=centre["officer"], lot=lot, bidder=party.user, amount="390000.00", form="transfer", reference="T1"
    )
    receipt = services.bid_submit(actor=party.user, project=project, lot_number=1, data=sealed(project, party, "1.00"))
    services.bid_withdraw(actor=party.user, bid=receipt.bid)
    assert BidSecurity.objects.get().refund_due == timezone.localdate() + timedelta(days=5)  # §35


def test_dates_out_of_range_are_refused_not_a_500(centre: dict[str, Any], bearer: Any, make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(Role.CENTRE_ADMIN, region=centre["region"]))
    page = client.get("/workbench/oversight/", {"start": "0001-01-01", "end": "9999-12-31"})
    assert page.status_code == 200 and "2000" in page.content.decode()
    far = {"start": "9999-12-30", "end": "9999-12-31"}
    api = Client().get("/api/v1/trading/figures", far, headers=bearer(centre["officer"]))
    assert api.status_code == 422


def test_no_card_on_the_bids_while_bidding(centre: dict[str, Any]) -> None:
    """A card during bidding would tell the centre how many bid (招标投标法 §22)."""
    project = publish(centre, register(centre))
    for n in (1, 2):
        party = bidder(n)
        services.bid_submit(
            actor=party.user,
            project=project,
            lot_number=1,
            data=sealed(project, party, "1.00"),
            source_address="10.0.0.1",
        )
    supervise()
    assert not Alert.objects.filter(project=project).exists()


def test_a_public_key_with_spaces_is_not_a_key() -> None:
    _private, public = crypto.sm2_key_pair()
    assert crypto.sm2_public_key_valid(public)
    assert not crypto.sm2_public_key_valid(" " + public[:63] + public[64:])
    assert not crypto.sm2_public_key_valid(public[:10] + "_" + public[11:])
