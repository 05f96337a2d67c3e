"""The hotline's KPIs kept as daily aggregates, so the dashboard stays fast with a city's millions of
tickets (docs/hotline.md).

``TicketDaily`` holds, per day of receipt, handling unit, top-level category and area, the counts the
formulas of ``hotline.kpis`` need. A day is never updated by deltas: it is **recounted** from its
tickets — so an aggregate always equals a recount of that day. Whenever a ticket, a follow-up, an
extension request or a return of a day is saved, the day is marked (``TicketDayDirty``, a mark of the
writer's transaction) and recounted within seconds after the commit by the protocol of
``core.dirty_days`` (kind ``hotline``): a change committed during a recount keeps its mark and is
recounted by the next pass, never lost, and never later than ``core.dirty_days.BOUND_SECONDS``. Bulk
writes that bypass the models (generators, imports) call ``days_recount`` or ``manage.py hotline_kpis
rebuild``.

The one figure that depends on the clock — dispatched tickets past due and not yet replied, part of
按时办结率's denominator — is counted live from the open tickets through the (status, due) index.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from yiwang.accounts.authz import scope_filter
from yiwang.core import dirty_days
from yiwang.core.aggregates import duration_seconds
from yiwang.hotline.kpis import ALL, CONCLUDED, KpiRow, related_sources
from yiwang.hotline.models import (
    Ticket,
    TicketDaily,
    TicketDayDirty,
    TicketStatus,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User

KEY = {"unit_id": "unit_id", "category_id": "category__parent__parent_id", "region_id": "region_id"}
OPEN_DISPATCHED = (TicketStatus.DISPATCHED, TicketStatus.SIGNED, TicketStatus.RETURN_REQUESTED)
COUNTERS = (
    "accepted", "direct", "concluded", "on_time", "replied_dispatched", "to_follow_up", "handled", "handling_seconds",
    "followed_up", "satisfied", "ratings", "extensions_requested", "extensions_approved", "extensions_refused",
    "returns",
)  # fmt: skip


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(first, time.min, tz), datetime.combine(last + timedelta(days=1), time.min, tz)


def _keyed(queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    keyed: QuerySet[Any] = queryset.annotate(**{f"k_{name}": F(prefix + path) for name, path in KEY.items()})
    return keyed


def day_rows(day: date) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The day's aggregate rows counted from its tickets, keyed by (unit, category, region)."""
    low, high = _bounds(day, day)
    tickets = Ticket.objects.filter(created_at__gte=low, created_at__lt=high).exclude(status=TicketStatus.MERGED)
    handling = ExpressionWrapper(F("replied_at") - F("dispatched_at"), output_field=DurationField())
    replied_dispatched = Q(dispatched_at__isnull=False, replied_at__isnull=False)
    names = [f"k_{n}" for n in KEY]
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in (
        _keyed(tickets)
        .order_by()
        .values(*names)
        .annotate(
            accepted=Count("pk"),
            direct=Count("pk", filter=Q(status=TicketStatus.RESOLVED)),
            concluded=Count("pk", filter=Q(status__in=CONCLUDED)),
            on_time=Count("pk", filter=Q(dispatched_at__isnull=False, replied_at__lte=F("due_at"))),
            replied_dispatched=Count("pk", filter=replied_dispatched),
            to_follow_up=Count("pk", filter=Q(status__in=(TicketStatus.REPLIED, TicketStatus.CLOSED))),
            handling=Sum(handling, filter=replied_dispatched),
        )
    ):
        seconds = row.pop("handling")
        key = tuple(row.pop(n) for n in names)
        rows[key] = {**row, "handled": row["replied_dispatched"], "handling_seconds": duration_seconds(seconds)}
    ids = tickets.values("pk")
    related = related_sources(ids)
    for queryset, aggregates in related:
        for row in _keyed(queryset, "ticket__").order_by().values(*names).annotate(**aggregates):
            key = tuple(row.pop(n) for n in names)
            rows.setdefault(key, {}).update(row)
    return rows


def day_store(day: date, rows: dict[tuple[Any, ...], dict[str, Any]]) -> int:
    """Replaces the day's aggregate rows by counted ones; returns how many."""
    with transaction.atomic():
        TicketDaily.objects.filter(day=day).delete()
        TicketDaily.objects.bulk_create(
            TicketDaily(day=day, unit_id=k[0], category_id=k[1], region_id=k[2], **figures)
            for k, figures in rows.items()
        )
    return len(rows)


FIGURES = dirty_days.register(dirty_days.Figures("hotline", TicketDayDirty, day_rows, day_store))


def day_recount(day: date) -> int:
    """Replaces the day's aggregate rows by a recount of its tickets (fenced, ``core.dirty_days``)."""
    return dirty_days.day_recount(FIGURES, day)


