"""The aggregates behind every KPI (docs/hall.md §6). A day is never patched: when a record of it
changes, the day is marked (``AggregateDirty``, in the writer's transaction) and recounted from its records
within seconds after the commit by the protocol of ``core.dirty_days`` (kinds ``oversight.cases``,
``…queue``, ``…ratings``); a case day's recount then rebuilds its month from its daily rows, one recount
of the month at a time. So an aggregate always equals a recount, which ``manage.py
oversight_kpis check`` verifies and ``rebuild`` restores after bulk writes that bypass the models.

- cases: per day of submission (a cohort), department, region, item, channel and window;
- queue: per day of taking, hall, category and window;
- ratings: per day of rating, department, region, window, channel and level (valid ratings only)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from yiwang.core import dirty_days
from yiwang.core.aggregates import duration_seconds
from yiwang.oversight.models import (
    CASE_COUNTERS,
    AggregateDirty,
    AggregateKind,
    CaseDaily,
    CaseMonthly,
    QueueDaily,
    RatingDaily,
)

CASE_KEYS = ("department_id", "region_id", "implementation_id", "channel", "window_id")


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(first, time.min, tz), datetime.combine(last + timedelta(days=1), time.min, tz)


# --- cases ------------------------------------------------------------------------------------------------


def case_rows(first: date, last: date) -> dict[tuple[Any, ...], dict[str, int]]:
    """The counts of the cases submitted from ``first`` to ``last``, keyed by (day, *CASE_KEYS)."""
    from yiwang.cases.models import Case, CasePause, CaseStatus, PauseKind

    low, high = bounds(first, last)
    cases = Case.objects.filter(submitted_at__gte=low, submitted_at__lt=high).annotate(
        k_day=TruncDate("submitted_at"), c_day=TruncDate("concluded_at"), a_day=TruncDate("accepted_at")
    )
    concluded = Q(concluded_at__isnull=False)
    rows: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in (
        cases.order_by()
        .values("k_day", *CASE_KEYS)
        .annotate(
            received=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            refused=Count("pk", filter=Q(status=CaseStatus.REFUSED)),
            same_day=Count("pk", filter=concluded & Q(c_day=F("a_day"))),
            concluded=Count("pk", filter=concluded),
            on_time=Count("pk", filter=concluded & (Q(due_on__isnull=True) | Q(c_day__lte=F("due_on")))),
            early=Count("pk", filter=concluded & Q(c_day__lt=F("due_on"))),
            online=Count("pk", filter=Q(channel__in=("online", "mobile"))),
            one_visit=Count("pk", filter=concluded & Q(visits__lte=1)),
            zero_visit=Count("pk", filter=concluded & Q(visits=0)),
        )
    ):
        key = (row.pop("k_day"), *(row.pop(k) for k in CASE_KEYS))
        rows[key] = {**row, "corrected": 0}
    corrected = (
        CasePause.objects.filter(kind=PauseKind.CORRECTION, case__submitted_at__gte=low, case__submitted_at__lt=high)
        .annotate(k_day=TruncDate("case__submitted_at"))
        .order_by()
        .values("k_day", *(f"case__{k}" for k in CASE_KEYS))
        .annotate(n=Count("case", distinct=True))
    )
    for row in corrected:
        key = (row["k_day"], *(row[f"case__{k}"] for k in CASE_KEYS))
        if key in rows:
            rows[key]["corrected"] = row["n"]
    return rows


def _cases_store(day: date, rows: dict[tuple[Any, ...], dict[str, int]], roll_up: bool = True) -> int:
    with transaction.atomic():
        CaseDaily.objects.filter(day=day).delete()
        CaseDaily.objects.bulk_create(
            (
                CaseDaily(day=key[0], **dict(zip(CASE_KEYS, key[1:], strict=True)), **figures)
                for key, figures in rows.items()
            ),
            batch_size=2000,
        )
        if roll_up:
            case_month_rebuild(day.replace(day=1))
    return len(rows)


def _cases_count(day: date) -> dict[tuple[Any, ...], dict[str, int]]:
    return case_rows(day, day)


CASES = dirty_days.register(
    dirty_days.Figures("oversight.cases", AggregateDirty, _cases_count, _cases_store, {"kind": AggregateKind.CASES})
)
MONTH_LOCK = "oversight.cases.month"


def cases_day_recount(day: date, roll_up: bool = True) -> int:
    """Replaces the day's rows by a recount of its cases, then rebuilds its month; returns the rows."""
    if roll_up:
        return dirty_days.day_recount(CASES, day)
    return dirty_days.day_recount(CASES, day, lambda d, rows: _cases_store(d, rows, roll_up=False))


