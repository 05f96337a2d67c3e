"""Staff pages of data sharing: the catalogue with a query form, and a provider's access log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core.errors import DomainError, NotFound, ValidationFailed
from yiwang.core.shell import acting_user, staff_required
from yiwang.sharing.models import SubjectKind
from yiwang.sharing.selectors import departments_administered, resource_log, resources_catalogue, resources_logged_for
from yiwang.sharing.services import data_query, data_resource_register


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
            "may_register": bool(departments_administered(user)),
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


def _fields_parse(text: str) -> list[dict[str, str]]:
    """One data item per line: "key：label", or just the label (then it is also the key)."""
    fields = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        key, _sep, label = line.replace("：", ":").partition(":")
        fields.append({"key": key.strip(), "label": (label or key).strip()})
    return fields


@require_http_methods(["GET", "POST"])
@staff_required
def register(request: HttpRequest) -> HttpResponse:
    """A department administrator adds one of the department's data resources to the catalogue."""
    user = acting_user(request)
    departments = departments_administered(user)
    if not departments:
        raise NotFound(code="not_found")
    errors: dict[str, str] = {}
    post = request.POST
    if request.method == "POST":
        provider = next((d for d in departments if str(d.pk) == post.get("provider", "")), None)
        if provider is None:
            errors["provider"] = _("Choose your department.")
        else:
            try:
                resource = data_resource_register(
                    actor=user,
                    provider=provider,
                    code=post.get("code", "").strip(),
                    name=post.get("name", ""),
                    fields=_fields_parse(post.get("fields", "")),
                    subject_kind=post.get("subject_kind", ""),
                    personal=post.get("personal") == "on",
                    conditions=post.get("conditions", ""),
                    legal_basis=post.get("legal_basis", ""),
                    replaces=post.get("replaces", ""),
                    description=post.get("description", ""),
                )
            except ValidationFailed as failed:
                errors = {e["field"]: str(e["message"]) for e in (failed.details or {}).get("errors", [])}
            else:
                messages.success(request, _("%(name)s is in the sharing catalogue.") % {"name": resource.name})
                return redirect("sharing:catalogue")
    return render(
        request,
        "sharing/register.html",
        {"departments": departments, "errors": errors, "post": post, "kinds": SubjectKind.choices},
        status=422 if errors else 200,
    )
