"""The leaders' screens: the centre dashboard (a department's people see their department's), filterable by
period, department, region, window and item, with charts, the table by any grouping, cards and the
exceptions list, as Excel or PDF too and as a wall display; the cards' drill-down; the window assessment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from yiwang.accounts.authz import scope_filter
from yiwang.accounts.selectors import user_has_role
from yiwang.core.charts import bar_chart, line_chart
from yiwang.core.periods import period_from
from yiwang.core.shell import acting_user_with, staff_required
from yiwang.oversight import assessment, kpis, reports, selectors

GROUP_LABELS = {
    "department": gettext_lazy("Department"),
    "region": gettext_lazy("Region"),
    "window": gettext_lazy("Window"),
    "item": gettext_lazy("Item"),
    "channel": gettext_lazy("Channel"),
    "month": gettext_lazy("Month"),
}
TILES = ("received", "same_day_rate", "on_time_rate", "early_rate", "online_rate", "one_visit_rate",
         "satisfaction_rate", "ratings", "closure_rate", "average_wait", "average_service", "no_show_rate")  # fmt: skip
CHANNEL_LABELS = {
    "window": gettext_lazy("At a window"), "online": gettext_lazy("Online"), "mobile": gettext_lazy("Mobile app"),
    "kiosk": gettext_lazy("Self-service kiosk"), "proxy": gettext_lazy("Received for another region"),
}  # fmt: skip


def _reader(request: HttpRequest) -> Any:
    return acting_user_with(request, kpis.READER_ROLES)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _filters(request: HttpRequest) -> tuple[kpis.Filters, list[str]]:
    from yiwang.organisation.selectors import region_path

    start, end, problems = period_from(request.GET)
    region = region_path(code=request.GET.get("region", "")[:12])
    return (
        kpis.Filters(
            start=start, end=end, department=_int(request.GET.get("department")), region_path=region,
            window=_int(request.GET.get("window")), implementation=_int(request.GET.get("item")),
        ),
        problems,
    )  # fmt: skip


def _choices(user: Any) -> dict[str, Any]:
    from yiwang.catalogue.selectors import implementations_with_current
    from yiwang.organisation.selectors import department_all, region_list, windows_active

    return {
        "departments": list(
            scope_filter(department_all().order_by("name"), user, kpis.READER_ROLES, department_field="pk")
        ),
        "regions": list(region_list(levels=("city", "district"))),
        "windows": list(windows_active().select_related("group").order_by("number")),
        "items": list(implementations_with_current().select_related("current").order_by("current__name")[:500]),
    }


def _trend(user: Any, filters: kpis.Filters) -> tuple[str, str]:
    """Twelve months up to the period's end, from the monthly roll-ups (and ratings' daily rows)."""
    first = (filters.end.replace(day=1) - timedelta(days=335)).replace(day=1)
    span = kpis.Filters(
        first, filters.end, filters.department, filters.region_path, filters.window, filters.implementation
    )
    table = kpis.kpi_table(user, span, group="month")
    months = sorted(k for k in table.rows if isinstance(k, date))
    labels = [f"{m:%Y-%m}" for m in months]
    volume = line_chart(
        str(_("Cases received by month")),
        labels,
        [(str(_("Cases received")), [table.values(m)["received"] for m in months])],
    )
    rates = line_chart(
        str(_("On-time and satisfaction rates by month")),
        labels,
        [
            (str(pgettext("cases", "On-time rate")), [table.values(m)["on_time_rate"] for m in months]),
            (str(_("Satisfaction rate")), [table.values(m)["satisfaction_rate"] for m in months]),
        ],
        unit="%",
    )
    return volume, rates


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """政务服务效能看板. ``?format=xlsx`` or ``pdf`` gives the same view as a file, ``?wall=1`` the wall display."""
    user = _reader(request)
    filters, problems = _filters(request)
    group = request.GET.get("group", "department")
    if group not in GROUP_LABELS:
        group = "department"
    total = kpis.kpi_table(user, filters)
    grouped = kpis.kpi_table(user, filters, group=group)
    cards = selectors.cards_by_department(user, filters)
    title = _("Service performance %(start)s to %(end)s") % {"start": filters.start, "end": filters.end}
    export = request.GET.get("format")
    if export == "xlsx":
        scores = assessment.month_scores(filters.end, user)
        data = reports.workbook(
            title=title, table_all=total, grouped=grouped, group_label=str(GROUP_LABELS[group]), cards=cards,
            scores=scores, trading=_trading(user, filters),
        )  # fmt: skip
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="performance-{filters.start}-{filters.end}.xlsx"'
        return response
    if export == "pdf":
        data = reports.pdf(
            title=str(_("Service performance")), subtitle=title, table_all=total, grouped=grouped,
            group_label=str(GROUP_LABELS[group]), cards=cards,
        )  # fmt: skip
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="performance-{filters.start}-{filters.end}.pdf"'
        return response
    values = total.values()
    ordered = grouped.ordered()
    if group == "channel":
        ordered = [(str(CHANNEL_LABELS.get(label, label)), v, s) for label, v, s in ordered]
    ranked = sorted(
        (r for r in ordered if r[1]["on_time_rate"] is not None), key=lambda r: -(r[1]["on_time_rate"] or 0)
    )
    by_channel = kpis.kpi_table(user, filters, group="channel")
    trading = _trading(user, filters)
    volume, rates = _trend(user, filters)
    context = {
        "filters": filters, "problems": problems, "group": group, "groups": GROUP_LABELS.items(),
        "group_label": GROUP_LABELS[group],
        "tiles": [(k, kpis.BY_CODE[k].label, reports.shown(k, values[k])) for k in TILES],
        "rows": [(label, [(k, reports.shown(k, v[k])) for k in reports.GROUPED]) for label, v, _s in ordered],
        "heads": [kpis.BY_CODE[k].label for k in reports.GROUPED], "cards": cards[:20],
        "trend": volume, "rates": rates,
        "ranking": bar_chart(
            str(pgettext("cases", "On-time rate by %(group)s") % {"group": GROUP_LABELS[group]}),
            [(label, v["on_time_rate"]) for label, v, _s in ranked[:12]], unit="%", maximum=100,
        ),
        "channels": bar_chart(
            str(_("Cases received by channel")),
            [(str(CHANNEL_LABELS.get(label, label)), v["received"]) for label, v, _s in by_channel.ordered()],
        ),
        "hotline": _hotline(user, filters), "wall": request.GET.get("wall") == "1",
        "trading": trading, "trading_chart": _trading_chart(trading), "disclosure": _disclosure(user, filters),
        "query": request.GET.urlencode(), **_choices(user),
    }  # fmt: skip
    return render(request, "oversight/dashboard.html", context)


def _trading_chart(trading: Any) -> str:
    if trading is None or not trading.rows:
        return ""
    by_kind: dict[str, float] = {}
    for row in trading.rows:
        by_kind[row.kind] = by_kind.get(row.kind, 0.0) + float(row.budget) / 10000
    return bar_chart(str(_("Budgets published by kind (10,000 yuan)")), list(by_kind.items()))


def _trading(user: Any, filters: kpis.Filters) -> Any:
    """Public resource trading's figures for the same period (by publication), for the centre's
    administrators, its trading officers and the supervisors; none when a department is chosen."""
    from yiwang.trading.figures import may_read, trading_figures

    if filters.department or not may_read(user):
        return None
    return trading_figures(user, start=filters.start, end=filters.end, region_path=filters.region_path or "")


def _disclosure(user: Any, filters: kpis.Filters) -> Any:
    """Information disclosure's figures for the same period, for the centre's administrators, the
    supervisors and the disclosure officers (their own bodies); none when a department is chosen."""
    from yiwang.disclosure.figures import disclosure_figures, may_read

    if filters.department or not may_read(user):
        return None
    return disclosure_figures(user, start=filters.start, end=filters.end, region_path=filters.region_path or "")


def _hotline(user: Any, filters: kpis.Filters) -> Any:
    """The hotline's figures for the same period, for those who may read them."""
    from yiwang.hotline.aggregates import kpis_summed
    from yiwang.hotline.selectors import CENTRE_ROLES

    if filters.department or not user_has_role(user=user, roles=CENTRE_ROLES):
        return None
    return next(iter(kpis_summed(user, start=filters.start, end=filters.end)), None)


