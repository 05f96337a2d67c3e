"""Every KPI the centre's reports track (hall.md), stated once with its formula, computed from the
aggregates (oversight.aggregates) over a period and a scope, by department, region, window, item,
channel or month. The hotline's KPIs come from its own aggregates (hotline.kpis).

| KPI | formula |
| --- | --- |
| 办件量 | cases submitted in the period |
| 即办率 | cases concluded on the day they were accepted ÷ cases accepted |
| 按期办结率 | cases concluded by their due date ÷ cases concluded |
| 提前办结率 | cases concluded before their due date ÷ cases concluded |
| 网上申报率 | cases submitted online or on the mobile app ÷ cases submitted |
| 最多跑一次率 | concluded cases with at most one recorded visit to the hall ÷ cases concluded |
| 零跑动率 | concluded cases with no visit ÷ cases concluded |
| 不予受理率 | cases refused acceptance ÷ cases submitted |
| 满意率 | valid ratings 非常满意, 满意 or 基本满意 ÷ valid ratings (removed ratings count nowhere) |
| 实名差评整改率 | real-name 差评 whose remediation is closed ÷ real-name 差评 |
| 平均等候 | Σ (called − taken) ÷ numbers called, in minutes |
| 平均办理 | Σ (finished − started) ÷ numbers served, in minutes |
| 过号率 | numbers not answered when called ÷ numbers taken |

Cases count as a cohort of their day of submission: a case concluded in March that was submitted in
February counts in February's 按期办结率. Ratings count on the day they were given, queue numbers on
the day they were taken."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.accounts.authz import scope_filter
from yiwang.accounts.roles import Role
from yiwang.oversight.models import CASE_COUNTERS, CaseDaily, CaseMonthly, QueueDaily, RatingDaily

if TYPE_CHECKING:
    from yiwang.accounts.models import User

READER_ROLES = {Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.DEPT_HEAD, Role.DEPT_ADMIN}
ALL = "__all__"


@dataclass(frozen=True)
class Kpi:
    code: str
    label: Any
    numerator: str
    denominator: str = ""  # a rate when set (percent), else a count
    scale: float = 100.0

    def value(self, sums: dict[str, float]) -> float | None:
        top = float(sums.get(self.numerator, 0) or 0)
        if not self.denominator:
            return top
        bottom = float(sums.get(self.denominator, 0) or 0)
        return round(self.scale * top / bottom, 2) if bottom else None


KPIS = [
    Kpi("received", _("Cases received"), "received"),
    Kpi("same_day_rate", _("Same-day rate"), "same_day", "accepted"),
    Kpi("on_time_rate", pgettext_lazy("cases", "On-time rate"), "on_time", "concluded"),
    Kpi("early_rate", _("Early conclusion rate"), "early", "concluded"),
    Kpi("online_rate", _("Online application rate"), "online", "received"),
    Kpi("one_visit_rate", _("At-most-one-visit rate"), "one_visit", "concluded"),
    Kpi("zero_visit_rate", _("Zero-visit rate"), "zero_visit", "concluded"),
    Kpi("refusal_rate", _("Refusal rate"), "refused", "received"),
    Kpi("ratings", _("Ratings"), "ratings"),
    Kpi("satisfaction_rate", _("Satisfaction rate"), "satisfied", "ratings"),
    Kpi("bad_ratings", _("Bad ratings"), "bad"),
    Kpi("closure_rate", _("Real-name bad ratings remedied"), "real_name_bad_closed", "real_name_bad"),
    Kpi("queue_taken", _("Queue numbers taken"), "taken"),
    Kpi("average_wait", _("Average wait (minutes)"), "wait_seconds", "called", 1 / 60),
    Kpi("average_service", _("Average service (minutes)"), "service_seconds", "served", 1 / 60),
    Kpi("no_show_rate", _("No-show rate"), "no_show", "taken"),
]
BY_CODE = {kpi.code: kpi for kpi in KPIS}


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    department: int | None = None
    region_path: str | None = None
    window: int | None = None
    implementation: int | None = None


GROUPS: dict[str, tuple[str, str]] = {
    "department": ("department_id", "department__name"),
    "region": ("region_id", "region__name"),
    "window": ("window_id", "window__number"),
    "item": ("implementation_id", "implementation__current__name"),
    "channel": ("channel", "channel"),
    "month": ("month", "month"),
}


@dataclass
class KpiTable:
    """Per group (or one row for everything): the summed counts, and every KPI computed from them."""

    rows: dict[Any, dict[str, float]] = field(default_factory=dict)
    labels: dict[Any, str] = field(default_factory=dict)

    def add(self, key: Any, label: Any, values: dict[str, Any]) -> None:
        row = self.rows.setdefault(key, defaultdict(float))
        for name, value in values.items():
            row[name] += float(value or 0)
        self.labels.setdefault(key, str(label) if label is not None else "—")

    def values(self, key: Any = ALL) -> dict[str, float | None]:
        sums = self.rows.get(key, {})
        return {kpi.code: kpi.value(sums) for kpi in KPIS}

    def ordered(self) -> list[tuple[str, dict[str, float | None], dict[str, float]]]:
        keys = sorted(self.rows, key=lambda k: str(k) if k is not None else "")
        return [(self.labels[k], self.values(k), dict(self.rows[k])) for k in keys]


def _add_rows(table: KpiTable, queryset: QuerySet[Any], group: str, aggregates: dict[str, Any]) -> None:
    """Sums ``aggregates`` over the queryset by the group's key (one row ``ALL`` without a group)."""
    key_field, label_field = GROUPS.get(group, ("", ""))
    columns = list(dict.fromkeys(c for c in (key_field, label_field) if c))
    if not columns:
        table.add(ALL, ALL, queryset.order_by().aggregate(**aggregates))
        return
    for row in queryset.order_by().values(*columns).annotate(**aggregates):
        key = row.pop(key_field) if key_field else ALL
        label = row.pop(label_field, key) if label_field and label_field != key_field else key
        table.add(key, label, row)


