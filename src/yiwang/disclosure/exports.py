"""What a research user wants (docs/disclosure.md §4): one row per request with its dates, pauses,
extension and outcome, and response times that exclude the days paused (consultation) and the days spent
waiting on the requester (correction, fee) — the figures the open anchors are asked for (alaveteli#1707,
#1369). No personal data: no name, no ID number, no description."""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from yiwang.calendar.workdays import WorkCalendar, WorkdayCounter
from yiwang.disclosure import clock
from yiwang.disclosure.choices import ClockEventKind as K
from yiwang.disclosure.models import Appeal, ClockEvent, DisclosureRequest, Reply

COLUMNS = (
    "number", "body", "requester_kind", "channel", "received_on", "correction_requested_on", "corrected_on",
    "consultation_working_days", "fee_method", "fee", "fee_waiting_working_days", "extension_working_days",
    "due_on", "replied_on", "working_days_taken", "outcome", "ground", "on_time", "extended", "appeals",
    "appeal_outcomes",
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    values: dict[str, object]
    taken: int | None  # working days from the (re)start to the reply, pauses and waiting excluded


def _first(events: Iterable[ClockEvent], kind: str) -> date | None:
    return next((e.on for e in events if e.kind == kind), None)


def _waiting(events: list[ClockEvent], start: str, end: str, result: clock.Clock) -> int:
    """Working days between a fee notice and its payment (the clock marks them paused as well)."""
    begun = _first(events, start)
    if begun is None:
        return 0
    ended = _first(events, end) or result.replied_on
    return sum(1 for s in result.steps if s.state == clock.PAUSED and begun < s.day <= (ended or s.day))


def rows(*, body_id: int | None, year: int) -> list[Row]:
    requests = (
        DisclosureRequest.objects.filter(received_on__year=year)
        .select_related("body")
        .prefetch_related(
            Prefetch("events", queryset=ClockEvent.objects.order_by("on", "at", "pk")),
            Prefetch("appeals", queryset=Appeal.objects.order_by("filed_on", "pk")),
        )
        .order_by("received_on", "pk")
    )
    if body_id:
        requests = requests.filter(body_id=body_id)
    replies = {r.request_id: r for r in Reply.objects.filter(request__in=requests)}
    today = timezone.localdate()
    # One load of the working-day calendar for every request of the year (replies run into the next).
    first, last = date(year, 1, 1), date(year + 1, 12, 31) + timedelta(days=200)
    calendar = WorkCalendar(first, last).day
    counter = WorkdayCounter(first, last)
    out = []
    for made in requests:
        events = list(made.events.all())
        result = clock.compute(events, today=made.replied_on or today, day_info=calendar)
        reply = replies.get(made.pk)
        fee_wait = _waiting(events, K.FEE_NOTICE, K.FEE_PAID, result)
        consultation = result.paused - fee_wait
        taken = None
        if made.replied_on is not None:
            taken = sum(
                1 for s in result.steps if s.state in (clock.COUNTED, clock.BEYOND_CAP) and s.day <= made.replied_on
            )
            if result.due is not None and made.replied_on > result.due:  # late: the days past the due date too
                taken += counter.between(result.due, made.replied_on).working_days
        appeals = list(made.appeals.all())
        values: dict[str, object] = {
            "number": made.number, "body": made.body.name, "requester_kind": made.requester_kind,
            "channel": made.channel, "received_on": made.received_on,
            "correction_requested_on": _first(events, K.CORRECTION_REQUESTED) or "",
            "corrected_on": _first(events, K.CORRECTED) or "", "consultation_working_days": consultation,
            "fee_method": made.fee_method, "fee": made.fee, "fee_waiting_working_days": fee_wait,
            "extension_working_days": result.extension, "due_on": result.due or "", "replied_on": made.replied_on or "",
            "working_days_taken": "" if taken is None else taken, "outcome": reply.outcome if reply else "",
            "ground": reply.ground if reply else "", "on_time": "" if reply is None else int(reply.on_time),
            "extended": "" if reply is None else int(reply.extended), "appeals": len(appeals),
            "appeal_outcomes": ";".join(f"{a.kind}:{a.outcome}" for a in appeals),
        }  # fmt: skip
        out.append(Row(values, taken))
    return out


def csv_bytes(table: list[Row]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese names as they are."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in table:
        writer.writerow(row.values)
    return ("\ufeff" + buffer.getvalue()).encode()


@dataclass(frozen=True)
class Figures:
    requests: int
    replied: int
    on_time: int
    extended: int
    median: float | None
    mean: float | None
    p90: int | None
    longest: int | None


def figures(table: list[Row]) -> Figures:
    taken = sorted(row.taken for row in table if row.taken is not None)
    replied = [row for row in table if row.values["replied_on"]]
    return Figures(
        requests=len(table),
        replied=len(replied),
        on_time=sum(1 for row in replied if row.values["on_time"] == 1),
        extended=sum(1 for row in replied if row.values["extended"] == 1),
        median=statistics.median(taken) if taken else None,
        mean=round(statistics.fmean(taken), 1) if taken else None,
        p90=taken[max(0, -(-len(taken) * 9 // 10) - 1)] if taken else None,
        longest=taken[-1] if taken else None,
    )
