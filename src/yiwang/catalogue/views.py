"""Staff screens of the catalogue: the implementations in one's scope, review and publication,
Excel import (a background job with progress) and export."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.authz import can
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.catalogue import selectors, services
from yiwang.catalogue.excel import catalogue_export, catalogue_template
from yiwang.catalogue.jobs import CATALOGUE_IMPORT, CATALOGUE_IMPORT_SUBMIT
from yiwang.catalogue.models import ImplementationVersion, VersionStatus
from yiwang.catalogue.workflow import WORKFLOW
from yiwang.core.admin_imports import ExcelUploadForm
from yiwang.core.errors import DomainError, PermissionDenied
from yiwang.core.jobs import job_submit
from yiwang.core.shell import acting_user, staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = acting_user(request)
    if not user_has_role(user=user, roles=selectors.CATALOGUE_STAFF_ROLES):
        raise PermissionDenied()
    return user


@require_GET
@staff_required
def manage(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    q = request.GET.get("q", "")[:50]
    status = request.GET.get("status", "")
    status = status if status in VersionStatus.values else ""
    items = selectors.implementations_in_scope(user, q=q, status=status)[:200]
    return render(
        request,
        "catalogue/manage.html",
        {"items": items, "q": q, "status": status, "statuses": VersionStatus.choices},
    )


ACTIONS = {
    "submit": services.version_submit,
    "publish": services.version_publish,
    "resume": services.version_resume,
}
ACTIONS_WITH_REASON = {
    "return": services.version_return,
    "suspend": services.version_suspend,
    "cancel": services.version_cancel,
}


@require_GET
@staff_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _staff(request)
    item = selectors.implementation_for_staff(user, code)
    versions = list(item.versions.order_by("-number"))
    latest = versions[0]
    department = item.department
    actions = [
        action
        for action in WORKFLOW.actions_from(latest.status)
        if WORKFLOW.roles(action)
        and can(
            user,
            WORKFLOW.roles(action),
            department=department if action == "submit" else None,
            region=department.region,
        )
    ]
    diff = selectors.version_diff(item.current, latest) if item.current and item.current.pk != latest.pk else None
    labelled = (
        [
            (getattr(ImplementationVersion._meta.get_field(name), "verbose_name", name), before, after)
            for name, (before, after) in diff.fields.items()
        ]
        if diff
        else []
    )
    may_change = (
        can(user, {Role.DEPT_ADMIN}, department=department)
        and item.current is not None
        and latest.status not in (VersionStatus.DRAFT, VersionStatus.REVIEW)
    )
    return render(
        request,
        "catalogue/detail.html",
        {
            "item": item,
            "versions": versions,
            "latest": latest,
            "actions": actions,
            "with_reason": set(ACTIONS_WITH_REASON),
            "diff": diff,
            "diff_fields": labelled,
            "relations": {"steps": _("Process"), "materials": _("Materials"), "form_fields": _("Form fields")},
            "may_change": may_change,
            "missing": [] if latest.status != VersionStatus.DRAFT else _missing(latest),
        },
    )


def _missing(version: ImplementationVersion) -> list[tuple[str, str]]:
    from yiwang.catalogue.rules import version_missing

    return version_missing(version, item_type=version.implementation.base_item.item_type)


@require_POST
@staff_required
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = _staff(request)
    item = selectors.implementation_for_staff(user, code)
    try:
        if action == "change":
            services.implementation_change(actor=user, implementation=item)
        else:
            version = item.versions.order_by("-number").first()
            assert version is not None
            if action in ACTIONS:
                ACTIONS[action](actor=user, version=version)
            elif action in ACTIONS_WITH_REASON:
                ACTIONS_WITH_REASON[action](actor=user, version=version, reason=request.POST.get("reason", "")[:500])
            else:
                raise PermissionDenied()
    except DomainError as error:
        problems = error.details.get("errors") or []
        text = "；".join(str(p["message"]) for p in problems) if problems else str(error.message)
        messages.error(request, text)
    else:
        messages.success(request, _("Done."))
    return redirect("catalogue:detail", code=item.code)


class CatalogueImportForm(ExcelUploadForm):
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        help_text=gettext_lazy("The sheets of the catalogue template; export the catalogue to see a filled-in one."),
    )
    submit = forms.BooleanField(label=gettext_lazy("Submit the new versions for review"), required=False)


@require_http_methods(["GET", "POST"])
@staff_required
def import_view(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = CATALOGUE_IMPORT_SUBMIT if form.cleaned_data["submit"] else CATALOGUE_IMPORT
        job = job_submit(kind=kind, created_by=user, upload=upload, input_name=upload.name or "catalogue.xlsx")
        return redirect("workbench:job", job_id=job.pk)
    return render(request, "catalogue/import.html", {"form": form}, status=422 if form.errors else 200)


@require_GET
@staff_required
def export(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    response = HttpResponse(catalogue_export(selectors.implementations_in_scope(user)), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="catalogue.xlsx"'
    return response


@require_GET
@staff_required
def template(request: HttpRequest) -> HttpResponse:
    _staff(request)
    response = HttpResponse(catalogue_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="catalogue-template.xlsx"'
    return response


@require_GET
@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    """The catalogue KPIs by department or region, as a chart and a table."""
    from yiwang.catalogue.kpis import KPIS, catalogue_kpis

    by = "region" if request.GET.get("by") == "region" else "department"
    selected = request.GET.get("kpi", KPIS[0].key)
    kpi = next((k for k in KPIS if k.key == selected), KPIS[0])
    overall, rows = catalogue_kpis(by=by)
    bar_height, gap, label_width, chart_width = 22, 10, 190, 420
    bars = [
        {
            "name": row.name,
            "rate": row.rate(kpi.key),
            "width": round((row.rate(kpi.key) or 0) * chart_width, 1),
            "y": index * (bar_height + gap),
            "text_y": index * (bar_height + gap) + bar_height * 0.72,
        }
        for index, row in enumerate(rows)
    ]
    return render(
        request,
        "catalogue/statistics.html",
        {
            "kpis": KPIS,
            "kpi": kpi,
            "by": by,
            "overall": overall,
            "rows": rows,
            "bars": bars,
            "chart": {
                "label_width": label_width,
                "width": chart_width,
                "bar_height": bar_height,
                "height": max(1, len(rows)) * (bar_height + gap),
                "total_width": label_width + chart_width + 70,
                "value_x": label_width + 6,
                "grid": [(label_width + chart_width * p / 100, p) for p in (0, 25, 50, 75, 100)],
            },
        },
    )
