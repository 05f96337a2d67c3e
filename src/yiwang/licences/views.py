"""Pages of the e-licence context: public verification (证照核验), the department's licence desk
(issue by hand, import in bulk, revoke / annul / re-issue), and the holder's wallet with share links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.audit.services import audit_record
from yiwang.core.errors import DomainError, NotFound, ValidationFailed
from yiwang.core.jobs import job_submit
from yiwang.core.masking import mask_id_number
from yiwang.core.shell import acting_user, staff_required
from yiwang.licences import services
from yiwang.licences.jobs import LICENCES_IMPORT
from yiwang.licences.models import Licence
from yiwang.licences.printing import licence_pdf
from yiwang.licences.selectors import (
    licence_events,
    licence_types_issued_by,
    licence_uses,
    licence_verify,
    licences_managed,
    share_links,
    wallet_licence,
)
from yiwang.licences.services import SHARE_DAYS_MAX, verification_record
from yiwang.licences.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User


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


# --- The holder's wallet -------------------------------------------------------------------------


@require_GET
@login_required
def wallet_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    """One licence of mine: its history, every use, and the links I gave out."""
    user = acting_user(request)
    licence = wallet_licence(user, identifier)
    if licence is None:
        raise NotFound(code="not_found")
    return _wallet_page(request, licence)


@require_POST
@login_required
def wallet_number(request: HttpRequest, identifier: str) -> HttpResponse:
    """The licence's number in clear, on the holder's demand (audited); never kept by a cache."""
    user = acting_user(request)
    licence = wallet_licence(user, identifier)
    if licence is None:
        raise NotFound(code="not_found")
    response = _wallet_page(request, licence, number=services.licence_number_reveal(holder=user, licence=licence))
    response["Cache-Control"] = "no-store"
    return response


def _wallet_page(
    request: HttpRequest,
    licence: Licence,
    *,
    errors: dict[str, str] | None = None,
    new_link: str = "",
    number: str = "",
) -> HttpResponse:
    masked = licence.number_masked
    return render(
        request,
        "licences/wallet_detail.html",
        {
            "licence": licence,
            "number_shown": number or masked,
            "number_revealable": not number and masked != licence.number,
            "events": licence_events(licence),
            "uses": licence_uses(licence),
            "links": share_links(licence),
            "errors": errors or {},
            "new_link": new_link,
            "max_days": SHARE_DAYS_MAX,
            "post": request.POST,
        },
        status=422 if errors else 200,
    )


@require_POST
@login_required
def share_create(request: HttpRequest, identifier: str) -> HttpResponse:
    user = acting_user(request)
    licence = wallet_licence(user, identifier)
    if licence is None:
        raise NotFound(code="not_found")
    try:
        days = int(request.POST.get("days", "0") or 0)
    except ValueError:
        days = 0
    try:
        _link, token = services.share_link_create(
            holder=user,
            licence=licence,
            recipient=request.POST.get("recipient", ""),
            purpose=request.POST.get("purpose", ""),
            days=days,
        )
    except ValidationFailed as failed:
        return _wallet_page(request, licence, errors=_errors(failed))
    url = request.build_absolute_uri(f"/licences/shared/{token}/")
    return _wallet_page(request, licence, new_link=url)


@require_POST
@login_required
def share_revoke(request: HttpRequest, identifier: str, link_id: int) -> HttpResponse:
    user = acting_user(request)
    licence = wallet_licence(user, identifier)
    link = licence.share_links.filter(pk=link_id).first() if licence else None
    if licence is None or link is None:
        raise NotFound(code="not_found")
    services.share_link_revoke(holder=user, link=link)
    messages.success(request, _("The link no longer works."))
    return redirect("licences:wallet", identifier=identifier)


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """What the holder shared: the licence in full, its verification, while the link lasts."""
    link = services.share_link_open(token[:100])
    if link is None:
        return render(request, "licences/shared_gone.html", status=404)
    result = licence_verify(link.licence.identifier)
    # The holder gave this link to show the licence as it is: its number in full.
    context = {"link": link, "licence": link.licence, "result": result, "number_shown": link.licence.number}
    return render(request, "licences/shared.html", context)


# --- The department's licence desk -----------------------------------------------------------------


def _errors(failed: ValidationFailed) -> dict[str, str]:
    return {e["field"]: str(e["message"]) for e in (failed.details or {}).get("errors", [])}


@require_GET
@staff_required
def manage(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    lookup = request.GET.get("q", "").strip()[:60]
    licences = licences_managed(user)
    if lookup:
        licences = licences.filter(number=lookup) | licences.filter(identifier=lookup.upper())
    return render(
        request,
        "licences/manage.html",
        {"licences": licences.order_by("-pk")[:50], "types": licence_types_issued_by(user), "lookup": lookup},
    )


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@staff_required
def issue(request: HttpRequest, type_code: str) -> HttpResponse:
    """Issuing one licence by hand (a paper licence being digitised, a correction)."""
    user = acting_user(request)
    licence_type = licence_types_issued_by(user).filter(code=type_code).first()
    if licence_type is None:
        raise NotFound(code="not_found")
    errors: dict[str, str] = {}
    if request.method == "POST":
        post = request.POST
        data = {f["key"]: post.get(f"data_{f['key']}", "").strip() for f in licence_type.fields or []}
        dates = {k: post.get(k, "").strip() for k in ("valid_from", "valid_until")}
        for key, text in dates.items():
            if text and _date_or_none(text) is None:
                errors[key] = _("Write the date like 2026-01-31.")
        if not errors:
            assert licence_type.issuing_department is not None
            try:
                licence = services.licence_issue(
                    actor=user,
                    licence_type=licence_type,
                    issuer=licence_type.issuing_department,
                    holder_name=post.get("holder_name", ""),
                    holder_code=post.get("holder_code", ""),
                    number=post.get("number", ""),
                    valid_from=_date_or_none(dates["valid_from"]),
                    valid_until=_date_or_none(dates["valid_until"]),
                    data={k: v for k, v in data.items() if v},
                    check_data=True,
                )
            except ValidationFailed as failed:
                errors = _errors(failed)
            else:
                messages.success(request, _("Licence %(number)s issued and signed.") % {"number": licence.number})
                return redirect("licences:manage_detail", identifier=licence.identifier)
    return render(
        request,
        "licences/issue.html",
        {"licence_type": licence_type, "errors": errors, "post": request.POST},
        status=422 if errors else 200,
    )


class ImportForm(forms.Form):
    max_megabytes = 50
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx) or CSV file"),
        help_text=gettext_lazy(
            "Columns 证照类型代码, 证照编号, 持证主体, 持证主体代码, 颁发日期, 有效期起始日期, 有效期截止日期, "
            "then one column per data item of the licence type (its name as the header)."
        ),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Please upload an .xlsx workbook or a .csv file."))
        if upload.size and upload.size > self.max_megabytes * 1024 * 1024:
            raise forms.ValidationError(_("The file may not exceed %(n)d MB.") % {"n": self.max_megabytes})
        return upload


@require_http_methods(["GET", "POST"])
@staff_required
def import_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not licence_types_issued_by(user).exists():
        raise NotFound(code="not_found")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_submit(
            kind=LICENCES_IMPORT, created_by=user, upload=upload, input_name=upload.name or "licences.xlsx"
        )
        return redirect("workbench:job", job_id=job.pk)
    return render(
        request,
        "licences/import.html",
        {"form": form, "types": licence_types_issued_by(user)},
        status=422 if form.errors else 200,
    )


def _managed(request: HttpRequest, identifier: str) -> Licence:
    licence = licences_managed(acting_user(request)).filter(identifier=identifier).first()
    if licence is None:
        raise NotFound(code="not_found")
    return licence


@require_GET
@staff_required
def manage_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    licence = _managed(request, identifier)
    return render(request, "licences/manage_detail.html", _detail_context(licence))


def _detail_context(licence: Licence, **extra: Any) -> dict[str, Any]:
    return {
        "licence": licence,
        "holder_code_masked": mask_id_number(licence.holder_code),
        "number_shown": licence.number,
        "events": licence_events(licence),
        "uses": licence_uses(licence, limit=20),
        "successor": Licence.objects.filter(replaces=licence).first(),
        "steps": [action for action in WORKFLOW.actions_from(licence.status) if action in STEPS],
        "errors": {},
        **extra,
    }


def _reissue(request: HttpRequest, user: User, licence: Licence) -> Licence:
    return services.licence_reissue(
        actor=user,
        licence=licence,
        reason=request.POST.get("reason", ""),
        holder_name=request.POST.get("holder_name") or None,
        valid_until=_date_or_none(request.POST.get("valid_until", "")),
    )


# The desk's steps, by the actions of the table (licences.workflow); the nightly expiry is no one's button.
STEPS: dict[str, Callable[[HttpRequest, User, Licence], Licence]] = {
    "revoke": lambda request, user, licence: services.licence_revoke(
        actor=user, licence=licence, reason=request.POST.get("reason", "")
    ),
    "annul": lambda request, user, licence: services.licence_annul(
        actor=user, licence=licence, reason=request.POST.get("reason", "")
    ),
    "reissue": _reissue,
}


@require_POST
@staff_required
def manage_action(request: HttpRequest, identifier: str, action: str) -> HttpResponse:
    """Revoke, annul or re-issue, always with a reason that verification shows."""
    licence = _managed(request, identifier)
    user = acting_user(request)
    try:
        step = STEPS.get(action)
        if step is None:
            raise NotFound(code="not_found")
        changed = step(request, user, licence)
        if changed.pk != licence.pk:  # re-issued: the new version's page
            messages.success(request, _("Version %(version)s issued.") % {"version": changed.version})
            return redirect("licences:manage_detail", identifier=changed.identifier)
    except ValidationFailed as failed:
        context = _detail_context(licence, errors=_errors(failed), failed_action=action)
        return render(request, "licences/manage_detail.html", context, status=422)
    except DomainError as failed:
        messages.error(request, str(failed.message))
    else:
        messages.success(request, _("Done."))
    return redirect("licences:manage_detail", identifier=identifier)
