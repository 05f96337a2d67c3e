"""The supervisor's pages: KPIs, hotspots and the weekly bulletins, and the import of call records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.core.periods import period_from
from yiwang.core.shell import acting_user, staff_required
from yiwang.hotline import selectors, services, supervision
from yiwang.hotline.models import Bulletin


def _period_from(request: HttpRequest) -> tuple[date, date, list[str]]:
    return period_from(request.GET)


def _supervisor(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not user_has_role(user=user, roles=services.SUPERVISE_ROLES | {Role.DISPATCHER}):
        raise PermissionDenied()
    return user


GROUP_LABELS = {
    "unit": gettext_lazy("Handling unit"),
    "category": gettext_lazy("Category"),
    "area": gettext_lazy("Area"),
    "month": gettext_lazy("Month"),
}


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor's KPIs for a period: tiles, the monthly trend, a ranking, the table by the chosen
    grouping, call KPIs and cards per unit; ``?format=xlsx`` gives the same as a workbook."""
    from yiwang.core.charts import bar_chart, line_chart
    from yiwang.hotline import calls, reports
    from yiwang.hotline.aggregates import kpis_summed

    user = _supervisor(request)
    start, end, problems = _period_from(request)
    group = request.GET.get("group", "unit")
    if group not in GROUP_LABELS:
        group = "unit"
    total = next(iter(kpis_summed(user, start=start, end=end)), None)
    grouped = kpis_summed(user, start=start, end=end, group=group)
    tz = timezone.get_current_timezone()
    low, high = datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)
    cards = supervision.cards_by_unit(start=low, end=high)
    call_total = next(iter(calls.call_kpis(start=start, end=end)), None)
    call_days = calls.call_kpis(start=start, end=end, group="day")
    title = _("12345 hotline KPIs %(start)s to %(end)s") % {"start": start, "end": end}
    if request.GET.get("format") == "xlsx":
        data = reports.dashboard_workbook(title=title, total=total, grouped=grouped, calls=call_days, cards=cards)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="hotline-kpis-{start}-{end}.xlsx"'
        return response
    # The trend runs over the twelve months up to the period's end, whatever the period.
    trend_start = (end.replace(day=1) - timedelta(days=335)).replace(day=1)
    months = kpis_summed(user, start=min(start, trend_start), end=end, group="month")
    months.sort(key=lambda r: r.group)
    ranked = sorted((r for r in grouped if r.on_time_rate is not None), key=lambda r: -(r.on_time_rate or 0))[:12]
    return render(
        request,
        "hotline/dashboard.html",
        {
            "start": start,
            "end": end,
            "problems": problems,
            "group": group,
            "groups": GROUP_LABELS.items(),
            "group_label": GROUP_LABELS[group],
            "total": total,
            "grouped": grouped,
            "cards": cards,
            "call_total": call_total,
            "trend": line_chart(
                str(_("Accepted and concluded tickets by month")),
                [r.group for r in months],
                [
                    (str(_("Accepted")), [r.accepted for r in months]),
                    (str(_("Concluded")), [r.concluded for r in months]),
                ],
            ),
            "ranking": bar_chart(
                str(_("On-time rate by %(group)s") % {"group": GROUP_LABELS[group]}),
                [(r.group, r.on_time_rate) for r in ranked],
                unit="%",
                maximum=100,
            ),
            "calls_chart": line_chart(
                str(_("Answer rate and 15-second rate by day")),
                [r.group[5:] for r in call_days],
                [
                    (str(_("Answer rate (%)")), [r.answer_rate for r in call_days]),
                    (str(_("15-second rate (%)")), [r.rate_15s for r in call_days]),
                ],
                unit="%",
            )
            if call_days
            else "",
        },
        status=422 if problems else 200,
    )


@require_GET
@staff_required
def hotspots_view(request: HttpRequest) -> HttpResponse:
    """Hotspot analysis for the ``days`` up to ``end``; ``?format=pdf`` or ``xlsx`` gives the bulletin."""
    from yiwang.core.charts import bar_chart
    from yiwang.hotline import reports
    from yiwang.hotline.aggregates import kpis_summed
    from yiwang.hotline.hotspots import hotspots

    user = _supervisor(request)
    _start, end, problems = _period_from(request)
    days_text = request.GET.get("days", "7")
    days = int(days_text) if days_text.isdigit() and 1 <= int(days_text) <= 92 else 7
    if days_text != str(days):
        problems.append(_("The period is 1 to 92 days."))
    visible = selectors.tickets_visible(user)
    spots = hotspots(visible, end=end, days=days)
    total = next(iter(kpis_summed(user, start=spots.start, end=spots.end)), None)
    fmt = request.GET.get("format")
    if fmt == "pdf":
        response = HttpResponse(reports.bulletin_pdf(spots, total), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="hotline-hotspots-{spots.start}-{spots.end}.pdf"'
        return response
    if fmt == "xlsx":
        data = reports.bulletin_workbook(spots, total)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="hotline-hotspots-{spots.start}-{spots.end}.xlsx"'
        return response
    return render(
        request,
        "hotline/hotspots.html",
        {
            "spots": spots,
            "days": days,
            "end": end,
            "problems": problems,
            "bulletins": Bulletin.objects.all()[:8],
            "chart": bar_chart(
                str(_("Rising categories: tickets in the period")), [(e.name, e.count) for e in spots.categories]
            )
            if spots.categories
            else "",
        },
        status=422 if problems else 200,
    )


@require_GET
@staff_required
def bulletin_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A kept weekly bulletin (PDF or Excel), for supervisors and dispatchers."""
    _supervisor(request)
    bulletin = Bulletin.objects.filter(pk=pk).first()
    if bulletin is None or kind not in ("pdf", "xlsx"):
        raise NotFound(code="not_found")
    stored = bulletin.pdf if kind == "pdf" else bulletin.xlsx
    name = f"hotline-hotspots-{bulletin.start}-{bulletin.end}.{kind}"
    with stored.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=REPORT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


REPORT_TYPES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@require_http_methods(["GET", "POST"])
@staff_required
def calls_import_view(request: HttpRequest) -> HttpResponse:
    """Upload the telephone system's call records (CSV); the import runs as a job with progress."""
    from yiwang.core.jobs import job_submit
    from yiwang.hotline.calls import CALL_ROLES
    from yiwang.hotline.jobs import CALLS_IMPORT

    user = acting_user(request)
    if not user_has_role(user=user, roles=CALL_ROLES):
        raise PermissionDenied()
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not (upload.name or "").lower().endswith(".csv"):
            error = _("Choose the CSV file of call records.")
        elif upload.size and upload.size > 100 * 1024 * 1024:
            error = _("The file may not exceed %(n)d MB.") % {"n": 100}
        else:
            job = job_submit(kind=CALLS_IMPORT, created_by=user, upload=upload, input_name=upload.name or "calls.csv")
            return redirect("workbench:job", job_id=job.pk)
    return render(request, "hotline/calls.html", {"error": error}, status=422 if error else 200)
