"""投诉 to the supervising department (招标投标法实施条例 §60–§62; 政府采购法 §55–§57): an objection first
where the law asks for one, the 10-day window with the objection's answer period not counted, acceptance
within 3 working days and a decision within 30, a suspension that holds the tender until the decision —
and never the centre or the tenderer deciding (管办分离)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.trading import rules, services
from yiwang.trading.models import Complaint, ComplaintStatus, Objection, ProjectKind, TradingProject
from yiwang.trading.tests.factories import bidder, publish, register, sealed

pytestmark = pytest.mark.django_db


def test_a_complaint_on_the_documents_follows_an_answered_objection(centre: dict[str, Any], make_user: Any) -> None:
    project = publish(centre, register(centre))
    officer, supervisor, tenderer = centre["officer"], centre["supervisor"], centre["custodians"][1].user
    party = bidder(1)
    today = timezone.localdate()
    complaint = {
        "project": project, "subject": "documents", "request": "责令修改招标文件第三章评分标准。",
        "grounds": "评分标准要求本地业绩，排斥外地潜在投标人（实施条例第三十二条）。", "known_on": today,
    }  # fmt: skip
    with pytest.raises(PermissionDenied) as staff:
        services.complaint_file(actor=officer, **complaint)
    assert staff.value.code == "staff_complains"
    with pytest.raises(Conflict) as first:
        services.complaint_file(actor=party.user, **complaint)
    assert first.value.code == "objection_first"  # §60 ¶2: the matters of §22 go to the tenderer first
    objection = services.objection_raise(actor=party.user, project=project, text="评分标准排斥外地投标人。")
    with pytest.raises(Conflict) as pending:
        services.complaint_file(actor=party.user, objection=objection, **complaint)
    assert pending.value.code == "objection_pending"
    services.objection_answer(actor=tenderer, objection=objection, answer="评分标准符合规定，不予修改。")
    with pytest.raises(ValidationFailed) as empty:
        services.complaint_file(actor=party.user, objection=objection, **{**complaint, "request": "  "})
    assert empty.value.details["errors"][0]["field"] == "request"
    filed = services.complaint_file(actor=party.user, objection=objection, **complaint)
    assert filed.status == ComplaintStatus.FILED
    assert filed.accept_due == rules.working_day_due(today, 3)  # §61
    with pytest.raises(Conflict) as twice:
        services.complaint_file(actor=party.user, objection=objection, **complaint)
    assert twice.value.code == "complaint_open"
    # 管办分离: the centre and the tenderer do not handle complaints; the supervising department does.
    for wrong in (officer, tenderer):
        with pytest.raises(PermissionDenied):
            services.complaint_accept(actor=wrong, complaint=filed)
    accepted = services.complaint_accept(actor=supervisor, complaint=filed)
    assert accepted.decide_due == rules.working_day_due(today, 30)
    with pytest.raises(Conflict) as again:
        services.complaint_accept(actor=supervisor, complaint=filed)
    assert again.value.code == "complaint_status"
    # The supervisor suspends the tender (§62): no bid comes in, the deadline does not close it.
    services.project_suspend(actor=supervisor, complaint=accepted)
    envelope = sealed(project, party, "18800000.00")
    with pytest.raises(Conflict) as held:
        services.bid_submit(actor=party.user, project=project, lot_number=1, data=envelope)
    assert held.value.code == "project_suspended"
    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline + timedelta(minutes=1), tick=True):
        assert services.projects_close_due() == 0
    # Amendments may still be issued while suspended (to move the deadline after the decision).
    services.document_amend(
        actor=officer, project=project, kind="amendment", title="修改一", body="评分标准第三章修改如下。",
        affects_bids=True,
    )  # fmt: skip
    decided = services.complaint_decide(
        actor=supervisor, complaint=accepted, outcome="upheld", decision="投诉成立，责令招标人修改评分标准。"
    )
    assert decided.status == ComplaintStatus.DECIDED
    project.refresh_from_db()
    assert not project.suspended()
    services.bid_submit(actor=party.user, project=project, lot_number=1, data=envelope)
    actions = list(project.events.values_list("action", flat=True))
    assert {"complaint", "complaint_accept", "suspend", "complaint_decide", "lift"} <= set(actions)
    complaint_event = project.events.get(action="complaint")
    assert complaint_event.actor is None  # the complainant's name is not on the public journal


def test_the_window_is_ten_days_from_knowing_without_the_objection_s_answer_time(
    centre: dict[str, Any],
) -> None:
    project = publish(centre, register(centre))
    party = bidder(1)
    published = timezone.localdate(project.published_at)
    with time_machine.travel(timezone.now() + timedelta(days=11), tick=True):
        with pytest.raises(Conflict) as late:
            services.complaint_file(
                actor=party.user, project=project, subject="other", request="确认开标程序违法。",
                grounds="招标代理机构与投标人串通。", known_on=published,
            )  # fmt: skip
        assert late.value.code == "complaint_late"
        with pytest.raises(ValidationFailed):
            services.complaint_file(
                actor=party.user, project=project, subject="other", request="请求。", grounds="理由。",
                known_on=timezone.localdate() + timedelta(days=1),
            )  # fmt: skip
        ok = services.complaint_file(
            actor=party.user, project=project, subject="other", request="确认程序违法。", grounds="理由见附件。",
            known_on=timezone.localdate() - timedelta(days=2),
        )  # fmt: skip
        assert ok.objection is None
    # §60 ¶2: the days the tenderer took to answer are not counted.
    objection = Objection(
        project=project, raised_at=timezone.now(), answer_due=timezone.now() + timedelta(days=3),
        answered_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    due = services.complaint_due(project, timezone.localdate(), objection)
    assert due == timezone.localdate() + timedelta(days=13)


def test_procurement_complaints_come_15_working_days_after_the_challenge_and_suspend_30_days(
    centre: dict[str, Any],
) -> None:
    project = publish(centre, register(centre))
    TradingProject.objects.filter(pk=project.pk).update(kind=ProjectKind.PROCUREMENT)
    project.refresh_from_db()
    party = bidder(1)
    objection = services.objection_raise(actor=party.user, project=project, text="采购需求指向特定供应商。")
    assert services.complaint_due(project, timezone.localdate(), objection) == rules.working_day_due(
        timezone.localdate(objection.answer_due), 15
    )  # 政府采购法 §55
    with pytest.raises(Conflict) as first:
        services.complaint_file(
            actor=party.user, project=project, subject="other", request="请求。", grounds="理由。",
            known_on=timezone.localdate(),
        )  # fmt: skip
    assert first.value.code == "objection_first"  # every procurement complaint follows a challenge
    services.objection_answer(actor=centre["custodians"][1].user, objection=objection, answer="需求合理。")
    complaint = services.complaint_file(
        actor=party.user, project=project, subject="documents", request="责令修改采购需求。", grounds="理由。",
        known_on=timezone.localdate(), objection=objection,
    )  # fmt: skip
    project = services.project_suspend(actor=centre["supervisor"], complaint=complaint)
    assert project.suspended_until is not None
    assert project.suspended_until - project.suspended_at == timedelta(days=30)  # type: ignore[operator]
    with time_machine.travel(project.suspended_until + timedelta(seconds=1), tick=True):
        project.refresh_from_db()
        assert not project.suspended()  # 政府采购法 §57: at most thirty days
    withdrawn = services.complaint_withdraw(actor=party.user, complaint=complaint)
    assert withdrawn.status == ComplaintStatus.WITHDRAWN
    project.refresh_from_db()
    assert project.suspended_at is None  # nothing left to suspend for
    with pytest.raises(PermissionDenied):
        services.complaint_withdraw(actor=bidder(2).user, complaint=complaint)


def test_a_complaint_not_accepted_gives_its_reason(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    party = bidder(1)
    complaint = services.complaint_file(
        actor=party.user, project=project, subject="award", request="请求。", grounds="理由。",
        known_on=timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.complaint_refuse(actor=centre["supervisor"], complaint=complaint, reason="")
    refused = services.complaint_refuse(actor=centre["supervisor"], complaint=complaint, reason="投诉事项尚未发生。")
    assert refused.status == ComplaintStatus.REFUSED and refused.decision == "投诉事项尚未发生。"
    with pytest.raises(Conflict):
        services.complaint_decide(actor=centre["supervisor"], complaint=refused, outcome="upheld", decision="成立。")
    assert Complaint.objects.filter(project=project).count() == 1