def case_month_rebuild(month: date) -> int:
    """The month's roll-up as the sum of its daily rows (at most a month of rows, not its cases)."""
    following = (month + timedelta(days=32)).replace(day=1)
    # Recounts of two days of the month at once: the second sums after the first has committed.
    dirty_days.day_lock(MONTH_LOCK, month)
    sums = (
        CaseDaily.objects.filter(day__gte=month, day__lt=following)
        .order_by()
        .values(*CASE_KEYS)
        .annotate(**{c: Sum(c) for c in CASE_COUNTERS})
    )
    rolled = [CaseMonthly(month=month, **row) for row in sums]
    CaseMonthly.objects.filter(month=month).delete()
    CaseMonthly.objects.bulk_create(rolled)
    return len(rolled)


# --- queue ------------------------------------------------------------------------------------------------


def queue_rows(day: date) -> list[QueueDaily]:
    from yiwang.hall.models import QueueStatus, QueueTicket

    waited = ExpressionWrapper(F("called_at") - F("taken_at"), output_field=DurationField())
    served = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    done = Q(status=QueueStatus.DONE, started_at__isnull=False)
    rows = []
    for row in (
        QueueTicket.objects.filter(day=day)
        .order_by()
        .values("hall_id", "category_id", "window_id")
        .annotate(
            taken=Count("pk"),
            served=Count("pk", filter=done),
            no_show=Count("pk", filter=Q(status=QueueStatus.NO_SHOW)),
            called=Count("pk", filter=Q(called_at__isnull=False)),
            wait=Sum(waited, filter=Q(called_at__isnull=False)),
            service=Sum(served, filter=done),
        )
    ):
        values: dict[str, Any] = dict(row)
        wait, service = values.pop("wait"), values.pop("service")
        rows.append(
            QueueDaily(
                day=day, wait_seconds=duration_seconds(wait), service_seconds=duration_seconds(service), **values
            )
        )
    return rows


def _queue_store(day: date, rows: list[QueueDaily]) -> int:
    with transaction.atomic():
        QueueDaily.objects.filter(day=day).delete()
        QueueDaily.objects.bulk_create(rows)
    return len(rows)


QUEUE = dirty_days.register(
    dirty_days.Figures("oversight.queue", AggregateDirty, queue_rows, _queue_store, {"kind": AggregateKind.QUEUE})
)


def queue_day_recount(day: date) -> int:
    return dirty_days.day_recount(QUEUE, day)


# --- ratings ----------------------------------------------------------------------------------------------


def rating_rows(day: date) -> list[RatingDaily]:
    from yiwang.evaluation.models import BAD_LEVELS, Rating, RatingStatus, RemediationStatus

    low, high = bounds(day, day)
    bad = Q(real_name=True, level__in=BAD_LEVELS)
    return [
        RatingDaily(day=day, **row)
        for row in Rating.objects.filter(created_at__gte=low, created_at__lt=high, status=RatingStatus.VALID)
        .order_by()
        .values("department_id", "region_id", "window_id", "channel", "level")
        .annotate(
            ratings=Count("pk"),
            defaulted=Count("pk", filter=Q(defaulted=True)),
            real_name_bad=Count("pk", filter=bad),
            real_name_bad_closed=Count("pk", filter=bad & Q(remediation__status=RemediationStatus.CLOSED)),
        )
    ]


def _ratings_store(day: date, rows: list[RatingDaily]) -> int:
    with transaction.atomic():
        RatingDaily.objects.filter(day=day).delete()
        RatingDaily.objects.bulk_create(rows)
    return len(rows)


RATINGS = dirty_days.register(
    dirty_days.Figures(
        "oversight.ratings", AggregateDirty, rating_rows, _ratings_store, {"kind": AggregateKind.RATINGS}
    )
)


