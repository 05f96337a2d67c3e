"""差评整改 and 申诉复核: the department contacts, gives feedback, remedies; the centre's return visit
closes it; an appeal needs a reason and the centre's review; upheld removes the rating with the reason."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.evaluation import remediation as rem
from yiwang.evaluation import services
from yiwang.evaluation.models import Appeal, Rating, RatingChannel, Remediation
from yiwang.evaluation.services import Given

pytestmark = pytest.mark.django_db


@pytest.fixture
def bad(concluded: Any, company: Any) -> Remediation:
    rating = services.rating_for_case(
        case=concluded, actor=company, channel=RatingChannel.ONLINE, given=Given(level=1, comment="材料被退回三次")
    )
    return Remediation.objects.get(rating=rating)


def test_deadline_remedy_with_a_return_visit_that_sends_it_back_once(bad: Remediation, people: Any) -> None:
    head, centre = people["head"], people["centre"]
    with pytest.raises(PermissionDenied):
        rem.remediation_contact(
            actor=people["other_head"], remediation=bad, note="电话联系", verified=True, mode="deadline"
        )
    with pytest.raises(ValidationFailed):
        rem.remediation_contact(actor=head, remediation=bad, note="", verified=True, mode="sometime")
    with pytest.raises(Conflict):
        rem.remediation_feedback(actor=head, remediation=bad, feedback="已整改")  # not contacted yet
    rem.remediation_contact(actor=head, remediation=bad, note="电话联系企业，情况属实", verified=True, mode="deadline")
    item = rem.remediation_feedback(actor=head, remediation=bad, feedback="一次性告知清单已修订")
    assert item.status == "rectifying"
    item = rem.remediation_fix(actor=head, remediation=bad, note="修订材料清单并培训窗口人员")
    assert item.status == "resolved"
    with pytest.raises(PermissionDenied):
        rem.remediation_return_visit(actor=head, remediation=bad, satisfied=True, note="满意")  # the centre's
    again = rem.remediation_return_visit(actor=centre, remediation=bad, satisfied=False, note="仍有问题")
    assert again.status == "rectifying"
    rem.remediation_fix(actor=head, remediation=bad, note="再次核查并补充说明")
    closed = rem.remediation_return_visit(actor=centre, remediation=bad, satisfied=True, note="企业表示满意")
    assert closed.status == "closed" and closed.closed_at is not None
    actions = list(closed.events.values_list("action", flat=True))
    assert actions == ["open", "contact", "feedback", "fix", "return_visit", "fix", "return_visit"]


def test_immediate_and_explanation_are_done_at_feedback(bad: Remediation, people: Any) -> None:
    rem.remediation_contact(actor=people["head"], remediation=bad, note="当场解释", verified=False, mode="explain")
    item = rem.remediation_feedback(
        actor=people["head"], remediation=bad, feedback="该材料为法定要求，已向企业说明依据"
    )
    assert item.status == "resolved" and item.fixed_at is None


def test_an_appeal_needs_a_reason_and_an_upheld_one_removes_the_rating(bad: Remediation, people: Any) -> None:
    head, supervisor = people["head"], people["supervisor"]
    with pytest.raises(ValidationFailed) as no_reason:
        rem.appeal_file(actor=head, remediation=bad, reason="  ")
    assert "理由" in str(no_reason.value.details["errors"][0]["message"])
    assert not Appeal.objects.exists() and Remediation.objects.get(pk=bad.pk).status == "pending"
    appeal = rem.appeal_file(
        actor=head, remediation=bad, reason="该企业材料确实不全，三次退回均已一次性告知，评价与事实不符"
    )
    with pytest.raises(Conflict) as twice:
        rem.appeal_file(actor=head, remediation=bad, reason="再次申诉，理由同上，请中心复核处理")
    assert twice.value.code in ("wrong_status", "appeal_pending")
    with pytest.raises(PermissionDenied):
        rem.appeal_review(actor=head, appeal=appeal, upheld=True, note="自己审核自己的申诉不行")
    with pytest.raises(ValidationFailed):
        rem.appeal_review(actor=supervisor, appeal=appeal, upheld=True, note="同意")
    rem.appeal_review(actor=supervisor, appeal=appeal, upheld=True, note="经调取记录核实，三次补正均有一次性告知书")
    rating = Rating.objects.get(pk=bad.rating_id)
    assert rating.status == "removed" and "一次性告知书" in rating.removed_reason
    assert Remediation.objects.get(pk=bad.pk).status == "removed"


def test_a_rejected_appeal_returns_the_item_where_it_was(bad: Remediation, people: Any) -> None:
    rem.remediation_contact(actor=people["head"], remediation=bad, note="已联系", verified=True, mode="immediate")
    appeal = rem.appeal_file(actor=people["head"], remediation=bad, reason="评价人误选了不满意，电话中已确认")
    rem.appeal_review(actor=people["centre"], appeal=appeal, upheld=False, note="未提供录音等证据，申诉不予支持")
    item = Remediation.objects.get(pk=bad.pk)
    assert item.status == "contacted" and Rating.objects.get(pk=bad.rating_id).status == "valid"


def test_the_step_table_refuses_every_step_not_in_it() -> None:
    from yiwang.evaluation.models import RemediationStatus

    for step, statuses in rem.STEPS.items():
        for status in RemediationStatus.values:
            item = Remediation(status=status)
            if status in statuses:
                assert rem._require(item, step) == status
            else:
                with pytest.raises(Conflict):
                    rem._require(item, step)
    assert set(rem.DEPARTMENT_STEPS) | set(rem.CENTRE_STEPS) == set(rem.STEPS)
