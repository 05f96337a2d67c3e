"""Writes of cases: intake at the window or online, acceptance, refusal and correction (docs/cases.md).

Every transition: the state table decides whether it is possible, accounts.authz whether the actor
may take it, and it leaves a history entry, an audit record and a message to the applicant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as date_type
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.authz import authorize, grants_of
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import account_by_document
from yiwang.audit.services import audit_record
from yiwang.calendar.workdays import working_days_between
from yiwang.cases.applicants import Applicant as Applicant
from yiwang.cases.applicants import applicant_problems, online_applicant
from yiwang.cases.deadlines import case_due, correction_notice_in_time
from yiwang.cases.exemptions import exemptions_for
from yiwang.cases.files import upload_checked, upload_problem
from yiwang.cases.form_data import form_data_clean
from yiwang.cases.models import (
    AWAITING_RESULT_STATUSES,
    Case,
    CaseChannel,
    CaseEvent,
    CasePause,
    CaseStatus,
    DeadlineChange,
    Decision,
    Delivery,
    DeliveryMethod,
    ExtensionRequest,
    MaterialState,
    PauseKind,
    ReviewTask,
    SubmittedMaterial,
    TaskState,
    Visit,
)
from yiwang.cases.numbering import case_number_next
from yiwang.cases.signals import case_concluded, case_submitted
from yiwang.cases.workflow import ACTION_ROLES, next_status
from yiwang.catalogue.models import ImplementationVersion, Necessity, VersionStatus
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, raise_problems
from yiwang.core.idempotency import insert_once, scoped_key
from yiwang.core.personal_data import lookup_digest
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


def application_problems(
    version: ImplementationVersion, applicant: Applicant, form_data: dict[str, Any]
) -> list[tuple[str, str]]:
    """What ``case_submit`` would refuse in the applicant and the item's form, without submitting
    (the online hall's "check before submitting"; files are checked as they arrive)."""
    _number, problems = applicant_problems(applicant)
    _cleaned, form_problems = form_data_clean(version.form_fields.all(), form_data)
    return problems + form_problems


# Channels where staff receive the application and type the applicant from the document in front of them.
STAFF_CHANNELS = frozenset({CaseChannel.WINDOW, CaseChannel.PROXY})


@transaction.atomic
def case_submit(
    *,
    actor: User | None,
    version: ImplementationVersion,
    channel: str,
    applicant: Applicant,
    form_data: dict[str, Any],
    uploads: dict[int, UploadedFile[bytes]] | None = None,
    window: Window | None = None,
    idempotency_key: str | None = None,
) -> Case:
    """A new case for the published ``version``; every problem is reported at once and nothing is
    kept unless the whole submission is good. The caller's repeated ``idempotency_key`` returns the first case."""
    return case_submit_keyed(
        actor=actor,
        version=version,
        channel=channel,
        applicant=applicant,
        form_data=form_data,
        uploads=uploads,
        window=window,
        idempotency_key=idempotency_key,
    )[0]


@transaction.atomic
def case_submit_keyed(
    *,
    actor: User | None,
    version: ImplementationVersion,
    channel: str,
    applicant: Applicant,
    form_data: dict[str, Any],
    uploads: dict[int, UploadedFile[bytes]] | None = None,
    window: Window | None = None,
    idempotency_key: str | None = None,
) -> tuple[Case, bool]:
    """``case_submit``, saying whether the case was created now (False: the caller's key replayed it)."""
    key = scoped_key(operation="cases.submit", key=idempotency_key, actor=actor)
    if key is not None and (existing := Case.objects.filter(idempotency_key=key).first()) is not None:
        return existing, False
    version = ImplementationVersion.objects.select_related(
        "implementation__department__region", "implementation__current"
    ).get(pk=version.pk)
    implementation = version.implementation
    if version.status != VersionStatus.PUBLISHED or implementation.current_id != version.pk:
        raise Conflict(_("This item is not open for applications."), code="not_published")
    department = implementation.department
    if channel not in CaseChannel.values:
        raise_problems([("channel", _("Choose one of the listed options."))])
    if actor is not None and channel in STAFF_CHANNELS:
        # 一窗受理: a general-window clerk of the region takes any department's items.
        authorize(actor, {Role.CLERK}, region=department.region)
    if channel not in STAFF_CHANNELS:
        # The applicant's own channels (online, mobile, kiosk): who applies comes from the accounts.
        applicant = online_applicant(actor=actor, applicant=applicant, implementation=implementation)
    id_number, problems = applicant_problems(applicant)
    cleaned, form_problems = form_data_clean(version.form_fields.all(), form_data)
    problems += form_problems
    requirements = list(version.materials.select_related("replaced_by"))
    uploads = uploads or {}
    known = {r.pk for r in requirements}
    for requirement_id, upload in uploads.items():
        if requirement_id not in known:
            problems.append((f"materials.{requirement_id}", _("This material is not asked for by the item.")))
        elif problem := upload_problem(upload):
            problems.append((f"materials.{requirement_id}", problem))
    raise_problems(problems)

    account = applicant.account
    if account is None and channel != CaseChannel.ONLINE:
        # A walk-in who has an online account finds the case on their personal or company page.
        account = account_by_document(id_type=applicant.id_type, number=id_number)
    now = timezone.now()
    case = Case(
        version=version,
        implementation=implementation,
        department=department,
        region=department.region,
        channel=channel,
        received_by=actor if channel == CaseChannel.WINDOW else None,
        window=window,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_type=applicant.id_type,
        applicant_id_number=id_number,
        applicant_id_digest=lookup_digest(id_number),
        applicant_phone=applicant.phone.strip(),
        applicant_account=account,
        agent_name=applicant.agent_name.strip(),
        agent_id_number=applicant.agent_id_number.strip(),
        agent_account=applicant.agent_account,
        form_data=cleaned,
        submitted_at=now,
        idempotency_key=key,
    )

    def number() -> None:
        case.number = case_number_next(region_code=department.region.code, day=timezone.localdate(now))

    case, created = insert_once(case, prepare=number)
    if not created:
        return case, False
    # 免提交 for this applicant: their valid licence or the shared data supplies the material.
    exemptions = exemptions_for(requirements, id_number)
    for requirement in requirements:
        material = SubmittedMaterial(case=case, requirement=requirement)
        given = uploads.get(requirement.pk)
        exemption = exemptions.get(requirement.pk)
        if exemption is not None:
            material.state = MaterialState.EXEMPT
            material.note = exemption.note[:300]
            if exemption.record is not None:
                exemption.record(case, actor)
        elif given is not None:
            checked = upload_checked(given)
            material.state = MaterialState.RECEIVED
            material.file_name, material.size = checked.name, checked.size
            material.content_type, material.digest = checked.content_type, checked.digest
            material.received_at = now
            material.file.save(f"{case.number}-{requirement.order}{_suffix(checked.name)}", given, save=False)
        else:
            material.state = MaterialState.MISSING
        material.save()
    if channel == CaseChannel.WINDOW:
        case.visits = 1
        case.save(update_fields=["visits"])
        Visit.objects.create(case=case, window=window, purpose="submit")
    _event(case, actor, "submit", "", CaseStatus.SUBMITTED)
    audit_record(actor=actor, action="cases.submit", target=case, changes={"status": [None, CaseStatus.SUBMITTED]})
    _tell_applicant(case, _("received"), _("Case number %(number)s.") % {"number": case.number})
    case_submitted.send(sender=Case, case=case)
    return case, True


def _suffix(name: str) -> str:
    return name[name.rfind(".") :].lower() if "." in name else ""


def _locked(case: Case) -> Case:
    found = (
        Case.objects.select_for_update(of=("self",))
        .select_related("department__region", "region", "version", "implementation", "applicant_account")
        .filter(pk=case.pk)
        .first()
    )
    if found is None:
        raise NotFound(code="not_found")
    return found


def _authorize(actor: User | None, case: Case, action: str) -> None:
    if actor is not None:
        authorize(actor, ACTION_ROLES[action], department=case.department, region=case.region)


def _applicant_side(actor: User | None, case: Case) -> bool:
    """The applicant's own account, or the agent who applied for them (online)."""
    return actor is not None and actor.pk in (case.applicant_account_id, case.agent_account_id)


def _authorize_staff_or_applicant(actor: User | None, case: Case, action: str) -> None:
    if not _applicant_side(actor, case):
        _authorize(actor, case, action)


# Where the applicant follows a case online (the online hall's page; a link in every message).
APPLICANT_CASE_PATH = "/my/cases/{number}/"


def _event(case: Case, actor: User | None, action: str, old: str, new: str, opinion: str = "", **details: Any) -> None:
    CaseEvent.objects.create(
        case=case, action=action, from_status=old, to_status=new, actor=actor, opinion=opinion, details=details
    )


def _tell_applicant(case: Case, what: str, detail: str = "") -> None:
    if case.applicant_account is not None:
        notify(
            recipient=case.applicant_account,
            template="case.progress",
            context={"number": case.number, "item": case.version.name, "what": what, "detail": detail},
            link=APPLICANT_CASE_PATH.format(number=case.number),
        )


def _missing_required(case: Case) -> list[SubmittedMaterial]:
    return [
        m
        for m in case.materials.select_related("requirement")
        if m.state in (MaterialState.MISSING, MaterialState.DEFECTIVE) and m.requirement.necessity == Necessity.REQUIRED
    ]


@transaction.atomic
def case_accept(*, actor: User | None, case: Case, opinion: str = "") -> Case:
    """受理 (§32(5)): every required material present; the clock starts and the review steps open.

    §32(4): if no correction notice went out within 5 working days of receipt, the application counts
    as accepted from the day of receipt, so the clock starts then."""
    case = _locked(case)
    _authorize(actor, case, "accept")
    new_status = next_status(case.status, "accept")
    if missing := _missing_required(case):
        raise Conflict(
            _("Required materials are missing: %(names)s. Request a correction, or accept with pending materials.")
            % {"names": "、".join(m.requirement.name for m in missing)},
            code="materials_missing",
        )
    now = timezone.now()
    today = timezone.localdate(now)
    received_on = timezone.localdate(case.submitted_at)
    late = not case.pauses.filter(kind=PauseKind.CORRECTION).exists() and not correction_notice_in_time(
        received_on, today
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
    steps = [s for s in case.version.steps.all() if s.performer != Role.CLERK]
    tasks = [
        ReviewTask(case=case, department=case.department, order=s.order, name=s.name, performer=s.performer)
        for s in steps
    ]
    if steps:
        first = steps[0].order
        tasks += [
            ReviewTask(case=case, department=d, order=first, name=_("Joint review"), performer=Role.APPROVER)
            for d in case.version.joint_departments.all()
        ]
        for task in tasks:
            if task.order == first:
                task.state, task.started_at = TaskState.OPEN, timezone.now()
    ReviewTask.objects.bulk_create(tasks)


@transaction.atomic
def case_refuse(*, actor: User | None, case: Case, reason: str, basis: str, competent_authority: str = "") -> Case:
    """不予受理 (§32(1)(2)), with the reason, its legal basis and, if the item is another authority's,
    which one to apply to."""
    raise_problems(
        [(f, _("This field is required.")) for f, v in (("reason", reason), ("basis", basis)) if not v.strip()]
    )
    case = _locked(case)
    _authorize(actor, case, "refuse")
    old, new = case.status, next_status(case.status, "refuse")
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
    old, new = case.status, next_status(case.status, "request_correction")
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
    old, new = case.status, next_status(case.status, "resubmit")
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


def _count_visit(case: Case, actor: User | None, window: Window | None, purpose: str) -> None:
    """到现场次数: materials handed over by a member of staff mean the applicant came to a window;
    an applicant uploading from their own account did not."""
    if window is None and (actor is None or actor.pk == case.applicant_account_id):
        return
    case.visits += 1
    Visit.objects.create(case=case, window=window, purpose=purpose)


# --- back office: pending materials, review, special procedures, extensions, decision, hand-out ------

# 行政许可法 §42: 20 working days, +10 with the head's approval; joint handling 45, +15.
EXTENSION_LIMIT = 10
# 容缺: the promise is for minor materials; a date beyond a year is a typing mistake, not a promise.
PENDING_PROMISE_LONGEST = timedelta(days=366)
JOINT_EXTENSION_LIMIT = 15


def _step(actor: User | None, case: Case, action: str, opinion: str = "", **details: Any) -> tuple[Case, str, str]:
    """Lock, authorise and move ``case``; returns it with the old and new status (not yet saved)."""
    case = _locked(case)
    _authorize(actor, case, action)
    old = case.status
    case.status = next_status(old, action)
    return case, old, case.status


def _finish(
    case: Case, actor: User | None, action: str, old: str, new: str, what: str, opinion: str = "", **details: Any
) -> Case:
    case.save()
    _event(case, actor, action, old, new, opinion, **details)
    audit_record(actor=actor, action=f"cases.{action}", target=case, changes={"status": [old, new]})
    _tell_applicant(case, what, opinion)
    return case


@transaction.atomic
def case_accept_pending(
    *, actor: User | None, case: Case, requirement_ids: list[int], until: date_type, opinion: str = ""
) -> Case:
    """容缺受理: accepted on the applicant's written promise to supply minor materials by ``until``;
    only materials the catalogue marks 容缺-eligible; the case cannot be decided until they arrive."""
    case = _locked(case)
    _authorize(actor, case, "accept_pending")
    next_status(case.status, "accept_pending")
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
    new = next_status(old, "accept_pending")
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
    next_status(case.status, "supply")  # out of turn: 409 before anything else
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
    old, new = case.status, next_status(case.status, "supply")
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
    if case.status != CaseStatus.IN_REVIEW:
        next_status(case.status, "decide")  # raises transition_not_allowed
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
def case_suspend(*, actor: User | None, case: Case, procedure: str, reason: str, expected_days: int) -> Case:
    """特别程序 (§45): the clock stops; the applicant is told the kind, reason and expected duration."""
    from yiwang.catalogue.models import SpecialProcedure

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
    next_status(case.status, "extend")
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
def case_hand_out(
    *,
    actor: User | None,
    case: Case,
    method: str,
    recipient: str = "",
    address: str = "",
    carrier: str = "",
    waybill: str = "",
    window: Window | None = None,
) -> Case:
    """出件: window pickup (recorded, a visit), express delivery (carrier and waybill) or electronic."""
    problems = [] if method in DeliveryMethod.values else [("method", _("Choose how the result is handed out."))]
    if method == DeliveryMethod.EXPRESS:
        problems += [
            (f, _("This field is required."))
            for f, v in (("carrier", carrier), ("waybill", waybill), ("address", address))
            if not v.strip()
        ]
    if method == DeliveryMethod.PICKUP and not recipient.strip():
        problems.append(("recipient", _("Who collected the result?")))
    raise_problems(problems)
    case, old, new = _step(actor, case, "hand_out")
    Delivery.objects.create(
        case=case,
        method=method,
        recipient=recipient.strip(),
        address=address.strip(),
        carrier=carrier.strip(),
        waybill=waybill.strip(),
    )
    if method == DeliveryMethod.PICKUP:
        case.visits += 1
        Visit.objects.create(case=case, window=window, purpose="pickup")
    detail = _("%(carrier)s waybill %(waybill)s") % {"carrier": carrier, "waybill": waybill} if waybill else ""
    return _finish(case, actor, "hand_out", old, new, _("result handed out"), detail, method=method)


@transaction.atomic
def case_withdraw(*, actor: User | None, case: Case, reason: str = "") -> Case:
    """撤回 by the applicant (their own account, or a clerk for them at the window)."""
    case = _locked(case)
    if actor is None or not _applicant_side(actor, case):
        _authorize(actor, case, "withdraw")
    old = case.status
    case.status = next_status(old, "withdraw")
    case.closed_at = timezone.now()
    return _finish(case, actor, "withdraw", old, case.status, _("withdrawn"), reason.strip())


@transaction.atomic
def case_delivery_choose(*, actor: User | None, case: Case, method: str, address: str = "") -> Case:
    """The applicant says how they want the result: window pickup, express delivery to an address
    (recipient, phone and address in one line), or electronic. Possible until it is handed out."""
    case = _locked(case)
    _authorize_staff_or_applicant(actor, case, "hand_out")
    if case.status not in AWAITING_RESULT_STATUSES:
        raise Conflict(_("The result has already been handed out or the case has ended."), code="delivery_closed")
    problems = [] if method in DeliveryMethod.values else [("method", _("Choose how the result is handed out."))]
    if method == DeliveryMethod.EXPRESS and len(address.strip()) < 8:
        problems.append(("address", _("Give the recipient, a phone number and the full address.")))
    raise_problems(problems)
    old = {"method": case.delivery_choice}
    case.delivery_choice = method
    case.delivery_address = address.strip()[:300] if method == DeliveryMethod.EXPRESS else ""
    case.save(update_fields=["delivery_choice", "delivery_address"])
    _event(case, actor, "delivery_choose", case.status, case.status, "", method=method)
    audit_record(actor=actor, action="cases.delivery_choose", target=case, changes={"method": [old["method"], method]})
    return case


@transaction.atomic
def case_pre_review(*, actor: User | None, case: Case, opinion: str) -> Case:
    """预审 of an online application by the department: the materials look right, the applicant may come
    (or the case may be accepted online). Problems go back through a correction request instead."""
    raise_problems([] if opinion.strip() else [("opinion", _("Write your opinion."))])
    case, old, new = _step(actor, case, "pre_review")
    return _finish(case, actor, "pre_review", old, new, _("pre-reviewed"), opinion.strip())


@transaction.atomic
def case_terminate(*, actor: User | None, case: Case, reason: str) -> Case:
    """终止 by the department head (e.g. the applicant died or the company was dissolved)."""
    raise_problems([] if reason.strip() else [("reason", _("This field is required."))])
    case, old, new = _step(actor, case, "terminate")
    case.closed_at = timezone.now()
    return _finish(case, actor, "terminate", old, new, _("terminated"), reason.strip())


@transaction.atomic
def case_close(*, actor: User | None, case: Case) -> Case:
    case, old, new = _step(actor, case, "close")
    case.closed_at = timezone.now()
    return _finish(case, actor, "close", old, new, _("closed"))


@transaction.atomic
def case_handle_on_the_spot(
    *, actor: User | None, case: Case, decision: str, opinion: str, result_number: str = ""
) -> Case:
    """即办件: accepted, decided and concluded in one sitting at the window by the clerk."""
    from yiwang.catalogue.models import CaseKind

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