def ratings_day_recount(day: date) -> int:
    return dirty_days.day_recount(RATINGS, day)


RECOUNTS: dict[str, Callable[[date], int]] = {
    AggregateKind.CASES: cases_day_recount,
    AggregateKind.QUEUE: queue_day_recount,
    AggregateKind.RATINGS: ratings_day_recount,
}
FIGURES: dict[str, dirty_days.Figures] = {
    AggregateKind.CASES: CASES,
    AggregateKind.QUEUE: QUEUE,
    AggregateKind.RATINGS: RATINGS,
}


def day_mark_dirty(kind: str, day: date) -> None:
    """In the writer's transaction: this aggregate's day must be recounted (``core.dirty_days``)."""
    dirty_days.day_mark(FIGURES[kind], day)


def dirty_days_refresh() -> int:
    """One pass over every kind's marked days (what the tasks do after commits); the recounts made."""
    return sum(dirty_days.refresh(figures) for figures in FIGURES.values())


def days_recount(kinds: Iterable[str], first: date, last: date) -> int:
    """Recounts every day of the span (a rebuild after a bulk write); each month is rolled up once."""
    kinds = list(kinds)
    rows, day, months = 0, first, set()
    while day <= last:
        for kind in kinds:
            if kind == AggregateKind.CASES:
                rows += cases_day_recount(day, roll_up=False)
                months.add(day.replace(day=1))
            else:
                rows += RECOUNTS[kind](day)
        day += timedelta(days=1)
    for month in sorted(months):
        with transaction.atomic():
            case_month_rebuild(month)
    return rows


def _snapshot(kind: str, day: date) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    if kind == AggregateKind.CASES:
        return {
            tuple(getattr(r, k) for k in CASE_KEYS): tuple(getattr(r, c) for c in CASE_COUNTERS)
            for r in CaseDaily.objects.filter(day=day)
        }
    if kind == AggregateKind.QUEUE:
        names = ("taken", "served", "no_show", "called", "wait_seconds", "service_seconds")
        return {
            (r.hall_id, r.category_id, r.window_id): tuple(getattr(r, n) for n in names)
            for r in QueueDaily.objects.filter(day=day)
        }
    rating_names = ("ratings", "defaulted", "real_name_bad", "real_name_bad_closed")
    return {
        (r.department_id, r.region_id, r.window_id, r.channel, r.level): tuple(getattr(r, n) for n in rating_names)
        for r in RatingDaily.objects.filter(day=day)
    }


def _month_snapshot(month: date) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    return {
        tuple(getattr(r, k) for k in CASE_KEYS): tuple(getattr(r, c) for c in CASE_COUNTERS)
        for r in CaseMonthly.objects.filter(month=month)
    }


def aggregates_check(first: date, last: date) -> list[str]:
    """Compares every stored row of the span (and the months' roll-ups) with a recount from the records,
    inside a transaction that is rolled back; returns the differences."""
    differences: list[str] = []
    day = first
    months: set[date] = set()
    while day <= last:
        for kind, figures in FIGURES.items():
            stored = _snapshot(kind, day)
            with transaction.atomic():
                if kind == AggregateKind.CASES:
                    _cases_store(day, _cases_count(day), roll_up=False)
                else:
                    figures.store(day, figures.count(day))
                counted = _snapshot(kind, day)
                transaction.set_rollback(True)
            for key in sorted(set(stored) | set(counted), key=str):
                if stored.get(key) != counted.get(key):
                    differences.append(f"{kind} {day} {key}: stored {stored.get(key)} ≠ recounted {counted.get(key)}")
        months.add(day.replace(day=1))
        day += timedelta(days=1)
    for month in sorted(months):
        stored = _month_snapshot(month)
        with transaction.atomic():
            case_month_rebuild(month)
            counted = _month_snapshot(month)
            transaction.set_rollback(True)
        for key in sorted(set(stored) | set(counted), key=str):
            if stored.get(key) != counted.get(key):
                differences.append(f"month {month} {key}: stored {stored.get(key)} ≠ summed {counted.get(key)}")
    return differences
