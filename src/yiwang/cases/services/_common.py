"""Shared helpers of the case services: locking, authorising, moving a case a step, its history entry,
the message to the applicant, deadlines, and opening the review steps. Private to the package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.cases.deadlines import case_due
from yiwang.cases.models import (
    Case,
    CaseEvent,
    DeadlineChange,
    MaterialState,
    ReviewTask,
    SubmittedMaterial,
    TaskState,
    Visit,
)
from yiwang.cases.workflow import WORKFLOW
from yiwang.catalogue.choices import Necessity
from yiwang.catalogue.selectors import version_contents
from yiwang.core.errors import NotFound
from yiwang.core.selectors import one_or_none
from yiwang.notifications.messages import MessageTemplate, message_template_register
from yiwang.notifications.services import notify

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Window


message_template_register(
    "case.progress",
    MessageTemplate(
        gettext_lazy("Progress of your application"),
        gettext_lazy("Your application {{ number }} ({{ item }}): {{ what }}. {{ detail }}"),
    ),
)


def _suffix(name: str) -> str:
    return name[name.rfind(".") :].lower() if "." in name else ""


def _locked(case: Case) -> Case:
    """The case read again and locked for the step; a reference without a primary key (``Case(number=…)``,
    see ``selectors.case_reference``) is found by its number in the same statement."""
    locked = Case.objects.select_for_update(of=("self",)).select_related(
        "department__region", "region", "version", "implementation", "applicant_account"
    )
    found = one_or_none(locked.filter(pk=case.pk) if case.pk is not None else locked.filter(number=case.number))
    if found is None:
        raise NotFound(code="not_found")
    return found


def _authorize(actor: User | None, case: Case, action: str) -> None:
    if actor is not None:
        authorize(actor, WORKFLOW.roles(action), department=case.department, region=case.region)


def _applicant_side(actor: User | None, case: Case) -> bool:
    """The applicant's own account, or the agent who applied for them (online)."""
    return actor is not None and actor.pk in (case.applicant_account_id, case.agent_account_id)


def _authorize_staff_or_applicant(actor: User | None, case: Case, action: str) -> None:
    if not _applicant_side(actor, case):
        _authorize(actor, case, action)


# Where the applicant follows a case online (the online hall's page; a link in every message).
APPLICANT_CASE_PATH = "/my/cases/{number}/"


def _event(
    case: Case, actor: User | None, action: str, old: str, new: str, opinion: str = "", **details: Any
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, action=action, from_status=old, to_status=new, actor=actor, opinion=opinion, details=details
    )


def _has_primed(case: Case, relation: str) -> bool:
    return relation in getattr(case, "_prefetched_objects_cache", {})


def _primed(case: Case, relation: str, rows: list[Any]) -> None:
    """Keeps ``rows`` — all of ``case``'s ``relation``, as the service has just written or read them — as if
    prefetched, so that the answer showing the case (``selectors.case_detail_loaded``) does not read them
    again. Only for rows nothing changes afterwards in the same service."""
    queryset = getattr(case, relation).model._default_manager.filter(case=case)
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache: dict[str, Any] = case.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[relation] = queryset


def _tell_applicant(case: Case, what: str, detail: str = "") -> None:
    if case.applicant_account is not None:
        notify(
            recipient=case.applicant_account,
            template="case.progress",
            context={"number": case.number, "item": case.version.name, "what": what, "detail": detail},
            link=APPLICANT_CASE_PATH.format(number=case.number),
        )


def _missing_required(case: Case) -> list[SubmittedMaterial]:
    materials = case.materials.all() if _has_primed(case, "materials") else case.materials.select_related("requirement")
    return [
        m
        for m in materials
        if m.state in (MaterialState.MISSING, MaterialState.DEFECTIVE) and m.requirement.necessity == Necessity.REQUIRED
    ]


def _deadlines_set(case: Case, reason: str) -> None:
    version = case.version
    assert case.accepted_on is not None
    due = case_due(
        counted_from=case.accepted_on,
        limit=version.promised_limit or 0,
        extension=case.extension_days,
        paused=case.paused_days,
    )
    statutory = case_due(
        counted_from=case.accepted_on,
        limit=version.statutory_limit or 0,
        extension=case.extension_days,
        paused=case.paused_days,
    )
    DeadlineChange.objects.create(
        case=case, old_due=case.due_on, new_due=due.date, provisional=due.provisional, reason=reason[:200]
    )
    case.due_on, case.statutory_due_on, case.due_provisional = due.date, statutory.date, due.provisional


def _open_review(case: Case) -> None:
    """The implementation's steps after acceptance become the department's review tasks; a
    joint-approval item adds one task per joint department, run in parallel with the first step."""
    contents = version_contents(case.version)
    steps = [s for s in contents.steps if s.performer != Role.CLERK]
    tasks = [
        ReviewTask(case=case, department=case.department, order=s.order, name=s.name, performer=s.performer)
        for s in steps
    ]
    if steps:
        first = steps[0].order
        tasks += [
            ReviewTask(case=case, department=d, order=first, name=_("Joint review"), performer=Role.APPROVER)
            for d in contents.joint_departments
        ]
        for task in tasks:
            if task.order == first:
                task.state, task.started_at = TaskState.OPEN, timezone.now()
    ReviewTask.objects.bulk_create(tasks)


def _count_visit(case: Case, actor: User | None, window: Window | None, purpose: str) -> None:
    """到现场次数: materials handed over by a member of staff mean the applicant came to a window;
    an applicant uploading from their own account did not."""
    if window is None and (actor is None or actor.pk == case.applicant_account_id):
        return
    case.visits += 1
    Visit.objects.create(case=case, window=window, purpose=purpose)


def _step(actor: User | None, case: Case, action: str, opinion: str = "", **details: Any) -> tuple[Case, str, str]:
    """Lock, authorise and move ``case``; returns it with the old and new status (not yet saved)."""
    case = _locked(case)
    _authorize(actor, case, action)
    old = case.status
    case.status = WORKFLOW.target(old, action)
    return case, old, case.status


def _finish(
    case: Case, actor: User | None, action: str, old: str, new: str, what: str, opinion: str = "", **details: Any
) -> Case:
    case.save()
    _event(case, actor, action, old, new, opinion, **details)
    audit_record(actor=actor, action=f"cases.{action}", target=case, changes={"status": [old, new]})
    _tell_applicant(case, what, opinion)
    return case