def days_recount(first: date, last: date) -> int:
    """Recounts every day from ``first`` to ``last`` (a rebuild after a bulk write)."""
    rows, day = 0, first
    while day <= last:
        rows += day_recount(day)
        day += timedelta(days=1)
    return rows


def day_mark_dirty(day: date) -> None:
    """In the writer's transaction: the day must be recounted (``core.dirty_days``)."""
    dirty_days.day_mark(FIGURES, day)


def dirty_days_refresh() -> int:
    """One pass over the marked days (what the task does after commits); returns the recounts made."""
    return dirty_days.refresh(FIGURES)


def _visible(queryset: QuerySet[Any], user: User | None, region_field: str) -> QuerySet[Any]:
    """The rows of the areas the centre's staff cover, and those without an area (as tickets_visible);
    every row for the centre's own reports (no user)."""
    from yiwang.hotline.selectors import CENTRE_ROLES

    if user is None:
        return queryset
    scoped = scope_filter(queryset, user, CENTRE_ROLES, department_field=None, region_field=region_field)
    unplaced = scope_filter(
        queryset.filter(**{f"{region_field}__isnull": True}), user, CENTRE_ROLES, department_field=None,
        region_field=None,
    )  # fmt: skip
    return scoped | unplaced


GROUPS = {"unit": "unit__name", "category": "category__name", "area": "region__name", "month": "month"}
TICKET_GROUPS = {
    "unit": "unit__name",
    "category": "category__parent__parent__name",
    "area": "region__name",
    "month": "month",
}


def kpis_summed(user: User | None, *, start: date, end: date, group: str = "") -> list[KpiRow]:
    """The same rows as ``hotline.kpis.kpis`` over the tickets the user may see, from the daily
    aggregates (and the live count of open tickets past due)."""
    from django.db.models import CharField, Value

    daily = _visible(TicketDaily.objects.filter(day__gte=start, day__lte=end), user, "region")
    column = GROUPS.get(group, "")
    if group == "month":
        daily = daily.annotate(month=TruncMonth("day"))
    elif not column:
        daily, column = daily.annotate(everything=Value(ALL, output_field=CharField())), "everything"
    sums = list(daily.order_by().values(column).annotate(**{c: Sum(c) for c in COUNTERS}))
    low, high = _bounds(start, end)
    overdue = Ticket.objects.filter(
        status__in=OPEN_DISPATCHED, due_at__lt=timezone.now(), dispatched_at__isnull=False, replied_at__isnull=True,
        created_at__gte=low, created_at__lt=high,
    )  # fmt: skip
    late_tickets = Ticket.objects.filter(pk__in=_visible(overdue, user, "region").values("pk"))
    ticket_column = TICKET_GROUPS.get(group, "")
    if group == "month":
        late_tickets = late_tickets.annotate(month=TruncMonth("created_at"))
    elif not ticket_column:
        late_tickets, ticket_column = (
            late_tickets.annotate(everything=Value(ALL, output_field=CharField())),
            "everything",
        )
    late = {
        _label(r[ticket_column]): r["n"] for r in late_tickets.order_by().values(ticket_column).annotate(n=Count("pk"))
    }
    result = []
    for row in sums:
        label = _label(row[column])
        if not row["accepted"]:
            continue
        handled = row["handled"] or 0
        result.append(
            KpiRow(
                group=label,
                accepted=row["accepted"],
                direct=row["direct"],
                concluded=row["concluded"],
                on_time=row["on_time"],
                on_time_base=row["replied_dispatched"] + late.get(label, 0),
                followed_up=row["followed_up"],
                to_follow_up=row["to_follow_up"],
                satisfied=row["satisfied"],
                ratings=row["ratings"],
                average_hours=round(row["handling_seconds"] / handled / 3600, 1) if handled else None,
                extensions_requested=row["extensions_requested"],
                extensions_approved=row["extensions_approved"],
                extensions_refused=row["extensions_refused"],
                returns=row["returns"],
            )
        )
    return sorted(result, key=lambda r: (-r.accepted, r.group))


def _label(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m")
    return str(value or "—")


def aggregates_check(first: date, last: date) -> list[str]:
    """Compares the stored aggregates with a recount of the tickets, day by day; the differences."""
    differences = []
    day = first
    while day <= last:
        stored = {
            (r.unit_id, r.category_id, r.region_id): tuple(getattr(r, c) for c in COUNTERS)
            for r in TicketDaily.objects.filter(day=day)
        }
        with transaction.atomic():
            day_store(day, day_rows(day))
            counted = {
                (r.unit_id, r.category_id, r.region_id): tuple(getattr(r, c) for c in COUNTERS)
                for r in TicketDaily.objects.filter(day=day)
            }
            transaction.set_rollback(True)
        for key in sorted(set(stored) | set(counted), key=str):
            if stored.get(key) != counted.get(key):
                differences.append(f"{day} {key}: stored {stored.get(key)} ≠ recounted {counted.get(key)}")
        day += timedelta(days=1)
    return differences
