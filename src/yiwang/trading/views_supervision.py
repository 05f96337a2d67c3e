"""Pages of complaints, bid securities and e-supervision cards (docs/trading.md §8–§9). A bidder files
and follows its complaints from the project's public page; in the workbench the supervising department
accepts, suspends and decides, the centre records and refunds securities, and both read the cards. One
small view per act, each a service call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.authz import grants_of
from yiwang.accounts.choices import AccountKind
from yiwang.accounts.roles import Role
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.shell import acting_user, staff_required
from yiwang.trading import selectors, services, views
from yiwang.trading.models import ComplaintOutcome, ComplaintSubject, SecurityForm
from yiwang.trading.views import _errors, _int, _refused


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@login_required
def complaints(request: HttpRequest, code: str) -> HttpResponse:
    """投诉 to the supervising department: the form and the complainant's own complaints."""
    user = acting_user(request)
    project = selectors.project_published(code)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        post = request.POST
        known_on = _date(post.get("known_on", ""))
        objection_id = _int(post.get("objection"), 0)
        objection = selectors.objections_of_raiser(user, project).filter(pk=objection_id).first()
        if known_on is None:
            errors["known_on"] = _("Write the date like 2026-01-31.")
        else:
            try:
                services.complaint_file(
                    actor=user, project=project, subject=post.get("subject", "")[:16],
                    request=post.get("request", "")[:3000], grounds=post.get("grounds", "")[:6000],
                    known_on=known_on, objection=objection, evidence=request.FILES.get("evidence"),
                )  # fmt: skip
            except ValidationFailed as failed:
                errors = _errors(failed) or {"_": str(failed.message)}
                if "_" in errors:
                    messages.error(request, errors.pop("_"))
            except DomainError as error:
                status = _refused(request, error)
            else:
                messages.success(request, _("Your complaint was received; the supervising department answers it."))
                return redirect("trading:complaints", code=project.code)
        status = 422 if errors else status
    context = {
        "project": project,
        "mine": list(selectors.complaints_for(user, project).filter(complainant=user)),
        "objections": list(selectors.objections_of_raiser(user, project)),
        "subjects": ComplaintSubject.choices,
        "may_complain": user.kind != AccountKind.STAFF,
        "errors": errors,
        "post": request.POST,
    }
    return render(request, "trading/complaints.html", context, status=status)


@require_POST
@login_required
def complaint_withdraw(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = acting_user(request)
    complaint = selectors.complaint_for(user, complaint_id)
    try:
        services.complaint_withdraw(actor=user, complaint=complaint)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your complaint is withdrawn."))
    return redirect("trading:complaints", code=complaint.project.code)


# --- the workbench ---------------------------------------------------------------------------------------


@require_GET
@staff_required
def supervision(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    project = selectors.project_for_staff(user, code)
    context = {
        "project": project,
        "complaints": list(selectors.complaints_for(user, project)),
        "securities": list(selectors.securities_of(project)),
        "alerts": list(project.alerts.all()),
        "lots": list(project.lots.all()),
        "supervisor": selectors.supervises(user, project),
        "officer": bool(grants_of(user, {Role.TRADING_OFFICER})),
        "outcomes": ComplaintOutcome.choices,
        "forms": SecurityForm.choices,
        "suspended": project.suspended(),
    }
    return render(request, "trading/supervision.html", context)


def _act(request: HttpRequest, code: str, act: Callable[[Any], object], done: str) -> HttpResponse:
    return views._act(request, act, done, "trading_staff:supervision", code)


def _complaint(request: HttpRequest, complaint_id: int) -> Any:
    return selectors.complaint_for(acting_user(request), complaint_id)


@require_POST
@staff_required
def complaint_accept(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint(request, complaint_id)
    return _act(
        request, complaint.project.code, lambda u: services.complaint_accept(actor=u, complaint=complaint),
        _("Complaint accepted; the decision is due within 30 working days."),
    )  # fmt: skip


@require_POST
@staff_required
def complaint_refuse(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint(request, complaint_id)
    reason = request.POST.get("reason", "")[:3000]
    return _act(
        request, complaint.project.code,
        lambda u: services.complaint_refuse(actor=u, complaint=complaint, reason=reason),
        _("The complaint is not accepted; the reason is recorded."),
    )  # fmt: skip


@require_POST
@staff_required
def complaint_decide(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint(request, complaint_id)
    outcome, decision = request.POST.get("outcome", "")[:16], request.POST.get("decision", "")[:6000]
    return _act(
        request, complaint.project.code,
        lambda u: services.complaint_decide(actor=u, complaint=complaint, outcome=outcome, decision=decision),
        _("The decision is recorded."),
    )  # fmt: skip


@require_POST
@staff_required
def complaint_suspend(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint(request, complaint_id)
    return _act(
        request, complaint.project.code, lambda u: services.project_suspend(actor=u, complaint=complaint),
        _("The project is suspended until the complaint is settled."),
    )  # fmt: skip


@require_POST
@staff_required
def suspension_lift(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_for_staff(acting_user(request), code)
    return _act(
        request, code, lambda u: services.suspension_lift(actor=u, project=project), _("The suspension is lifted.")
    )


@require_POST
@staff_required
def security_record(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    project = selectors.project_for_staff(user, code)
    post = request.POST
    lot = project.lots.filter(number=_int(post.get("lot"), 1)).first()
    bidder = selectors.company_by_credit_code(post.get("credit_code", ""))
    if lot is None or bidder is None:
        messages.error(request, _("No registered company has this unified social credit code."))
        return redirect("trading_staff:supervision", code=code)
    return _act(
        request, code,
        lambda u: services.security_record(
            actor=u, lot=lot, bidder=bidder, amount=post.get("amount", "")[:32], form=post.get("form", "")[:16],
            reference=post.get("reference", "")[:100],
        ),
        _("The bid security is recorded."),
    )  # fmt: skip


@require_POST
@staff_required
def security_refund(request: HttpRequest, security_id: int) -> HttpResponse:
    security = selectors.security_for_staff(acting_user(request), security_id)
    interest = request.POST.get("interest", "0")[:32] or "0"
    return _act(
        request, security.lot.project.code,
        lambda u: services.security_refund(actor=u, security=security, interest=interest),
        _("The refund is recorded."),
    )  # fmt: skip


@require_GET
@staff_required
def complaint_evidence(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The complaint's evidence, for the supervising department (``complaint_for`` hides it from others)."""
    complaint = selectors.complaint_for(acting_user(request), complaint_id)
    if not complaint.evidence:
        raise Http404
    name = (complaint.evidence.name or "evidence").rsplit("/", 1)[-1]
    with complaint.evidence.open("rb") as file:  # at most the upload limit (YIWANG_UPLOAD_MAX_MB)
        response = HttpResponse(file.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
