"""Staff pages of data sharing: the catalogue with a query form, and a provider's access log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.selectors import acting_user
from yiwang.core.errors import DomainError, NotFound, ValidationFailed
from yiwang.sharing.selectors import resource_log, resources_catalogue, resources_logged_for
from yiwang.sharing.services import data_query
from yiwang.workbench.views import staff_required


@require_http_methods(["GET", "POST"])
@staff_required
def catalogue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    answer, errors, error = None, {}, ""
    values = {k: request.POST.get(k, "").strip() for k in ("resource", "subject_code", "purpose", "case_number")}
    if request.method == "POST":
        try:
            answer = data_query(
                resource_code=values["resource"],
                subject_code=values["subject_code"],
                purpose=values["purpose"],
                case_number=values["case_number"],
                user=user,
            )
        except ValidationFailed as failed:
            errors = {e["field"]: e["message"] for e in (failed.details or {}).get("errors", [])}
        except DomainError as failed:
            error = str(failed.message)
    return render(
        request,
        "sharing/catalogue.html",
        {
            "resources": resources_catalogue(),
            "logged": {r.pk for r in resources_logged_for(user)},
            "answer": answer,
            "errors": errors,
            "error": error,
            "values": values,
        },
        status=422 if errors else (403 if error else 200),
    )


@require_GET
@staff_required
def log(request: HttpRequest, code: str) -> HttpResponse:
    resource = resources_logged_for(acting_user(request)).filter(code=code).first()
    if resource is None:
        raise NotFound(code="not_found")
    return render(request, "sharing/log.html", {"resource": resource, "queries": resource_log(resource)})
