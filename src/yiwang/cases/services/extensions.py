"""Time during review: special procedures that stop the clock (§45) and extensions decided by the
department head (§42)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.calendar.workdays import working_days_between
from yiwang.cases.models import Case, CasePause, ExtensionRequest, PauseKind
from yiwang.cases.services._common import _authorize, _deadlines_set, _event, _finish, _locked, _step, _tell_applicant
from yiwang.cases.workflow import WORKFLOW
from yiwang.core.errors import Conflict, raise_problems

if TYPE_CHECKING:
    from yiwang.accounts.models import User

# 行政许可法 §42: 20 working days, +10 with the head's approval; joint handling 45, +15.
EXTENSION_LIMIT = 10
JOINT_EXTENSION_LIMIT = 15


@transaction.atomic
def case_suspend(*, actor: User | None, case: Case, procedure: str, reason: str, expected_days: int) -> Case:
    """特别程序 (§45): the clock stops; the applicant is told the kind, reason and expected duration."""
    from yiwang.catalogue.choices import SpecialProcedure

    problems = [] if reason.strip() else [("reason", _("This field is required."))]
    if procedure not in SpecialProcedure.values:
        problems.append(("procedure", _("Choose a special procedure.")))
    if not 1 <= expected_days <= 365:
        problems.append(("expected_days", _("Between 1 and 365 working days.")))
    raise_problems(problems)
    case, old, new = _step(actor, case, "suspend")
    CasePause.objects.create(
        case=case,
        kind=PauseKind.SPECIAL,
        procedure=procedure,
        reason=reason.strip(),
        expected_days=expected_days,
        started_on=timezone.localdate(),
    )
    case.clock_stopped_on = timezone.localdate()
    label = SpecialProcedure(procedure).label
    return _finish(
        case,
        actor,
        "suspend",
        old,
        new,
        _("suspended for %(procedure)s") % {"procedure": label},
        _("%(reason)s Expected to take %(n)d working days; this time is not counted.")
        % {"reason": reason.strip(), "n": expected_days},
        procedure=procedure,
        expected_days=expected_days,
    )


@transaction.atomic
def case_resume(*, actor: User | None, case: Case, result: str = "") -> Case:
    """The special procedure ends: its working days are added to the deadlines."""
    case, old, new = _step(actor, case, "resume")
    pause = case.pauses.filter(kind=PauseKind.SPECIAL, ended_on__isnull=True).latest("started_at")
    today = timezone.localdate()
    pause.ended_on, pause.result = today, result.strip()
    pause.working_days = working_days_between(pause.started_on, today).working_days
    pause.save()
    case.paused_days += pause.working_days
    case.clock_stopped_on = None
    _deadlines_set(case, _("special procedure ended (%(n)d working days not counted)") % {"n": pause.working_days})
    return _finish(case, actor, "resume", old, new, _("review resumed"), result.strip(), paused=pause.working_days)


@transaction.atomic
def case_extension_request(*, actor: User | None, case: Case, days: int, reason: str) -> ExtensionRequest:
    """An approver asks for more time (§42); the department head decides."""
    case = _locked(case)
    _authorize(actor, case, "extend")
    WORKFLOW.require(case.status, "extend")
    limit = JOINT_EXTENSION_LIMIT if case.version.joint_departments.exists() else EXTENSION_LIMIT
    problems = [] if reason.strip() else [("reason", _("This field is required."))]
    if not 1 <= days <= limit - case.extension_days:
        problems.append(
            ("days", _("At most %(n)d more working days (行政许可法 §42).") % {"n": limit - case.extension_days})
        )
    raise_problems(problems)
    if case.extension_requests.filter(approved__isnull=True).exists():
        raise Conflict(_("An extension request is already waiting for the head."), code="extension_pending")
    request = ExtensionRequest.objects.create(case=case, days=days, reason=reason.strip(), requested_by=actor)
    _event(case, actor, "extension_request", case.status, case.status, reason.strip(), days=days)
    audit_record(actor=actor, action="cases.extension_request", target=case, changes={"days": [None, days]})
    return request


@transaction.atomic
def case_extension_decide(
    *, actor: User | None, request: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The department head approves or refuses; an approval moves the deadlines and is told to the
    applicant with its reason."""
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    case = _locked(request.case)
    if actor is not None:
        authorize(actor, {Role.DEPT_HEAD}, department=case.department)
    if request.approved is not None:
        raise Conflict(_("This request has been decided already."), code="already_decided")
    request.approved, request.decided_by, request.decided_at = approve, actor, timezone.now()
    request.decision_note = note.strip()[:300]
    request.save()
    if approve:
        case.extension_days += request.days
        _deadlines_set(
            case, _("extended by %(n)d working days: %(reason)s") % {"n": request.days, "reason": request.reason}
        )
        case.save()
        _tell_applicant(
            case, _("extended"), _("By %(n)d working days: %(reason)s") % {"n": request.days, "reason": request.reason}
        )
    _event(case, actor, "extend", case.status, case.status, note.strip(), days=request.days, approved=approve)
    audit_record(actor=actor, action="cases.extend", target=case, changes={"approved": [None, approve]})
    return request
