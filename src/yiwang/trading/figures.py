"""The trading figures the oversight dashboard shows beside the hall and the hotline (docs/trading.md §11):
projects published in the period by kind and method, budgets and contract amounts, the savings rate
(1 − contract / budget, over the contracted projects, as the Shantou report computes it), failed and
terminated tenders, bids per opened tender, complaints and e-supervision cards. Counted live from the
trading tables: a centre publishes hundreds of projects a year, not millions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from yiwang.accounts.authz import grants_of, scope_filter
from yiwang.accounts.roles import Role
from yiwang.trading.models import (
    Alert,
    AlertColour,
    Complaint,
    ComplaintOutcome,
    ProjectKind,
    ProjectStatus,
    TradingMethod,
    TradingProject,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User

READERS = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.TRADING_OFFICER})


@dataclass
class FigureRow:
    kind: str
    method: str
    projects: int = 0
    budget: Decimal = Decimal(0)
    contracted: int = 0
    contracted_budget: Decimal = Decimal(0)
    contract_amount: Decimal = Decimal(0)
    failed: int = 0
    terminated: int = 0
    opened: int = 0
    bids: int = 0

    @property
    def savings_rate(self) -> float | None:
        if not self.contracted_budget:
            return None
        return round(float(1 - self.contract_amount / self.contracted_budget) * 100, 2)

    @property
    def average_bids(self) -> float | None:
        return round(self.bids / self.opened, 1) if self.opened else None

    def add(self, other: FigureRow) -> None:
        for name in ("projects", "budget", "contracted", "contracted_budget", "contract_amount", "failed",
                     "terminated", "opened", "bids"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class TradingFigures:
    start: date
    end: date
    rows: list[FigureRow] = field(default_factory=list)
    total: FigureRow = field(default_factory=lambda: FigureRow("", ""))
    complaints: int = 0
    complaints_upheld: int = 0
    yellow: int = 0
    red: int = 0


def readable_projects(user: User) -> QuerySet[TradingProject]:
    """The centre's administrators and officers read their regions' projects; a supervisor those its
    department supervises."""
    return scope_filter(TradingProject.objects.all(), user, READERS, department_field="supervising_department")


def may_read(user: User) -> bool:
    return bool(grants_of(user, READERS))


def trading_figures(user: User, *, start: date, end: date, region_path: str = "") -> TradingFigures:
    """Projects whose notice was published in [start, end] (local days), in five queries."""
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    projects = readable_projects(user).filter(published_at__gte=since, published_at__lt=until)
    if region_path:
        projects = projects.filter(region__path__startswith=region_path)
    contracted = Q(status=ProjectStatus.CONTRACTED)
    rows = (
        projects.order_by()
        .values("kind", "method")
        .annotate(
            project_count=Count("pk"),
            budget_sum=Sum("budget"),
            contracted_count=Count("pk", filter=contracted),
            contracted_budget_sum=Sum("budget", filter=contracted),
            contract_sum=Sum("contract_amount", filter=contracted),
            failed_count=Count("pk", filter=Q(status=ProjectStatus.FAILED)),
            terminated_count=Count("pk", filter=Q(status=ProjectStatus.TERMINATED)),
            opened_count=Count("closing", filter=Q(opening__isnull=False)),
            live_bids=Sum("closing__live_bids", filter=Q(opening__isnull=False)),
        )
    )
    kinds, methods = dict(ProjectKind.choices), dict(TradingMethod.choices)
    result = TradingFigures(start=start, end=end)
    for row in rows:
        figure = FigureRow(
            kind=str(kinds.get(row["kind"], row["kind"])),
            method=str(methods.get(row["method"], row["method"])),
            projects=row["project_count"],
            budget=row["budget_sum"] or Decimal(0),
            contracted=row["contracted_count"],
            contracted_budget=row["contracted_budget_sum"] or Decimal(0),
            contract_amount=row["contract_sum"] or Decimal(0),
            failed=row["failed_count"],
            terminated=row["terminated_count"],
            opened=row["opened_count"],
            bids=row["live_bids"] or 0,
        )
        result.rows.append(figure)
        result.total.add(figure)
    result.rows.sort(key=lambda r: (r.kind, r.method))
    complaints = Complaint.objects.filter(project__in=readable_projects(user), filed_at__gte=since, filed_at__lt=until)
    if region_path:
        complaints = complaints.filter(project__region__path__startswith=region_path)
    counted = complaints.aggregate(
        n=Count("pk"),
        upheld=Count("pk", filter=Q(outcome__in=[ComplaintOutcome.UPHELD, ComplaintOutcome.PARTLY_UPHELD])),
    )
    result.complaints, result.complaints_upheld = counted["n"], counted["upheld"]
    alerts = Alert.objects.filter(project__in=readable_projects(user), issued_at__gte=since, issued_at__lt=until)
    if region_path:
        alerts = alerts.filter(project__region__path__startswith=region_path)
    cards = alerts.aggregate(
        yellow=Count("pk", filter=Q(colour=AlertColour.YELLOW)), red=Count("pk", filter=Q(colour=AlertColour.RED))
    )
    result.yellow, result.red = cards["yellow"], cards["red"]
    return result
