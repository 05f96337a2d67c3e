"""Writes of the online hall: drafts saved as typed, materials uploaded one by one, and submission
through cases.services.case_submit with the window's rules (docs/online.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.cases.applicants import Applicant, account_document, applicant_of
from yiwang.cases.choices import CaseChannel
from yiwang.cases.exemptions import Exemption, exemptions_for
from yiwang.cases.files import upload_checked, upload_problem
from yiwang.cases.services import case_submit
from yiwang.catalogue.selectors import version_material_get
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, raise_problems
from yiwang.core.fields import text_problems
from yiwang.online.models import Draft, DraftFile
from yiwang.online.rules import draft_problems, may_act_for, online_applicable

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.cases.models import Case
    from yiwang.catalogue.models import ItemImplementation

# Online, the applicant types only a contact number: name, document and agent come from the accounts
# (cases.applicants.online_applicant).
PHONE_MAX, FORM_VALUE_MAX = 20, 2000


def _own(actor: User, draft: Draft) -> Draft:
    """The actor's own unsubmitted draft, locked; anyone else's is not found."""
    found = Draft.objects.select_for_update().filter(pk=draft.pk, owner=actor).first()
    if found is None:
        raise NotFound(code="not_found")
    if found.case_id is not None:
        raise Conflict(_("This application has been submitted already."), code="draft_submitted")
    return found


@transaction.atomic
def draft_start(*, actor: User, implementation: ItemImplementation, principal: User | None = None) -> Draft:
    """Opens the draft for this item (an unsubmitted one is reopened), prefilled from the account."""
    principal = principal or actor
    version = implementation.current
    if version is None or not online_applicable(version):
        raise Conflict(_("This item cannot be applied for online; please apply at a window."), code="not_online")
    if not may_act_for(actor, principal, implementation):
        raise PermissionDenied(_("You may not apply for this applicant."), code="not_authorised")
    existing = Draft.objects.filter(
        owner=actor, principal=principal, implementation=implementation, case__isnull=True
    ).first()
    if existing is not None:
        return existing
    applicant = applicant_of(principal, agent=actor if actor.pk != principal.pk else None, phone=principal.phone)
    draft = Draft.objects.create(
        owner=actor,
        principal=principal,
        implementation=implementation,
        version=version,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name[:200],
        applicant_id_type=applicant.id_type,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        agent_name=applicant.agent_name[:100],
    )
    audit_record(actor=actor, action="online.draft_start", target=draft, changes={"item": [None, implementation.code]})
    return draft


@transaction.atomic
def draft_save(*, actor: User, draft: Draft, data: dict[str, Any]) -> Draft:
    """Keeps what was typed, as typed: the item's rules run on submission (and on "check"), but a value
    no field could ever hold (too long, control characters) is refused now rather than cut. Unknown keys
    are ignored."""
    draft = _own(actor, draft)
    problems = []
    if "applicant_phone" in data:
        phone = str(data["applicant_phone"])
        problems += text_problems(phone, "applicant.phone", max_length=PHONE_MAX)
        draft.applicant_phone = phone.strip()
    keys = {f.key for f in draft.version.form_fields.all()}
    form = dict(draft.form_data)
    for key, value in data.items():
        if key.startswith("field_") and key[6:] in keys:
            problems += text_problems(str(value), f"form_data.{key[6:]}", max_length=FORM_VALUE_MAX, multiline=True)
            form[key[6:]] = str(value).strip()
    raise_problems(problems)
    draft.form_data = form
    draft.save()
    return draft


@transaction.atomic
def draft_file_put(*, actor: User, draft: Draft, requirement_id: int, upload: UploadedFile[bytes]) -> DraftFile:
    """Stores one material; sending it again (an interrupted upload, a better scan) replaces it."""
    draft = _own(actor, draft)
    requirement = version_material_get(version=draft.version, pk=requirement_id)
    if requirement is None:
        raise_problems([(f"materials.{requirement_id}", _("This material is not asked for by the item."))])
    assert requirement is not None
    if requirement.pk in draft_exemptions(draft):
        raise_problems(
            [(f"materials.{requirement_id}", _("Not needed: it is obtained from your e-licence or shared data."))]
        )
    if problem := upload_problem(upload):
        raise_problems([(f"materials.{requirement_id}", problem)])
    checked = upload_checked(upload)
    stored = DraftFile.objects.filter(draft=draft, requirement=requirement).first() or DraftFile(
        draft=draft, requirement=requirement
    )
    old_name = stored.file.name if stored.pk else ""
    stored.file_name, stored.size = checked.name, checked.size
    stored.content_type, stored.digest = checked.content_type, checked.digest
    stored.file.save(f"{draft.key}-{requirement.order}{checked.name[checked.name.rfind('.') :]}", upload, save=False)
    stored.save()
    if old_name and old_name != stored.file.name:
        storage = stored.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    draft.save(update_fields=["updated_at"])
    return stored


def draft_exemptions(draft: Draft) -> dict[int, Exemption]:
    """The materials this applicant need not upload: the principal's own valid licence or shared data
    supplies them (looked up for the account's document, never a typed one). An owner who no longer acts
    for the principal (the authorisation revoked or ended) learns nothing of the principal's licences."""
    if not may_act_for(draft.owner, draft.principal, draft.implementation):
        return {}
    return exemptions_for(list(draft.version.materials.all()), account_document(draft.principal)[1])


def draft_applicant(draft: Draft) -> Applicant:
    """The draft's applicant for case_submit, as the principal's account says now (a name changed since the
    draft began follows the account) with the contact number typed."""
    return applicant_of(draft.principal, phone=draft.applicant_phone)


@transaction.atomic
def draft_submit(*, actor: User, draft: Draft) -> Case:
    """Submits through the window's rules. The draft's key is the idempotency key: a double click or a
    retried request returns the one case."""
    locked = Draft.objects.select_for_update().filter(pk=draft.pk, owner=actor).select_related("principal").first()
    if locked is None:
        raise NotFound(code="not_found")
    if locked.case_id is not None:
        return locked.case  # type: ignore[return-value]
    implementation = locked.implementation
    if locked.version_id != implementation.current_id:
        raise Conflict(
            _("The item's requirements have changed since you started. Please check the application again."),
            code="version_changed",
        )
    if not may_act_for(actor, locked.principal, implementation):
        raise PermissionDenied(_("You may not apply for this applicant."), code="not_authorised")
    files = list(locked.files.all())
    uploads: dict[int, UploadedFile[bytes]] = {
        f.requirement_id: UploadedFile(f.file.open("rb"), name=f.file_name, content_type=f.content_type, size=f.size)
        for f in files
    }
    try:
        raise_problems(draft_problems(locked))
        case = case_submit(
            actor=actor,
            version=locked.version,
            channel=CaseChannel.ONLINE,
            applicant=draft_applicant(locked),
            form_data=locked.form_data,
            uploads=uploads,
            idempotency_key=f"draft-{locked.key}",
        )
    finally:
        for upload in uploads.values():
            upload.close()
    locked.case, locked.submitted_at = case, timezone.now()
    locked.save(update_fields=["case", "submitted_at"])
    audit_record(actor=actor, action="online.draft_submit", target=locked, changes={"case": [None, case.number]})
    return case


@transaction.atomic
def draft_refresh(*, actor: User, draft: Draft) -> Draft:
    """Moves a draft to the item's current version: the form is kept, materials follow by name."""
    draft = _own(actor, draft)
    current = draft.implementation.current
    if current is None or current.pk == draft.version_id:
        return draft
    by_name = {m.name: m for m in current.materials.all()}
    for stored in draft.files.select_related("requirement"):
        target = by_name.get(stored.requirement.name)
        if target is None:
            stored.delete()
        else:
            stored.requirement = target
            stored.save(update_fields=["requirement"])
    draft.version = current
    draft.save(update_fields=["version", "updated_at"])
    return draft


@transaction.atomic
def draft_discard(*, actor: User, draft: Draft) -> None:
    draft = _own(actor, draft)
    stored = [f.file for f in draft.files.all() if f.file.name]
    draft.delete()

    def remove_files() -> None:
        for file in stored:
            file.storage.delete(str(file.name))

    transaction.on_commit(remove_files)
