"""The public verification page (证照核验): anyone holding a licence or its QR code checks it here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.accounts.selectors import acting_user
from yiwang.audit.services import audit_record
from yiwang.core.errors import NotFound
from yiwang.licences.models import Licence
from yiwang.licences.printing import licence_pdf
from yiwang.licences.selectors import licence_verify
from yiwang.licences.services import verification_record


@require_GET
def verify_page(request: HttpRequest) -> HttpResponse:
    identifier = request.GET.get("identifier", "").strip()[:120]
    result = licence_verify(identifier) if identifier else None
    if result is not None:
        verification_record(actor=request.user, licence=result.licence, found=result.found, authentic=result.authentic)
    return render(request, "licences/verify.html", {"identifier": identifier, "result": result})


@require_GET
@login_required
def licence_download(request: HttpRequest, identifier: str) -> HttpResponse:
    """The holder's own licence as PDF; anyone else's is not found."""
    user = acting_user(request)
    licence = Licence.objects.select_related("issuer").filter(identifier=identifier, holder_account=user).first()
    if licence is None:
        raise NotFound(code="not_found")
    audit_record(actor=user, action="licences.download", target=licence)
    response = HttpResponse(licence_pdf(licence), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{licence.number or licence.pk}.pdf"'
    return response
