"""The hotline's KPIs, each formula stated once (hotline.md gives the usual definitions; there is no
national formula). Over the tickets received in a period, optionally per handling unit, top-level
category, area or month:

- 受理量 accepted: tickets received, merged duplicates not counted;
- 直办率 direct rate: resolved at first contact / accepted;
- 办结率 conclusion rate: concluded (resolved at first contact, replied or closed) / accepted;
- 按时办结率 on-time rate: dispatched tickets replied by their due time / dispatched tickets that are
  replied or already past due;
- 回访率 follow-up rate: replied-or-closed tickets with a follow-up / replied-or-closed tickets;
- 满意率 satisfaction: (satisfied + basically satisfied) / follow-ups that reached the caller;
- average handling time: hours from dispatch to reply, over replied tickets;
- extensions requested, approved, refused; returns requested.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Avg, CharField, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from yiwang.hotline.models import ExtensionRequest, FollowUp, Ticket, TicketEvent, TicketStatus

GROUPS = {"unit": "unit__name", "category": "category__parent__parent__name", "area": "region__name", "month": "month"}
CONCLUDED = (TicketStatus.RESOLVED, TicketStatus.REPLIED, TicketStatus.CLOSED)


@dataclass
class KpiRow:
    group: str
    accepted: int
    direct: int
    concluded: int
    on_time: int
    on_time_base: int
    followed_up: int
    to_follow_up: int
    satisfied: int
    ratings: int
    average_hours: float | None
    extensions_requested: int
    extensions_approved: int
    extensions_refused: int
    returns: int

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 2) if whole else None

    @property
    def direct_rate(self) -> float | None:
        return self._rate(self.direct, self.accepted)

    @property
    def conclusion_rate(self) -> float | None:
        return self._rate(self.concluded, self.accepted)

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.on_time, self.on_time_base)

    @property
    def follow_up_rate(self) -> float | None:
        return self._rate(self.followed_up, self.to_follow_up)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.ratings)

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "direct_rate": self.direct_rate,
            "conclusion_rate": self.conclusion_rate,
            "on_time_rate": self.on_time_rate,
            "follow_up_rate": self.follow_up_rate,
            "satisfaction_rate": self.satisfaction_rate,
        }


def _period(tickets: QuerySet[Ticket], start: date, end: date) -> QuerySet[Ticket]:
    tz = timezone.get_current_timezone()
    # The tickets a person may see (an OR of scopes, made distinct) as a plain subquery, so that
    # grouping is by the group column alone.
    tickets = Ticket.objects.filter(pk__in=tickets.order_by().values("pk"))
    return tickets.filter(
        created_at__gte=datetime.combine(start, time.min, tz), created_at__lte=datetime.combine(end, time.max, tz)
    ).exclude(status=TicketStatus.MERGED)


ALL = "全部"


def _grouped(queryset: Any, key: str, created: str) -> tuple[Any, str]:
    """The queryset with the group column: a field path, the month of receipt, or one group for all."""
    if key == "month":
        return queryset.annotate(month=TruncMonth(created)), "month"
    if not key:
        return queryset.annotate(everything=Value(ALL, output_field=CharField())), "everything"
    return queryset, key


def kpis(tickets: QuerySet[Ticket], *, start: date, end: date, group: str = "") -> list[KpiRow]:
    """One row per group (or one row, 全部): the tickets' figures in one aggregate query, follow-ups,
    extensions and returns in one each."""
    now = timezone.now()
    base = _period(tickets, start, end)
    grouped, column = _grouped(base, GROUPS.get(group, ""), "created_at")
    handling = ExpressionWrapper(F("replied_at") - F("dispatched_at"), output_field=DurationField())
    rows: list[dict[str, Any]] = list(
        grouped.order_by()
        .values(column)
        .annotate(
            accepted=Count("pk", distinct=True),
            direct=Count("pk", filter=Q(status=TicketStatus.RESOLVED), distinct=True),
            concluded=Count("pk", filter=Q(status__in=CONCLUDED), distinct=True),
            on_time=Count("pk", filter=Q(dispatched_at__isnull=False, replied_at__lte=F("due_at")), distinct=True),
            on_time_base=Count(
                "pk",
                filter=Q(dispatched_at__isnull=False) & (Q(replied_at__isnull=False) | Q(due_at__lt=now)),
                distinct=True,
            ),
            to_follow_up=Count("pk", filter=Q(status__in=(TicketStatus.REPLIED, TicketStatus.CLOSED)), distinct=True),
            average=Avg(handling, filter=Q(replied_at__isnull=False, dispatched_at__isnull=False)),
        )
    )
    extra = _related_counts(base, GROUPS.get(group, ""))
    result = []
    for row in rows:
        name = row[column]
        more = extra.get(name, {})
        average = row.get("average")
        result.append(
            KpiRow(
                group=name.strftime("%Y-%m") if isinstance(name, datetime | date) else str(name or "—"),
                accepted=row["accepted"],
                direct=row["direct"],
                concluded=row["concluded"],
                on_time=row["on_time"],
                on_time_base=row["on_time_base"],
                followed_up=more.get("followed_up", 0),
                to_follow_up=row["to_follow_up"],
                satisfied=more.get("satisfied", 0),
                ratings=more.get("ratings", 0),
                average_hours=round(average.total_seconds() / 3600, 1) if average is not None else None,
                extensions_requested=more.get("extensions_requested", 0),
                extensions_approved=more.get("extensions_approved", 0),
                extensions_refused=more.get("extensions_refused", 0),
                returns=more.get("returns", 0),
            )
        )
    return sorted(result, key=lambda r: (-r.accepted, r.group))


def related_sources(ids: QuerySet[Any]) -> list[tuple[QuerySet[Any], dict[str, Any]]]:
    """The follow-ups, extension requests and returns of the tickets ``ids``, with the counts each
    KPI takes of them (the satisfied are 满意 and 基本满意 among callers reached)."""
    return [
        (
            FollowUp.objects.filter(ticket__in=ids),
            {
                "followed_up": Count("ticket", distinct=True),
                "satisfied": Count("pk", filter=Q(reached=True, satisfaction__in=("satisfied", "basically"))),
                "ratings": Count("pk", filter=Q(reached=True) & ~Q(satisfaction="")),
            },
        ),
        (
            ExtensionRequest.objects.filter(ticket__in=ids),
            {
                "extensions_requested": Count("pk"),
                "extensions_approved": Count("pk", filter=Q(approved=True)),
                "extensions_refused": Count("pk", filter=Q(approved=False)),
            },
        ),
        (TicketEvent.objects.filter(ticket__in=ids, action="return_request"), {"returns": Count("pk")}),
    ]


def _related_counts(base: QuerySet[Ticket], key: str) -> dict[Any, dict[str, int]]:
    """Follow-ups, extensions and returns of the period's tickets, by the same group."""
    ids = base.values("pk")
    related_key = f"ticket__{key}" if key and key != "month" else key
    out: dict[Any, dict[str, int]] = {}
    sources = related_sources(ids)
    for queryset, aggregates in sources:
        grouped, column = _grouped(queryset, related_key, "ticket__created_at")
        for row in grouped.order_by().values(column).annotate(**aggregates):
            figures = out.setdefault(row[column], {})
            for name in aggregates:
                figures[name] = figures.get(name, 0) + row[name]
    return out
