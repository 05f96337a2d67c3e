"""Objections that pause the tender until the tenderer answers (招标投标法实施条例 §22), cancelling a
draft, and the tenderer's termination of a published tender (§31)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from yiwang.accounts.models import User
from yiwang.core.errors import Conflict, PermissionDenied
from yiwang.trading import services
from yiwang.trading.models import Objection
from yiwang.trading.tests.factories import bidder, publish, register, sealed

pytestmark = pytest.mark.django_db


def tenderer_of(centre: dict[str, Any]) -> User:
    return centre["custodians"][1].user  # the tenderer department's head


def test_an_objection_pauses_the_tender_until_every_objection_is_answered(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    a, b = bidder(1), bidder(2)
    first = services.objection_raise(actor=a.user, project=project, text="评分标准第 3 项排斥潜在投标人。")
    project.refresh_from_db()
    assert project.status == "paused"
    assert first.answer_due == first.raised_at + timedelta(days=3)
    with pytest.raises(Conflict) as paused:
        services.bid_submit(actor=b.user, project=project, lot_number=1, data=sealed(project, b, "1.00"))
    assert paused.value.code == "not_open_for_bids"
    second = services.objection_raise(actor=b.user, project=project, text="工期要求不合理。")
    with pytest.raises(PermissionDenied):
        services.objection_raise(actor=centre["officer"], project=project, text="工作人员不提异议")
    with pytest.raises(PermissionDenied) as operator:
        services.objection_answer(actor=centre["officer"], objection=first, answer="由中心答复")
    assert operator.value.code == "not_the_tenderer"
    services.objection_answer(actor=tenderer_of(centre), objection=first, answer="评分标准符合规定，不予修改。")
    project.refresh_from_db()
    assert project.status == "paused"  # the second is still open
    with pytest.raises(Conflict) as twice:
        services.objection_answer(actor=tenderer_of(centre), objection=first, answer="再次答复")
    assert twice.value.code == "objection_answered"
    services.objection_answer(actor=tenderer_of(centre), objection=second, answer="工期调整见澄清一。")
    project.refresh_from_db()
    assert project.status == "bidding"
    services.bid_submit(actor=b.user, project=project, lot_number=1, data=sealed(project, b, "1.00"))
    actions = list(project.events.values_list("action", flat=True))
    assert actions[-3:] == ["objection_answer", "objection_answer", "resume"]
    assert not project.events.filter(action="objection").exclude(actor=None).exists()  # objectors unnamed


def test_an_objection_later_than_ten_days_before_the_deadline_is_refused(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    a = bidder(1)
    assert project.bid_deadline is not None
    with (
        time_machine.travel(project.bid_deadline - timedelta(days=10) + timedelta(seconds=1), tick=False),
        pytest.raises(Conflict) as late,
    ):
        services.objection_raise(actor=a.user, project=project, text="迟到的异议")
    assert late.value.code == "objection_late"
    assert "第二十二条" in str(late.value.message)
    assert not Objection.objects.exists()


def test_a_draft_is_cancelled_by_the_centre_and_a_published_tender_terminated_by_its_tenderer(
    centre: dict[str, Any],
) -> None:
    draft = register(centre)
    assert services.project_cancel(actor=centre["officer"], project=draft, reason="立项批复撤销").status == "cancelled"
    project = publish(centre, register(centre))
    with pytest.raises(Conflict) as published:
        services.project_cancel(actor=centre["officer"], project=project, reason="不再需要")
    assert published.value.code == "project_status"
    with pytest.raises(PermissionDenied):
        services.project_terminate(actor=centre["officer"], project=project, reason="中心终止")
    services.project_terminate(actor=tenderer_of(centre), project=project, reason="项目建设计划调整")
    project.refresh_from_db()
    assert project.status == "terminated"
    a = bidder(1)
    with pytest.raises(Conflict):
        services.bid_submit(actor=a.user, project=project, lot_number=1, data=sealed(project, a, "1.00"))


def test_the_agency_answers_objections_but_does_not_terminate(centre: dict[str, Any]) -> None:
    """docs/trading.md §1: the agency acts for the tenderer on the documents and answers; the award, the
    contract and the termination are the tenderer's own."""
    from yiwang.trading.tests.factories import company

    agency = company(7)
    project = publish(centre, register(centre, agency=agency))
    objection = services.objection_raise(actor=bidder(1).user, project=project, text="工期不合理。")
    services.objection_answer(actor=agency, objection=objection, answer="工期符合定额。")
    with pytest.raises(PermissionDenied):
        services.project_terminate(actor=agency, project=project, reason="代理机构终止")
