"""Acceptance (§32): 受理, 不予受理, 补正 and resubmission, and 容缺受理 (pending materials: accepting on a
promise, the materials arriving, and lapsing when they do not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as date_type
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.cases.deadlines import correction_notice_in_time
from yiwang.cases.files import upload_checked, upload_problem
from yiwang.cases.models import Case, CasePause, CaseStatus, MaterialState, PauseKind
from yiwang.cases.services._common import (
    _authorize,
    _authorize_staff_or_applicant,
    _count_visit,
    _deadlines_set,
    _event,
    _finish,
    _locked,
    _missing_required,
    _open_review,
    _primed,
    _step,
    _suffix,
    _tell_applicant,
)
from yiwang.cases.workflow import WORKFLOW
from yiwang.catalogue.choices import Necessity
from yiwang.core.errors import Conflict, raise_problems

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Window


@transaction.atomic
def case_accept(*, actor: User | None, case: Case, opinion: str = "") -> Case:
    """受理 (§32(5)): every required material present; the clock starts and the review steps open.

    §32(4): if no correction notice went out within 5 working days of receipt, the application counts
    as accepted from the day of receipt, so the clock starts then."""
    case = _locked(case)
    _authorize(actor, case, "accept")
    new_status = WORKFLOW.target(case.status, "accept")
    materials = list(case.materials.select_related("requirement"))
    _primed(case, "materials", materials)  # acceptance changes none of them: the answer shows these
    if missing := _missing_required(case):
        raise Conflict(
            _("Required materials are missing: %(names)s. Request a correction, or accept with pending materials.")
            % {"names": "、".join(m.requirement.name for m in missing)},
            code="materials_missing",
        )
    now = timezone.now()
    today = timezone.localdate(now)
    received_on = timezone.localdate(case.submitted_at)
    # Within the 5 working days the answer needs no look at the case's pauses (the usual case).
    late = (
        not correction_notice_in_time(received_on, today) and not case.pauses.filter(kind=PauseKind.CORRECTION).exists()
    )
    counted_from = received_on if late else today
    old = case.status
    case.status, case.accepted_at, case.accepted_on = new_status, now, counted_from
    _deadlines_set(case, _("accepted from the day of receipt (§32)") if late else _("accepted"))
    case.save()
    _open_review(case)
    _event(case, actor, "accept", old, new_status, opinion, counted_from=counted_from.isoformat())
    audit_record(actor=actor, action="cases.accept", target=case, changes={"status": [old, new_status]})
    _tell_applicant(case, _("accepted"), _("Due by %(date)s.") % {"date": case.due_on})
    return case


@transaction.atomic
def case_refuse(*, actor: User | None, case: Case, reason: str, basis: str, competent_authority: str = "") -> Case:
    """不予受理 (§32(1)(2)), with the reason, its legal basis and, if the item is another authority's,
    which one to apply to."""
    raise_problems(
        [(f, _("This field is required.")) for f, v in (("reason", reason), ("basis", basis)) if not v.strip()]
    )
    case = _locked(case)
    _authorize(actor, case, "refuse")
    old, new = case.status, WORKFLOW.target(case.status, "refuse")
    case.status, case.refusal_reason, case.decision_basis = new, reason.strip(), basis.strip()
    case.competent_authority = competent_authority.strip()
    case.closed_at = timezone.now()
    case.save()
    _event(case, actor, "refuse", old, new, reason.strip(), basis=basis.strip(), authority=competent_authority)
    audit_record(actor=actor, action="cases.refuse", target=case, changes={"status": [old, new]})
    _tell_applicant(case, _("not accepted"), reason.strip())
    return case


@dataclass(frozen=True)
class CorrectionItem:
    requirement_id: int
    problem: str  # what is missing or wrong, and how to put it right
    defective: bool = False


@transaction.atomic
def case_request_correction(*, actor: User | None, case: Case, items: list[CorrectionItem]) -> Case:
    """补正 (§32(4)): one notice listing every missing or defective material; the clock does not run.

    Refused once 5 working days have passed since receipt: the application then counts as accepted
    from the day of receipt and must be accepted (or refused)."""
    case = _locked(case)
    _authorize(actor, case, "request_correction")
    old, new = case.status, WORKFLOW.target(case.status, "request_correction")
    if not items:
        raise_problems([("items", _("List every material that is missing or must be corrected."))])
    received_on = timezone.localdate(case.submitted_at)
    if not correction_notice_in_time(received_on, timezone.localdate()):
        raise Conflict(
            _(
                "More than 5 working days have passed since the materials were received: under 行政许可法 §32 "
                "the application counts as accepted from the day of receipt."
            ),
            code="correction_notice_late",
        )
    materials = {m.requirement_id: m for m in case.materials.select_related("requirement")}
    problems = [
        (f"items.{i.requirement_id}", _("This material is not part of the case."))
        for i in items
        if i.requirement_id not in materials
    ] + [(f"items.{i.requirement_id}", _("Say what is wrong.")) for i in items if not i.problem.strip()]
    raise_problems(problems)
    listed = []
    for item in items:
        material = materials[item.requirement_id]
        material.state = MaterialState.DEFECTIVE if item.defective else MaterialState.MISSING
        material.note = item.problem.strip()[:300]
        material.save(update_fields=["state", "note"])
        listed.append({"material": material.requirement.name, "problem": material.note})
    CasePause.objects.create(
        case=case,
        kind=PauseKind.CORRECTION,
        reason=_("Correction requested"),
        started_on=timezone.localdate(),
        items=listed,
    )
    case.status = new
    case.save(update_fields=["status"])
    _event(case, actor, "request_correction", old, new, "", items=listed)
    audit_record(actor=actor, action="cases.request_correction", target=case, changes={"status": [old, new]})
    _tell_applicant(case, _("materials to correct"), "；".join(f"{i['material']}：{i['problem']}" for i in listed))
    return case


@transaction.atomic
def case_resubmit(
    *, actor: User | None, case: Case, uploads: dict[int, UploadedFile[bytes]], window: Window | None = None
) -> Case:
    """The applicant brings (or uploads) what the correction notice listed; the case is submitted again."""
    case = _locked(case)
    _authorize_staff_or_applicant(actor, case, "resubmit")
    old, new = case.status, WORKFLOW.target(case.status, "resubmit")
    materials = {m.requirement_id: m for m in case.materials.select_related("requirement")}
    problems = []
    for requirement_id, upload in uploads.items():
        if requirement_id not in materials:
            problems.append((f"materials.{requirement_id}", _("This material is not part of the case.")))
        elif problem := upload_problem(upload):
            problems.append((f"materials.{requirement_id}", problem))
    raise_problems(problems)
    now = timezone.now()
    for requirement_id, upload in uploads.items():
        material = materials[requirement_id]
        checked = upload_checked(upload)
        material.state, material.note, material.received_at = MaterialState.RECEIVED, "", now
        material.file_name, material.size = checked.name, checked.size
        material.content_type, material.digest = checked.content_type, checked.digest
        material.file.save(f"{case.number}-{material.requirement.order}{_suffix(checked.name)}", upload, save=False)
        material.save()
    pause = case.pauses.filter(kind=PauseKind.CORRECTION, ended_on__isnull=True).first()
    if pause is not None:
        pause.ended_on = timezone.localdate(now)
        pause.save(update_fields=["ended_on"])
    case.status = new
    _count_visit(case, actor, window, "resubmit")
    case.save(update_fields=["status", "visits"])
    _event(case, actor, "resubmit", old, new, "", materials=sorted(uploads))
    audit_record(actor=actor, action="cases.resubmit", target=case, changes={"status": [old, new]})
    _tell_applicant(case, _("corrected materials received"))
    return case


# 容缺: the promise is for minor materials; a date beyond a year is a typing mistake, not a promise.
PENDING_PROMISE_LONGEST = timedelta(days=366)


@transaction.atomic
def case_accept_pending(
    *, actor: User | None, case: Case, requirement_ids: list[int], until: date_type, opinion: str = ""
) -> Case:
    """容缺受理: accepted on the applicant's written promise to supply minor materials by ``until``;
    only materials the catalogue marks 容缺-eligible; the case cannot be decided until they arrive."""
    case = _locked(case)
    _authorize(actor, case, "accept_pending")
    WORKFLOW.require(case.status, "accept_pending")
    materials = {m.requirement_id: m for m in case.materials.select_related("requirement")}
    problems = [
        (f"items.{pk}", _("Only materials the guide marks as may-follow-later can be promised."))
        for pk in requirement_ids
        if pk not in materials or materials[pk].requirement.necessity != Necessity.DEFERRABLE
    ]
    if not requirement_ids:
        problems.append(("items", _("Name the materials the applicant promises to supply.")))
    if until <= timezone.localdate():
        problems.append(("until", _("The promised date must be in the future.")))
    elif until > timezone.localdate() + PENDING_PROMISE_LONGEST:
        problems.append(("until", _("The promised date must be within a year.")))
    raise_problems(problems)
    still_missing = [m for m in _missing_required(case) if m.requirement_id not in requirement_ids]
    if still_missing:
        raise Conflict(
            _("Required materials are missing: %(names)s.")
            % {"names": "、".join(m.requirement.name for m in still_missing)},
            code="materials_missing",
        )
    old = case.status
    new = WORKFLOW.target(old, "accept_pending")
    for pk in requirement_ids:
        materials[pk].state = MaterialState.PENDING
        materials[pk].save(update_fields=["state"])
    now = timezone.now()
    case.status, case.accepted_at, case.accepted_on, case.pending_until = new, now, timezone.localdate(now), until
    _deadlines_set(case, _("accepted with pending materials"))
    names = "、".join(materials[pk].requirement.name for pk in requirement_ids)
    return _finish(
        case,
        actor,
        "accept_pending",
        old,
        new,
        _("accepted with pending materials"),
        _("Supply %(names)s by %(date)s, or the application is treated as withdrawn.")
        % {"names": names, "date": until},
        items=requirement_ids,
        until=until.isoformat(),
    )


@transaction.atomic
def case_supply(*, actor: User | None, case: Case, uploads: dict[int, UploadedFile[bytes]]) -> Case:
    """The promised 容缺 materials arrive; once all are in, the review opens."""
    case = _locked(case)
    _authorize_staff_or_applicant(actor, case, "supply")
    WORKFLOW.require(case.status, "supply")  # out of turn: 409 before anything else
    pending = {
        m.requirement_id: m for m in case.materials.filter(state=MaterialState.PENDING).select_related("requirement")
    }
    problems = [(f"materials.{pk}", _("This material is not pending.")) for pk in uploads if pk not in pending]
    problems += [(f"materials.{pk}", p) for pk, u in uploads.items() if (p := upload_problem(u))]
    raise_problems(problems)
    _count_visit(case, actor, None, "supply")
    case.save(update_fields=["visits"])
    for pk, upload in uploads.items():
        material = pending.pop(pk)
        checked = upload_checked(upload)
        material.state, material.received_at = MaterialState.RECEIVED, timezone.now()
        material.file_name, material.size = checked.name, checked.size
        material.content_type, material.digest = checked.content_type, checked.digest
        material.file.save(f"{case.number}-{material.requirement.order}{_suffix(checked.name)}", upload, save=False)
        material.save()
    if pending:
        _event(case, actor, "supply", case.status, case.status, "", still_pending=sorted(pending))
        return case
    old, new = case.status, WORKFLOW.target(case.status, "supply")
    case.status, case.pending_until = new, None
    case.save()
    _open_review(case)
    return _finish(case, actor, "supply", old, new, _("all promised materials received"))


def cases_lapse_pending(*, today: date_type | None = None) -> int:
    """容缺: a case whose promised materials did not arrive by the date is treated as withdrawn."""
    today = today or timezone.localdate()
    lapsed = 0
    for case in Case.objects.filter(status=CaseStatus.ACCEPTED_PENDING, pending_until__lt=today).only("pk"):
        with transaction.atomic():
            case, old, new = _step(None, case, "lapse")
            case.closed_at = timezone.now()
            _finish(case, None, "lapse", old, new, _("treated as withdrawn: the promised materials did not arrive"))
            lapsed += 1
    return lapsed
