"""The office's redaction of the documents it releases: add a document (its personal data proposed),
look at each page with the areas outlined, confirm each with its ground, reject it or draw one, release
the rendered copy. Thin: every step is a service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yiwang.audit.services import audit_record
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.shell import acting_user, staff_required
from yiwang.disclosure import redaction, selectors, services
from yiwang.disclosure.services._common import may_read_files
from yiwang.disclosure.views_public import errors_of, file_response, int_or


def _document(request: HttpRequest, pk: int, document_id: int) -> tuple[Any, Any]:
    made = selectors.request_for_staff(acting_user(request), pk=pk)
    document = next((d for d in selectors.documents_of(made) if d.pk == document_id), None) if made else None
    if document is None:
        raise Http404
    return made, document


def _refused(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error.message))
    if isinstance(error, ValidationFailed):
        for problem in errors_of(error).values():
            if problem != str(error.message):
                messages.error(request, problem)


@require_POST
@staff_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    made = selectors.request_for_staff(acting_user(request), pk=pk)
    if made is None:
        raise Http404
    upload = request.FILES.get("file")
    try:
        if upload is None or isinstance(upload, list):
            raise ValidationFailed(_("Choose a file."))
        document = services.document_add(actor=acting_user(request), request=made, upload=upload)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("%(name)s added: %(n)d areas of personal data proposed; confirm or reject each.")
            % {"name": document.name, "n": document.areas.count()},
        )
    return redirect(f"/workbench/disclosure/requests/{pk}/#documents")


@require_POST
@staff_required
def document_act(request: HttpRequest, pk: int, document_id: int, action: str) -> HttpResponse:
    user = acting_user(request)
    made, document = _document(request, pk, document_id)
    post = request.POST
    areas = {a.pk: a for a in document.areas.all()}
    try:
        if action == "confirm":
            for area_id in post.getlist("area"):
                area = areas.get(int_or(area_id))
                if area is not None:
                    services.area_confirm(
                        actor=user, area=area, ground=post.get(f"ground-{area.pk}", post.get("ground", ""))
                    )
        elif action == "reject" and int_or(post.get("area")) in areas:
            services.area_reject(actor=user, area=areas[int_or(post.get("area"))])
        elif action == "draw":
            box = [post.get(k, "") for k in ("x0", "y0", "x1", "y1")]
            services.area_draw(
                actor=user,
                document=document,
                page=int_or(post.get("page"), 1) - 1,
                boxes=[box],  # type: ignore[list-item]
                kind=post.get("kind", "other"),
                ground=post.get("ground", ""),
            )
        elif action == "release":
            services.document_release(actor=user, document=document)
        elif action == "remove":
            services.document_remove(actor=user, document=document)
        else:
            raise Http404
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect(f"/workbench/disclosure/requests/{made.pk}/#document-{document_id}")


@require_GET
@staff_required
def document_preview(request: HttpRequest, pk: int, document_id: int, page: int) -> HttpResponse:
    """A page of the original with the areas outlined (red: to decide; black: confirmed; grey: rejected)."""
    made, document = _document(request, pk, document_id)
    if not may_read_files(acting_user(request), made.body):
        raise Http404
    states = [
        (
            "rejected" if a.rejected else "confirmed" if a.confirmed_at else "proposed",
            redaction.Area.of(a.page, a.boxes),
        )
        for a in document.areas.all()
    ]
    with document.original.open("rb") as handle:
        data = handle.read()
    try:
        png = redaction.preview(data, content_type=document.content_type, page=page - 1, areas=states)
    except redaction.RedactionError as error:
        raise Http404 from error
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_required
def document_file(request: HttpRequest, pk: int, document_id: int, which: str) -> HttpResponse:
    made, document = _document(request, pk, document_id)
    if which == "original":
        # The original, before redaction: the body's office and head only, and every reading audited.
        user = acting_user(request)
        if not may_read_files(user, made.body):
            raise Http404
        audit_record(actor=user, action="disclosure.original_read", target=made, changes={"document": document.pk})
        return file_response(document.original, document.name, document.content_type)
    if which == "released" and document.released:
        return file_response(document.released, document.name.rsplit(".", 1)[0] + ".pdf", "application/pdf")
    raise Http404