def _scoped(queryset: QuerySet[Any], user: User | None) -> QuerySet[Any]:
    if user is None:
        return queryset
    return scope_filter(queryset, user, READER_ROLES)


def _filtered(queryset: QuerySet[Any], filters: Filters, *, item: bool = True) -> QuerySet[Any]:
    if filters.department:
        queryset = queryset.filter(department_id=filters.department)
    if filters.region_path:
        queryset = queryset.filter(region__path__startswith=filters.region_path)
    if filters.window:
        queryset = queryset.filter(window_id=filters.window)
    if item and filters.implementation:
        queryset = queryset.filter(implementation_id=filters.implementation)
    return queryset


def _month_spans(start: date, end: date) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """Splits the period into daily edges and the whole months between them."""
    first_full = start if start.day == 1 else (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    after_end = end + timedelta(days=1)
    last_full_end = after_end.replace(day=1)  # months [first_full, last_full_end) are whole
    if first_full >= last_full_end:
        return [(start, end)], None
    edges = []
    if start < first_full:
        edges.append((start, first_full - timedelta(days=1)))
    if last_full_end <= end:
        edges.append((last_full_end, end))
    return edges, (first_full, last_full_end)


def case_sums(user: User | None, filters: Filters, group: str = "", table: KpiTable | None = None) -> KpiTable:
    """The case counts of the period: whole months from the monthly roll-ups, the edges from daily rows."""
    table = table or KpiTable()
    edges, months = _month_spans(filters.start, filters.end)
    sources: list[QuerySet[Any]] = []
    for low, high in edges:
        daily = CaseDaily.objects.filter(day__gte=low, day__lte=high)
        sources.append(daily.annotate(month=TruncMonth("day")) if group == "month" else daily)
    if months is not None:
        sources.append(CaseMonthly.objects.filter(month__gte=months[0], month__lt=months[1]))
    for source in sources:
        _add_rows(table, _filtered(_scoped(source, user), filters), group, {c: Sum(c) for c in CASE_COUNTERS})
    return table


def rating_sums(user: User | None, filters: Filters, group: str = "", table: KpiTable | None = None) -> KpiTable:
    table = table or KpiTable()
    if group in ("item", "channel"):
        return table  # not kept by item; a rating's channel is not a case's
    queryset = RatingDaily.objects.filter(day__gte=filters.start, day__lte=filters.end)
    if group == "month":
        queryset = queryset.annotate(month=TruncMonth("day"))
    aggregates = {  # the filtered sums first: once "ratings" names the total, it no longer means the column
        "satisfied": Sum("ratings", filter=Q(level__gte=3)), "bad": Sum("ratings", filter=Q(level__lte=2)),
        "ratings": Sum("ratings"), "defaulted": Sum("defaulted"),
        "real_name_bad": Sum("real_name_bad"), "real_name_bad_closed": Sum("real_name_bad_closed"),
    }  # fmt: skip
    _add_rows(table, _filtered(_scoped(queryset, user), filters, item=False), group, aggregates)
    return table


def queue_sums(user: User | None, filters: Filters, group: str = "", table: KpiTable | None = None) -> KpiTable:
    """Queue figures of the halls in the user's area (the hall's centre region)."""
    table = table or KpiTable()
    if group not in ("", "window", "month"):
        return table
    queryset = QueueDaily.objects.filter(day__gte=filters.start, day__lte=filters.end)
    if user is not None:
        queryset = scope_filter(
            queryset, user, READER_ROLES, department_field=None, region_field="hall__centre__region"
        )
    if filters.window:
        queryset = queryset.filter(window_id=filters.window)
    if filters.region_path:
        queryset = queryset.filter(hall__centre__region__path__startswith=filters.region_path)
    if group == "month":
        queryset = queryset.annotate(month=TruncMonth("day"))
    names = ("taken", "served", "no_show", "called", "wait_seconds", "service_seconds")
    _add_rows(table, queryset, group, {name: Sum(name) for name in names})
    return table


def kpi_table(user: User | None, filters: Filters, group: str = "") -> KpiTable:
    """Every KPI of the period and scope, by the group asked (one row ``ALL`` without a group)."""
    table = case_sums(user, filters, group)
    rating_sums(user, filters, group, table)
    if not filters.department and not filters.implementation:
        queue_sums(user, filters, group, table)
    return table
