"""Reads of 电子监察: cards per department and per window (cases' cards here, the hotline's through its
own selector) with the records behind them, and the exceptions list — overdue cases, repeated 补正,
items refused unusually often, conclusions unusually early (docs/hall.md §4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from yiwang.accounts.authz import scope_filter
from yiwang.oversight import rules
from yiwang.oversight.aggregates import bounds
from yiwang.oversight.kpis import READER_ROLES, Filters, _filtered, _scoped
from yiwang.oversight.models import Card, CardColour, CaseDaily

if TYPE_CHECKING:
    from yiwang.accounts.models import User

LIST_LIMIT = 100


def cards_visible(user: User | None) -> QuerySet[Card]:
    queryset = Card.objects.all()
    return queryset if user is None else scope_filter(queryset, user, READER_ROLES)


def _card_counts(queryset: QuerySet[Card], key: str, label: str) -> list[dict[str, Any]]:
    rows = (
        queryset.order_by()
        .values(key, label)
        .annotate(
            yellow=Count("pk", filter=Q(colour=CardColour.YELLOW)), red=Count("pk", filter=Q(colour=CardColour.RED))
        )
    )
    return sorted(
        ({"id": r[key], "name": r[label] or "—", "yellow": r["yellow"], "red": r["red"]} for r in rows),
        key=lambda r: (-r["red"], -r["yellow"], str(r["name"])),
    )


def cards_by_department(user: User | None, filters: Filters) -> list[dict[str, Any]]:
    """Case cards (电子监察) and hotline cards (12345) per department in the period, most red first."""
    low, high = bounds(filters.start, filters.end)
    cases = _filtered(cards_visible(user).filter(issued_at__gte=low, issued_at__lt=high), filters, item=False)
    rows = {
        r["id"]: {**r, "hotline_yellow": 0, "hotline_red": 0}
        for r in _card_counts(cases, "department", "department__name")
    }
    if not filters.window:
        from yiwang.hotline.supervision import cards_by_unit

        for unit in cards_by_unit(start=low, end=high):
            row = next((r for r in rows.values() if r["name"] == unit["unit"]), None)
            if row is None:
                row = rows.setdefault(f"hotline:{unit['unit']}", {
                    "id": None, "name": unit["unit"], "yellow": 0, "red": 0, "hotline_yellow": 0, "hotline_red": 0,
                })  # fmt: skip
            row["hotline_yellow"], row["hotline_red"] = unit["yellow"], unit["red"]
    return sorted(
        rows.values(),
        key=lambda r: (-(r["red"] + r["hotline_red"]), -(r["yellow"] + r["hotline_yellow"]), str(r["name"])),
    )


def cards_by_window(user: User | None, filters: Filters) -> list[dict[str, Any]]:
    low, high = bounds(filters.start, filters.end)
    cards = _filtered(cards_visible(user).filter(issued_at__gte=low, issued_at__lt=high), filters, item=False)
    return _card_counts(cards.filter(window__isnull=False), "window", "window__number")


def cards_list(user: User | None, filters: Filters, *, department: int | None = None, window: int | None = None,
               colour: str = "") -> list[Card]:  # fmt: skip
    """The drill-down: the cards (and their cases) behind a department's or a window's count."""
    low, high = bounds(filters.start, filters.end)
    cards = _filtered(cards_visible(user).filter(issued_at__gte=low, issued_at__lt=high), filters, item=False)
    if department:
        cards = cards.filter(department_id=department)
    if window:
        cards = cards.filter(window_id=window)
    if colour in CardColour.values:
        cards = cards.filter(colour=colour)
    return list(cards.select_related("case", "department", "window").order_by("-issued_at")[:LIST_LIMIT])


# --- the exceptions list ---------------------------------------------------------------------------------


@dataclass
class Exceptions:
    overdue: list[Any]
    overdue_count: int
    repeated_corrections: list[Any]
    many_refusals: list[dict[str, Any]]
    early: list[Any]


def _cases_visible(user: User | None) -> QuerySet[Any]:
    from yiwang.cases.models import Case

    queryset = Case.objects.all()
    return queryset if user is None else scope_filter(queryset, user, READER_ROLES)


def exceptions(user: User | None, filters: Filters, today: date | None = None) -> Exceptions:
    """What is unusual in the period (and overdue now), each list at most ``LIST_LIMIT`` long."""
    from yiwang.cases.models import OPEN_STATUSES, CasePause, PauseKind

    today = today or timezone.localdate()
    cases = _filtered(_cases_visible(user), filters)
    overdue = cases.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    low, high = bounds(filters.start, filters.end)
    in_period = cases.filter(submitted_at__gte=low, submitted_at__lt=high)
    repeated = (
        CasePause.objects.filter(kind=PauseKind.CORRECTION, case__in=in_period.values("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .filter(n__gte=rules.REPEATED_CORRECTIONS)
        .values_list("case", "n")[:LIST_LIMIT]
    )
    corrections = dict(repeated)
    repeated_cases = list(
        in_period.filter(pk__in=list(corrections)).select_related("department", "version").order_by("-submitted_at")
    )
    for case in repeated_cases:
        case.corrections = corrections[case.pk]
    refusals = (
        _filtered(_scoped(CaseDaily.objects.filter(day__gte=filters.start, day__lte=filters.end), user), filters)
        .order_by()
        .values("implementation_id", "implementation__current__name", "department__name")
        .annotate(refused=Sum("refused"), received=Sum("received"))
        .filter(refused__gte=rules.MANY_REFUSALS_COUNT)
    )
    many = [
        {
            "item": r["implementation__current__name"], "department": r["department__name"],
            "refused": r["refused"], "received": r["received"], "share": round(100 * r["refused"] / r["received"], 1),
        }
        for r in refusals
        if r["received"] and 100 * r["refused"] >= rules.MANY_REFUSALS_SHARE * r["received"]
    ]  # fmt: skip
    early = list(
        in_period.filter(concluded_at__isnull=False, version__case_kind="promised")
        .annotate(c_day=TruncDate("concluded_at"), a_day=TruncDate("accepted_at"))
        .filter(c_day=F("a_day"), due_on__isnull=False)
        .select_related("department", "version")
        .order_by("-concluded_at")[: LIST_LIMIT * 2]
    )
    early = [c for c in early if (c.due_on - c.accepted_on).days >= _calendar_span(rules.EARLY_MIN_LIMIT_DAYS)]
    return Exceptions(
        overdue=list(overdue.select_related("department", "version").order_by("due_on")[:LIST_LIMIT]),
        overdue_count=overdue.count(),
        repeated_corrections=repeated_cases,
        many_refusals=sorted(many, key=lambda r: -r["share"]),
        early=early[:LIST_LIMIT],
    )


def _calendar_span(workdays: int) -> int:
    """The fewest calendar days that can hold this many working days (five a week)."""
    return workdays + 2 * ((workdays - 1) // 5)
