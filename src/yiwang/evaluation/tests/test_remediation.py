"""差评整改 and 申诉复核: the department contacts, gives feedback, remedies; the centre's return visit
closes it; an appeal needs a reason and the centre's review; upheld removes the rating with the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from tests.workflow_walk import walk
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.evaluation import remediation as rem
from yiwang.evaluation import services
from yiwang.evaluation.models import (
    Appeal,
    AppealStatus,
    Rating,
    RatingChannel,
    RatingStatus,
    Remediation,
    RemediationMode,
    RemediationStatus,
)
from yiwang.evaluation.services import Given
from yiwang.evaluation.workflow import APPEAL_WORKFLOW, IN_HAND, RATING_WORKFLOW, WORKFLOW

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


REASON = "评价与事实不符，已调取记录核实"


def _appeal(item: Remediation, people: Any) -> Appeal:
    return Appeal.objects.create(remediation=item, reason=REASON, filed_by=people["head"], filed_at=timezone.now())


def _rolled_back(prepare: Callable[[], object], read: Callable[[], str]) -> str:
    with transaction.atomic():
        try:
            prepare()
            return read()
        finally:
            transaction.set_rollback(True)


def test_every_status_and_step_of_the_remediation_table(bad: Remediation, people: Any) -> None:
    """The remediation's table walked completely through its services, each step in a transaction rolled
    back after; the rater's withdrawal passes over every item it may not close."""
    head, centre = people["head"], people["centre"]
    steps: dict[str, Callable[[Remediation, str | None], object]] = {
        "contact": lambda r, aim: rem.remediation_contact(
            actor=head, remediation=r, note="电话联系", verified=True, mode="deadline"
        ),
        "feedback": lambda r, aim: rem.remediation_feedback(actor=head, remediation=r, feedback="已告知整改安排"),
        "fix": lambda r, aim: rem.remediation_fix(actor=head, remediation=r, note="修订材料清单"),
        "return_visit": lambda r, aim: rem.remediation_return_visit(
            actor=centre, remediation=r, satisfied=aim == RemediationStatus.CLOSED, note="回访评价人"
        ),
        "appeal": lambda r, aim: rem.appeal_file(actor=head, remediation=r, reason=REASON),
        "review": lambda r, aim: rem.appeal_review(
            actor=centre, appeal=_appeal(r, people), upheld=aim == RemediationStatus.REMOVED, note=REASON
        ),
        "withdrawn": lambda r, aim: rem.remediation_withdrawn(r.rating, actor=None),
    }

    def run(status: str, action: str, aim: str | None) -> str:
        def prepare() -> None:
            mode = RemediationMode.DEADLINE if aim == RemediationStatus.RECTIFYING else RemediationMode.EXPLAIN
            before = aim if aim in IN_HAND else RemediationStatus.PENDING
            Remediation.objects.filter(pk=bad.pk).update(status=status, mode=mode, status_before_appeal=before)
            steps[action](Remediation.objects.get(pk=bad.pk), aim)

        return _rolled_back(prepare, lambda: Remediation.objects.get(pk=bad.pk).status)

    assert set(steps) == set(WORKFLOW.actions)
    walk(WORKFLOW, RemediationStatus.values, run, code="wrong_status", quiet={"withdrawn"})


def test_every_status_and_step_of_the_appeal_and_rating_tables(bad: Remediation, people: Any, company: Any) -> None:
    """An appeal is reviewed once; a rating is amended while valid and removed by an upheld appeal."""
    centre = people["centre"]

    def appeal_run(status: str, action: str, aim: str | None) -> str:
        def prepare() -> None:
            Remediation.objects.filter(pk=bad.pk).update(status=RemediationStatus.APPEALED)
            appeal = _appeal(bad, people)
            Appeal.objects.filter(pk=appeal.pk).update(status=status)
            appeal.refresh_from_db()
            rem.appeal_review(actor=centre, appeal=appeal, upheld=aim == AppealStatus.UPHELD, note=REASON)

        return _rolled_back(prepare, lambda: Appeal.objects.get(remediation=bad).status)

    def remove(aim: str | None) -> object:
        Remediation.objects.filter(pk=bad.pk).update(status=RemediationStatus.APPEALED)
        return rem.appeal_review(actor=centre, appeal=_appeal(bad, people), upheld=True, note=REASON)

    rating_steps: dict[str, Callable[[str | None], object]] = {
        "amend": lambda aim: services.rating_amend(
            rating=Rating.objects.get(pk=bad.rating_id), given=Given(level=2, comment="仍不满意"), actor=company
        ),
        "remove": remove,
    }

    def rating_run(status: str, action: str, aim: str | None) -> str:
        def prepare() -> None:
            Rating.objects.filter(pk=bad.rating_id).update(status=status)
            rating_steps[action](aim)

        return _rolled_back(prepare, lambda: Rating.objects.get(pk=bad.rating_id).status)

    assert APPEAL_WORKFLOW.actions == ("review",) and set(rating_steps) == set(RATING_WORKFLOW.actions)
    walk(APPEAL_WORKFLOW, AppealStatus.values, appeal_run, code="wrong_status")
    walk(RATING_WORKFLOW, RatingStatus.values, rating_run, code="rating_removed")


def test_every_person_s_step_of_the_table_is_on_the_page_and_in_the_api() -> None:
    from yiwang.evaluation import api, views

    by_people = {t.action for t in WORKFLOW if t.roles}
    assert by_people == set(WORKFLOW.actions) - {"withdrawn"}
    assert set(views.STEPS) == by_people
    assert {name.replace("-", "_") for name in api.STEPS} | {"review"} == by_people  # review: its own address
