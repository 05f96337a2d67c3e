"""Intake: the check before submitting, a new case at the window or online, and the department's
预审 of an online application."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import account_by_document
from yiwang.audit.services import audit_record
from yiwang.cases.applicants import Applicant, applicant_problems, online_applicant
from yiwang.cases.exemptions import exemptions_for
from yiwang.cases.files import upload_checked, upload_problem
from yiwang.cases.form_data import form_data_clean
from yiwang.cases.models import Case, CaseChannel, CaseStatus, MaterialState, SubmittedMaterial, Visit
from yiwang.cases.numbering import case_number_next, case_number_provisional
from yiwang.cases.services._common import _event, _finish, _primed, _step, _suffix, _tell_applicant
from yiwang.cases.signals import case_submitted
from yiwang.catalogue.choices import VersionStatus
from yiwang.catalogue.selectors import version_contents, version_loaded_for_submission, version_with_implementation
from yiwang.core.errors import Conflict, DomainError, raise_problems
from yiwang.core.idempotency import scoped_key
from yiwang.core.personal_data import lookup_digest

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.catalogue.models import ImplementationVersion
    from yiwang.organisation.models import Window


def application_problems(
    version: ImplementationVersion, applicant: Applicant, form_data: dict[str, Any]
) -> list[tuple[str, str]]:
    """What ``case_submit`` would refuse in the applicant and the item's form, without submitting
    (the online hall's "check before submitting"; files are checked as they arrive)."""
    _number, problems = applicant_problems(applicant)
    _cleaned, form_problems = form_data_clean(version_contents(version).form_fields, form_data)
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
    """``case_submit``, saying whether the case was created now (False: the caller's key replayed it).

    A replayed key is found where it costs nothing on the way of a new submission: the case's insert,
    the submission's first write, meets the key's unique index (waiting for a parallel request with the
    key to commit), the whole submission rolls back, and the first case is read after (no savepoint on
    the way of every submission). A replay the checks would now refuse (the item changed meanwhile, say)
    is answered with the first case all the same."""
    key = scoped_key(operation="cases.submit", key=idempotency_key, actor=actor)
    try:
        with transaction.atomic():
            return _submit(
                actor=actor,
                version=version,
                channel=channel,
                applicant=applicant,
                form_data=form_data,
                uploads=uploads,
                window=window,
                key=key,
            )
    except (DomainError, IntegrityError):
        if key is not None and (existing := Case.objects.filter(idempotency_key=key).first()) is not None:
            return existing, False
        raise


def _submit(
    *,
    actor: User | None,
    version: ImplementationVersion,
    channel: str,
    applicant: Applicant,
    form_data: dict[str, Any],
    uploads: dict[int, UploadedFile[bytes]] | None,
    window: Window | None,
    key: str | None,
) -> tuple[Case, bool]:
    if not version_loaded_for_submission(version):
        version = version_with_implementation(pk=version.pk)
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
    contents = version_contents(version)
    cleaned, form_problems = form_data_clean(contents.form_fields, form_data)
    problems += form_problems
    requirements = contents.materials
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
        visits=1 if channel == CaseChannel.WINDOW else 0,  # 最多跑一次: the submission at the window is a visit
        number=case_number_provisional(),  # the real one is drawn among the last writes (cases.numbering)
    )
    case.save(force_insert=True)  # a key replayed meanwhile: IntegrityError, answered by case_submit_keyed
    # 免提交 for this applicant: their valid licence or the shared data supplies the material.
    exemptions = exemptions_for(requirements, id_number)
    materials = []
    for requirement in requirements:
        material = SubmittedMaterial(case=case, requirement=requirement)
        given = uploads.get(requirement.pk)
        exemption = exemptions.get(requirement.pk)
        if exemption is not None:
            material.state = MaterialState.EXEMPT
            material.note = exemption.note[:300]
        elif given is not None:
            checked = upload_checked(given)
            material.state = MaterialState.RECEIVED
            material.file_name, material.size = checked.name, checked.size
            material.content_type, material.digest = checked.content_type, checked.digest
            material.received_at = now
            material.file.save(f"case{case.pk}-{requirement.order}{_suffix(checked.name)}", given, save=False)
        else:
            material.state = MaterialState.MISSING
        materials.append(material)
    SubmittedMaterial.objects.bulk_create(materials)  # one statement for the checklist (no signals on materials)
    if channel == CaseChannel.WINDOW:
        Visit.objects.create(case=case, window=window, purpose="submit")
    submitted = _event(case, actor, "submit", "", CaseStatus.SUBMITTED)
    _primed(case, "materials", materials)
    _primed(case, "events", [submitted])
    audit_record(actor=actor, action="cases.submit", target=case, changes={"status": [None, CaseStatus.SUBMITTED]})
    # The number last: its counter row stays locked from here to the commit (cases.numbering).
    case.number = case_number_next(region_code=department.region.code, day=timezone.localdate(now))
    Case.objects.filter(pk=case.pk).update(number=case.number)
    for requirement in requirements:  # the records of the uses name the case by its number
        exemption = exemptions.get(requirement.pk)
        if exemption is not None and exemption.record is not None:
            exemption.record(case, actor)
    _tell_applicant(case, _("received"), _("Case number %(number)s.") % {"number": case.number})
    case_submitted.send(sender=Case, case=case)
    return case, True


@transaction.atomic
def case_pre_review(*, actor: User | None, case: Case, opinion: str) -> Case:
    """预审 of an online application by the department: the materials look right, the applicant may come
    (or the case may be accepted online). Problems go back through a correction request instead."""
    raise_problems([] if opinion.strip() else [("opinion", _("Write your opinion."))])
    case, old, new = _step(actor, case, "pre_review")
    return _finish(case, actor, "pre_review", old, new, _("pre-reviewed"), opinion.strip())