@require_GET
@staff_required
def cards(request: HttpRequest) -> HttpResponse:
    """Cards per department and per window, and the cards (with their cases) behind a count."""
    user = _reader(request)
    filters, problems = _filters(request)
    colour = request.GET.get("colour", "")
    context = {
        "filters": filters, "problems": problems, "colour": colour,
        "by_department": selectors.cards_by_department(user, filters),
        "by_window": selectors.cards_by_window(user, filters),
        "cards": selectors.cards_list(
            user, filters, department=filters.department, window=filters.window, colour=colour
        ),
        "query": request.GET.urlencode(),
    }  # fmt: skip
    return render(request, "oversight/cards.html", context)


@require_GET
@staff_required
def exceptions(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    filters, problems = _filters(request)
    return render(
        request,
        "oversight/exceptions.html",
        {"filters": filters, "problems": problems, "found": selectors.exceptions(user, filters), "rules": _rules()},
    )


def _rules() -> dict[str, Any]:
    from yiwang.oversight import rules

    return {
        "corrections": rules.REPEATED_CORRECTIONS, "refusals": rules.MANY_REFUSALS_COUNT,
        "share": rules.MANY_REFUSALS_SHARE, "early": rules.EARLY_MIN_LIMIT_DAYS,
    }  # fmt: skip


@require_GET
@staff_required
def windows(request: HttpRequest) -> HttpResponse:
    """窗口绩效考核: the month's scores and ranking; the first is the 流动红旗窗口."""
    user = _reader(request)
    today = timezone.localdate()
    try:
        month = date.fromisoformat((request.GET.get("month") or f"{today:%Y-%m}") + "-01")
        problem = ""
    except ValueError:
        month, problem = today.replace(day=1), _("The month is not a month (write YYYY-MM).")
    scores = assessment.month_scores(month, user)
    return render(
        request,
        "oversight/windows.html",
        {
            "month": month, "problem": problem, "scores": scores, "flag": assessment.red_flag(scores),
            "weights": assessment.weights(),
            "chart": bar_chart(str(_("Window scores")), [(s.window, s.score) for s in scores[:15]], maximum=100),
        },
    )  # fmt: skip
