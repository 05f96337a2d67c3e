"""The public verification page (证照核验): anyone holding a licence or its QR code checks it here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.audit.services import audit_record
from yiwang.licences.selectors import licence_verify


@require_GET
def verify_page(request: HttpRequest) -> HttpResponse:
    identifier = request.GET.get("identifier", "").strip()[:120]
    result = licence_verify(identifier) if identifier else None
    if result is not None:
        audit_record(
            actor=request.user if request.user.is_authenticated else None,
            action="licences.verify",
            target=result.licence,
            object_type="licence",
            changes={"found": [None, result.found], "authentic": [None, result.authentic]},
        )
    return render(request, "licences/verify.html", {"identifier": identifier, "result": result})
