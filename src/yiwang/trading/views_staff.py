"""The trading centre's and the supervisor's pages in the workbench: projects in scope, registering a
project, publishing its notice, clarifications, the closing, the opening and its conclusion — and, for
the supervisor, confirming a platform fault. Thin: every step is a service call."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.authz import grants_of
from yiwang.accounts.roles import Role
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.shell import acting_user, staff_required
from yiwang.organisation.selectors import department_get, department_list, region_get
from yiwang.trading import selectors, services
from yiwang.trading.models import (
    CriterionKind,
    DocumentKind,
    EvaluationMethod,
    ProjectKind,
    Specialty,
    TradingMethod,
    TradingProject,
)
from yiwang.trading.negotiation_pages import staff_negotiation_context
from yiwang.trading.views import _errors, _int, _refused


@require_GET
@staff_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    projects = list(selectors.projects_for_staff(user).order_by("-created_at")[:100])
    cards = selectors.alert_counts(projects)
    for project in projects:
        project.cards = cards.get(project.pk)  # type: ignore[attr-defined]
        project.waits = selectors.next_deadline(project)  # type: ignore[attr-defined]
        project.is_suspended = project.suspended()  # type: ignore[attr-defined]
    operator = bool(grants_of(user, {Role.TRADING_OFFICER}))
    context = {"projects": projects, "operator": operator, "now": timezone.now()}
    return render(request, "trading/staff_list.html", context)


def _regions_of(request: HttpRequest) -> list[Any]:
    """The regions the officer registers projects in (its grants' own regions)."""
    paths = {g.region_path for g in grants_of(acting_user(request), {Role.TRADING_OFFICER}) if g.region_path}
    regions = [region_get(code=path.strip("/").split("/")[-1]) for path in paths]
    return [r for r in regions if r is not None]


@require_http_methods(["GET", "POST"])
@staff_required
def project_new(request: HttpRequest) -> HttpResponse:
    """进场交易登记: one project with its lots (a lot per line: title, estimate, bid security)."""
    user = acting_user(request)
    regions = _regions_of(request)
    errors: dict[str, str] = {}
    post = request.POST
    if request.method == "POST":
        region = region_get(code=post.get("region", "")[:12])
        department = department_get(pk=_int(post.get("tenderer_department")), active_only=True)
        lots = []
        for line in post.get("lots", "").strip().splitlines()[:100]:
            parts = [part.strip() for part in line.replace("，", ",").split(",")]
            lots.append(
                services.LotIn(parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "0")
            )
        if region is None:
            errors["region"] = _("Choose the region.")
        else:
            try:
                project = services.project_register(
                    actor=user,
                    region=region,
                    kind=post.get("kind", "")[:16],
                    method=post.get("method", "")[:16],
                    evaluation_method=post.get("evaluation_method", "")[:16],
                    title=post.get("title", ""),
                    budget=post.get("budget", "").strip(),
                    lots=lots,
                    tenderer_department=department,
                    state_funded=post.get("state_funded") == "on",
                    qualification=post.get("qualification", ""),
                )
            except ValidationFailed as failed:
                errors = _errors(failed)
            except DomainError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Project %(code)s registered.") % {"code": project.code})
                return redirect("trading_staff:project", code=project.code)
    context = {
        "regions": regions,
        "departments": department_list(within_code=regions[0].code) if regions else [],
        "kinds": ProjectKind.choices,
        "methods": TradingMethod.choices,
        "evaluation_methods": EvaluationMethod.choices,
        "errors": errors,
        "post": post,
    }
    return render(request, "trading/staff_new.html", context, status=422 if errors else 200)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _deadline(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _publish(request: HttpRequest, project: TradingProject) -> dict[str, str]:
    post = request.POST
    documents_from, documents_until = _date(post.get("documents_from", "")), _date(post.get("documents_until", ""))
    deadline = _deadline(post.get("bid_deadline", ""))
    errors = {
        field: _("Write the date like 2026-01-31.")
        for field, value in (("documents_from", documents_from), ("documents_until", documents_until))
        if value is None
    }
    if deadline is None:
        errors["bid_deadline"] = _("Write the deadline like 2026-01-31 09:30.")
    if errors:
        return errors
    assert documents_from and documents_until and deadline
    custodians = selectors.custodians_named(post.getlist("custodians")[:9])
    services.notice_publish(
        actor=acting_user(request),
        project=project,
        title=post.get("title", ""),
        body=post.get("body", ""),
        documents_from=documents_from,
        documents_until=documents_until,
        bid_deadline=deadline,
        custodians=custodians,
        threshold=_int(post.get("threshold"), 3),
        upload=request.FILES.get("file"),
    )
    return {}


def _step(request: HttpRequest, project: TradingProject, step: str) -> dict[str, str]:
    """Takes one step of the project from a form; returns the field errors (others are messages)."""
    user, post = acting_user(request), request.POST
    if step == "publish":
        return _publish(request, project)
    if step == "amend":
        services.document_amend(
            actor=user,
            project=project,
            kind=post.get("kind", "")[:16],
            title=post.get("title", ""),
            body=post.get("body", ""),
            affects_bids=post.get("affects_bids") == "on",
            upload=request.FILES.get("file"),
        )
    elif step == "close":
        services.project_close(actor=user, project=project)
    elif step == "opening_start":
        services.opening_start(actor=user, project=project)
    elif step == "opening_conclude":
        services.opening_conclude(actor=user, project=project, abandon_recovery=post.get("abandon") == "on")
    elif step == "draw":
        services.draw_make(
            actor=user,
            project=project,
            specialty=post.get("specialty", "")[:16],
            count=_int(post.get("count"), 0),
            representatives=_int(post.get("representatives"), 0),
        )
    elif step == "platform_fault":
        bids = list(selectors.bids_opened(project).filter(pk__in=[_int(v) for v in post.getlist("bids")[:1000]]))
        services.opening_platform_fault(actor=user, project=project, bids=bids, note=post.get("note", ""))
    return {}


STEP_DONE = {
    "publish": gettext_lazy("The notice is published; bidding is open."),
    "amend": gettext_lazy("The new version of the documents is published."),
    "close": gettext_lazy("Bids closed; the Merkle root is signed and published."),
    "opening_start": gettext_lazy("The opening has started."),
    "opening_conclude": gettext_lazy("The opening record is signed and published."),
    "platform_fault": gettext_lazy("The platform fault is recorded."),
    "draw": gettext_lazy("Experts drawn; they are told by SMS and confirm or decline by its link."),
}


@require_http_methods(["GET", "POST"])
@staff_required
def project_page(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    project = selectors.project_for_staff(user, code)
    errors: dict[str, str] = {}
    status = 200
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step in STEP_DONE:
        try:
            errors = _step(request, project, step)
        except ValidationFailed as failed:
            errors = _errors(failed) or {"_": str(failed.message)}
            if "_" in errors:
                messages.error(request, errors.pop("_"))
        except DomainError as error:
            status = _refused(request, error)
        else:
            if not errors:
                messages.success(request, str(STEP_DONE[step]))
                return redirect("trading_staff:project", code=project.code)
        status = 422 if errors else status
    project.refresh_from_db()
    context = {
        "project": project,
        "lots": list(project.lots.all()),
        "documents": list(selectors.documents_of(project)),
        "criteria": selectors.criteria_of(project) if project.evaluation_method == "scoring" else [],
        "criterion_kinds": CriterionKind.choices,
        "criterion_rows": range(6),
        "invitations": selectors.invitations_of(project),
        "events": list(selectors.events_of(project)),
        "bids": list(selectors.bids_opened(project)),
        "closing": getattr(project, "closing", None),
        "opening": getattr(project, "opening", None),
        "custodian_candidates": selectors.custodian_candidates(),
        "document_kinds": [
            (DocumentKind.CLARIFICATION, DocumentKind.CLARIFICATION.label),
            (DocumentKind.AMENDMENT, DocumentKind.AMENDMENT.label),
        ],
        "supervisor": selectors.supervises(user, project),
        "draws": selectors.draws_of(project),
        "specialties": Specialty.choices,
        "errors": errors,
        "step": step,
        "post": request.POST,
        "chosen": request.POST.getlist("custodians"),
        "now": timezone.now(),
        **staff_negotiation_context(user, project),
    }
    return render(request, "trading/staff_project.html", context, status=status)
