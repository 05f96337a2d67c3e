"""Documents released with a reply, and their redaction (§37: 区分处理). Personal data found in the file is
proposed area by area; a person confirms each area with its legal ground, rejects it, or draws one the
detection missed; the released copy is always rendered anew from the original — pages as images, no text
layer, no metadata — so nothing removed can be recovered from it. The values are never stored: only a
masked hint, the boxes and the ground."""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, NotFound, ValidationFailed, raise_problems
from yiwang.core.fields import choice_problems
from yiwang.core.uploads import upload_checked, upload_problem
from yiwang.disclosure import redaction
from yiwang.disclosure.choices import REFUSAL_GROUNDS, DataKind, Ground, RequestStatus
from yiwang.disclosure.models import DisclosureRequest, RedactionArea, ReleasedDocument
from yiwang.disclosure.services._common import officer_authorize, request_locked

if TYPE_CHECKING:
    from yiwang.accounts.models import User

MAX_DOCUMENTS = 20
# Every kind of personal data the detection finds is a third party's privacy (§15) unless the officer
# says otherwise.
DEFAULT_GROUND = Ground.THIRD_PARTY_PRIVACY


def _open(request: DisclosureRequest) -> DisclosureRequest:
    request = request_locked(request)
    if request.status == RequestStatus.REPLIED:
        raise Conflict(_("The reply is given: its documents no longer change."), code="request_status")
    return request


def _document_locked(document: ReleasedDocument) -> ReleasedDocument:
    try:
        return ReleasedDocument.objects.select_for_update().select_related("request__body").get(pk=document.pk)
    except ReleasedDocument.DoesNotExist as exc:
        raise NotFound() from exc


@transaction.atomic
def document_add(*, actor: User, request: DisclosureRequest, upload: UploadedFile[bytes]) -> ReleasedDocument:
    """The document as the body holds it, kept with the request; its personal data proposed for
    redaction at once (a scan is read by OCR, which takes seconds a page)."""
    request = _open(request)
    officer_authorize(actor, request.body)
    problem = upload_problem(upload)
    if problem:
        raise ValidationFailed(problem, details={"errors": [{"field": "file", "message": problem}]})
    checked = upload_checked(upload)
    if checked.content_type not in redaction.CONTENT_TYPES:
        message = _("Only PDF, JPG or PNG documents can be released.")
        raise ValidationFailed(message, details={"errors": [{"field": "file", "message": message}]})
    if request.documents.count() >= MAX_DOCUMENTS:
        raise Conflict(_("A reply releases at most %(n)d documents.") % {"n": MAX_DOCUMENTS}, code="too_many_files")
    upload.seek(0)
    data = upload.read()
    sizes = redaction.page_sizes(data, content_type=checked.content_type)
    hits = redaction.detect(data, content_type=checked.content_type)
    document = ReleasedDocument(
        request=request,
        name=checked.name,
        content_type=checked.content_type,
        original_digest=checked.digest,
        pages=len(sizes),
        added_by=actor,
        added_at=timezone.now(),
    )
    document.original.save(checked.name, ContentFile(data), save=False)
    document.save()
    RedactionArea.objects.bulk_create(
        RedactionArea(
            document=document,
            page=hit.page,
            boxes=[list(box) for box in hit.boxes],
            kind=hit.kind,
            hint=hit.hint[:60],
            detected=True,
            ground=DEFAULT_GROUND,
        )
        for hit in hits
    )
    audit_record(
        actor=actor,
        action="disclosure.document_add",
        target=request,
        changes={"document": checked.name, "pages": len(sizes), "proposed": len(hits)},
    )
    return document


def _area_locked(area: RedactionArea) -> RedactionArea:
    try:
        return RedactionArea.objects.select_for_update().select_related("document__request__body").get(pk=area.pk)
    except RedactionArea.DoesNotExist as exc:
        raise NotFound() from exc


def _ground_problems(ground: str) -> list[tuple[str, str]]:
    return choice_problems(ground, "ground", [str(g) for g in REFUSAL_GROUNDS])


@transaction.atomic
def area_confirm(*, actor: User, area: RedactionArea, ground: str = DEFAULT_GROUND) -> RedactionArea:
    """A person confirms the proposed area and the legal ground for withholding it."""
    area = _area_locked(area)
    _open(area.document.request)
    officer_authorize(actor, area.document.request.body)
    raise_problems(_ground_problems(ground))
    if area.document.redacted_at is not None:
        raise Conflict(_("The copy is released; add the document again to change it."), code="document_released")
    area.ground, area.rejected = ground, False
    area.confirmed_by, area.confirmed_at = actor, timezone.now()
    area.save(update_fields=["ground", "rejected", "confirmed_by", "confirmed_at"])
    audit_record(actor=actor, action="disclosure.area_confirm", target=area, changes={"ground": ground})
    return area


