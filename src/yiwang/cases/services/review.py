"""Review and decision (§38): the review steps as tasks, the decision, concluding, and the paths that
run them in one go (即办件 at the window, 秒批) plus history remarks that change nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize, grants_of
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.cases.models import Case, CaseStatus, Decision, ReviewTask, TaskState
from yiwang.cases.services._common import _event, _finish, _locked, _step
from yiwang.cases.services.acceptance import case_accept
from yiwang.cases.signals import case_concluded
from yiwang.cases.workflow import WORKFLOW
from yiwang.core.errors import Conflict, PermissionDenied, raise_problems

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def _task_for(actor: User | None, case: Case) -> ReviewTask | None:
    tasks = case.tasks.filter(state=TaskState.OPEN)
    if actor is not None:
        tasks = tasks.filter(department__in=[g.department_id for g in grants_of(actor, {Role.APPROVER})] or [0])
    return tasks.order_by("order", "pk").first()


@transaction.atomic
def case_task_complete(*, actor: User | None, case: Case, opinion: str) -> Case:
    """The approver finishes their department's open step with an opinion; when every task of that
    order is done (joint approval: all departments), the next step opens."""
    raise_problems([] if opinion.strip() else [("opinion", _("Write your opinion."))])
    case = _locked(case)
    if actor is not None and not grants_of(actor, {Role.APPROVER}):
        raise PermissionDenied(code="permission_denied")
    WORKFLOW.require(case.status, "task_complete")
    task = _task_for(actor, case)
    if task is None:
        raise Conflict(_("There is no open step of your department on this case."), code="no_open_task")
    task.state, task.finished_at, task.assignee, task.opinion = TaskState.DONE, timezone.now(), actor, opinion.strip()
    task.save()
    if not case.tasks.filter(order=task.order).exclude(state=TaskState.DONE).exists():
        following = case.tasks.filter(state=TaskState.WAITING).order_by("order").first()
        if following is not None:
            case.tasks.filter(order=following.order).update(state=TaskState.OPEN, started_at=timezone.now())
    _event(case, actor, "task_complete", case.status, case.status, opinion.strip(), step=task.name)
    audit_record(actor=actor, action="cases.task_complete", target=case, changes={"step": [None, task.name]})
    return case


@transaction.atomic
def case_decide(*, actor: User | None, case: Case, decision: str, opinion: str, basis: str = "") -> Case:
    """准予 / 不予 (§38): every review step done, an opinion given; a refusal states its reasons."""
    problems = [] if opinion.strip() else [("opinion", _("A decision needs an opinion."))]
    if decision not in Decision.values:
        problems.append(("decision", _("Approve or reject.")))
    raise_problems(problems)
    case, old, new = _step(actor, case, "decide")
    if case.tasks.exclude(state=TaskState.DONE).exists():
        raise Conflict(_("Every review step must be finished first."), code="review_unfinished")
    case.decision, case.decision_basis, case.decided_at = decision, basis.strip(), timezone.now()
    what = _("approved") if decision == Decision.APPROVE else _("not approved")
    return _finish(case, actor, "decide", old, new, what, opinion.strip(), decision=decision)


@transaction.atomic
def case_conclude(*, actor: User | None, case: Case, result_number: str = "") -> Case:
    case, old, new = _step(actor, case, "conclude")
    case.concluded_at, case.result_number = timezone.now(), result_number.strip()[:100]
    case.result_name = case.version.result_name
    case = _finish(case, actor, "conclude", old, new, _("concluded; the result is ready"))
    case_concluded.send(sender=Case, case=case, actor=actor)
    return case


@transaction.atomic
def case_handle_on_the_spot(
    *, actor: User | None, case: Case, decision: str, opinion: str, result_number: str = ""
) -> Case:
    """即办件: accepted, decided and concluded in one sitting at the window by the clerk."""
    from yiwang.catalogue.choices import CaseKind

    if case.version.case_kind != CaseKind.ON_THE_SPOT:
        raise Conflict(_("Only on-the-spot items are concluded at the window."), code="not_on_the_spot")
    if actor is not None:
        authorize(actor, {Role.CLERK}, region=case.region)
    raise_problems([] if opinion.strip() else [("opinion", _("A decision needs an opinion."))])
    case = case_accept(actor=None, case=case, opinion=opinion)
    case.tasks.update(state=TaskState.DONE, finished_at=timezone.now(), assignee=actor, opinion=opinion.strip())
    case = case_decide(actor=None, case=case, decision=decision, opinion=opinion)
    case = case_conclude(actor=None, case=case, result_number=result_number)
    _event(case, actor, "on_the_spot", CaseStatus.SUBMITTED, case.status, opinion.strip())
    audit_record(actor=actor, action="cases.on_the_spot", target=case, changes={"status": [None, case.status]})
    return case


@transaction.atomic
def case_approve_automatically(*, case: Case, explanation: str, rules: list[dict[str, Any]]) -> Case:
    """秒批: rules kept as data all held, so the case is accepted, approved and concluded with no human
    step (the licence follows from ``case_concluded``). Every rule's result is kept with the decision."""
    summary = str(_("Every instant-approval rule holds."))
    case = case_accept(actor=None, case=case, opinion=summary)
    case.tasks.update(state=TaskState.DONE, finished_at=timezone.now(), opinion=summary)
    case = case_decide(actor=None, case=case, decision=Decision.APPROVE, opinion=summary)
    case = case_conclude(actor=None, case=case)
    _event(case, None, "instant", CaseStatus.SUBMITTED, case.status, explanation.strip() or summary, rules=rules)
    audit_record(actor=None, action="cases.instant", target=case, changes={"status": [None, case.status]})
    return case


@transaction.atomic
def case_remark(*, case: Case, action: str, text: str, **details: Any) -> Case:
    """A line in the case's history that changes nothing (e.g. why instant approval left it to people)."""
    _event(case, None, action, case.status, case.status, text.strip(), **details)
    return case