@transaction.atomic
def area_reject(*, actor: User, area: RedactionArea) -> RedactionArea:
    """The proposed area is not to be removed (a public official's name, say); the decision is kept."""
    area = _area_locked(area)
    _open(area.document.request)
    officer_authorize(actor, area.document.request.body)
    if area.document.redacted_at is not None:
        raise Conflict(_("The copy is released; add the document again to change it."), code="document_released")
    area.rejected = True
    area.confirmed_by, area.confirmed_at = actor, timezone.now()
    area.save(update_fields=["rejected", "confirmed_by", "confirmed_at"])
    audit_record(actor=actor, action="disclosure.area_reject", target=area)
    return area


@transaction.atomic
def area_draw(
    *, actor: User, document: ReleasedDocument, page: int, boxes: list[list[float]], kind: str, ground: str
) -> RedactionArea:
    """An area the detection missed, drawn by a person: confirmed as it is drawn."""
    document = _document_locked(document)
    _open(document.request)
    officer_authorize(actor, document.request.body)
    problems = _ground_problems(ground) + choice_problems(kind, "kind", DataKind.values)
    if not isinstance(page, int) or not 0 <= page < document.pages:
        problems.append(("page", _("Choose a page of the document.")))
    raise_problems(problems)
    message = _("Give the area as four numbers within the page: left, top, right, bottom.")
    try:
        area = redaction.Area.of(page, boxes)
    except (redaction.RedactionError, TypeError, ValueError) as exc:
        raise ValidationFailed(message, details={"errors": [{"field": "boxes", "message": message}]}) from exc
    with document.original.open("rb") as handle:
        width, height = redaction.page_sizes(handle.read(), content_type=document.content_type)[page]
    for box in area.boxes:
        if not all(math.isfinite(v) for v in box) or not (
            0 <= box.x0 < box.x1 <= width + 0.5 and 0 <= box.y0 < box.y1 <= height + 0.5
        ):
            raise ValidationFailed(message, details={"errors": [{"field": "boxes", "message": message}]})
    if document.redacted_at is not None:
        raise Conflict(_("The copy is released; add the document again to change it."), code="document_released")
    drawn = RedactionArea.objects.create(
        document=document,
        page=page,
        boxes=[list(box) for box in area.boxes],
        kind=kind,
        hint="",
        detected=False,
        ground=ground,
        confirmed_by=actor,
        confirmed_at=timezone.now(),
    )
    audit_record(actor=actor, action="disclosure.area_draw", target=drawn, changes={"page": page, "ground": ground})
    return drawn


@transaction.atomic
def document_release(*, actor: User, document: ReleasedDocument) -> ReleasedDocument:
    """The released copy: every page rendered from the original with the confirmed areas filled, and
    nothing else of the file carried over (so a text layer under a black box cannot leak)."""
    document = _document_locked(document)
    _open(document.request)
    officer_authorize(actor, document.request.body)
    areas = list(document.areas.all())
    if any(a.confirmed_at is None for a in areas):
        raise Conflict(_("Confirm or reject every proposed redaction first."), code="redaction_pending")
    chosen = [redaction.Area.of(a.page, a.boxes) for a in areas if not a.rejected]
    with document.original.open("rb") as handle:
        data = handle.read()
    released = redaction.apply(data, content_type=document.content_type, areas=chosen)
    name = document.name.rsplit(".", 1)[0] + ".pdf"
    previous = (document.released.storage, document.released.name) if document.released else None
    document.released.save(name, ContentFile(released), save=False)
    if previous is not None and previous[1] != document.released.name:
        _delete_on_commit([previous])  # released again after a change of areas: the old copy goes
    document.released_digest = sm3_hex(released)
    document.redacted_at = timezone.now()
    document.save(update_fields=["released", "released_digest", "redacted_at"])
    grounds: dict[str, int] = {}
    for area in areas:
        if not area.rejected:
            grounds[area.ground] = grounds.get(area.ground, 0) + 1
    audit_record(
        actor=actor,
        action="disclosure.document_release",
        target=document.request,
        changes={"document": document.name, "areas": grounds, "digest": document.released_digest},
    )
    return document


@transaction.atomic
def document_remove(*, actor: User, document: ReleasedDocument) -> None:
    document = _document_locked(document)
    request = _open(document.request)
    officer_authorize(actor, request.body)
    name = document.name
    files = [(f.storage, f.name) for f in (document.original, document.released) if f]
    document.delete()
    audit_record(actor=actor, action="disclosure.document_remove", target=request, changes={"document": name})
    _delete_on_commit(files)


def _delete_on_commit(files: list[tuple[Any, str | None]]) -> None:
    """Files no row names any more go once the change is committed (a rollback keeps them, still named)."""
    for storage, stored_name in files:
        if stored_name:
            transaction.on_commit(partial(storage.delete, stored_name))


def redaction_log(document: ReleasedDocument) -> list[dict[str, Any]]:
    """The log kept with the released copy: per area its page, kind, masked hint, ground, who and when."""
    return [
        {
            "page": a.page + 1,
            "kind": a.kind,
            "hint": a.hint,
            "detected": a.detected,
            "ground": "" if a.rejected else a.ground,
            "rejected": a.rejected,
            "confirmed_by": a.confirmed_by_id,
            "confirmed_at": a.confirmed_at,
        }
        for a in document.areas.all()
    ]
