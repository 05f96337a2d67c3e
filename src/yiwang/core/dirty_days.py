"""Figures recounted by day, kept current (the hotline's daily KPIs, the oversight's case, queue and
rating aggregates): the protocol between the writers, who mark a day, and the recounts, which clear it.

**The bound.** A committed change is in the figures within seconds — about ``COALESCE_SECONDS`` plus the
queue's wait and one recount of the day — and never later than ``BOUND_SECONDS`` (the drain's interval
plus a recount) even when a worker is killed with SIGKILL, however long writes keep coming
(docs/architecture.md, "Figures that stay current"; ``bench/freshness.py`` measures it).

1. **Mark.** A writer marks the day in its own transaction by inserting a mark row, so a mark is never
   lost: it commits or rolls back with the change. Marks are only ever inserted by writers, never updated
   by another transaction's writer: no two writers wait on one row (a shared mark row, bumped by every
   writer and locked by each until its commit, made every case or queue number of a day wait for the
   previous writer's commit). One transaction that saves many rows of one day keeps one mark (its own
   row, bumped) and requests once.
2. **Request.** After the commit the writer requests a recount of its kind of figures. Requests are
   coalesced in the task queue's key-value storage: the first sets a flag and queues a task
   ``COALESCE_SECONDS`` out; those that find the flag set queue nothing, because the task has not taken the
   flag yet and will read the marks after their commit. 50 writes a second are about one task a second.
3. **Recount, fenced.** The task takes the flag, then makes one pass over the marked days: for each it
   reads the day's committed marks, begins a recount (``DayRecount.started`` += 1), counts the day's
   records and, in one transaction, stores the rows only if no recount begun later has stored already
   (``written`` < its number) and deletes exactly the marks it read. A change committed during the
   recount has a mark the pass did not read: the mark stays, and that change's own request queues the
   next pass. Two workers recounting one day leave
   the fresher count, whichever finishes last.
4. **Drain.** Every ``DRAIN_SECONDS`` a periodic task takes every flag and makes a pass: a task lost with
   a killed worker, or a request lost with an unreachable queue, delays a change by that much at most.

There is no limit of rounds: a pass recounts what was marked when it began, and writes that keep coming
keep queueing passes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, Q

from yiwang.core.models import DayRecount

if TYPE_CHECKING:
    from huey import Huey

logger = logging.getLogger(__name__)

COALESCE_SECONDS = 1  # a request waits this long for the next ones to join it
DRAIN_SECONDS = 10  # the periodic pass over every kind
BOUND_SECONDS = 30  # promised: a committed change is in the figures within this (docs/architecture.md)


@dataclass(frozen=True)
class Figures:
    """A kind of figures recounted by day. ``marks``: the model of its marks (``day``, ``version`` and the
    ``key`` fields that tell kinds sharing a table apart); ``count(day)`` reads the day's records outside
    any transaction; ``store(day, counted)`` replaces the day's rows inside the recount's transaction and
    returns how many."""

    scope: str
    marks: type[models.Model]
    count: Callable[[date], Any]
    store: Callable[[date, Any], int]
    key: dict[str, Any] = field(default_factory=dict)


REGISTRY: dict[str, Figures] = {}


def register(figures: Figures) -> Figures:
    """Makes the kind known to the tasks (the request's task and the drain find it by its scope)."""
    REGISTRY[figures.scope] = figures
    return figures


# --- writers ----------------------------------------------------------------------------------------------


class _Request:
    """The after-commit callback of a transaction that marked days: requests a pass, and knows the marks
    the transaction inserted. Found among the connection's pending callbacks by ``day_mark`` (a savepoint
    rolled back drops it with the marks)."""

    def __init__(self, scope: str) -> None:
        self.scope, self.pending = scope, True
        self.marks: dict[date, int] = {}  # day -> the primary key of this transaction's mark

    def __call__(self) -> None:
        self.pending = False  # a test's captured callbacks stay in the list: a later mark requests anew
        refresh_request(self.scope)


def day_mark(figures: Figures, day: date) -> None:
    """In the writer's transaction: ``day`` must be recounted. The transaction's first mark of the day is
    a new row; each later one bumps that row's version (no other transaction can see it yet, so no one
    waits on it). If it is gone — a recount in this same transaction, or a savepoint rolled back — a new
    row: the later saves' changes are not taken for counted. The request after commit is registered once
    per transaction and kind."""
    request = _pending_request(figures.scope)
    manager = figures.marks._default_manager
    mine = request.marks.get(day) if request is not None else None
    # By key and day: a key rolled back with a savepoint may be handed out again (SQLite) to another mark.
    if mine is None or not manager.filter(pk=mine, day=day, **figures.key).update(version=F("version") + 1):
        mine = manager.create(day=day, **figures.key).pk
    if request is None:
        request = _Request(figures.scope)
        # Robust: the change is committed whatever the queue says; the drain catches a lost request.
        transaction.on_commit(request, robust=True)
    request.marks[day] = mine


def _pending_request(scope: str) -> _Request | None:
    """The request this transaction registered for ``scope`` (None outside a transaction: autocommit)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _sids, callback, _robust in getattr(connection, "run_on_commit", []):
        if isinstance(callback, _Request) and callback.pending and callback.scope == scope:
            return callback
    return None


def _flag(scope: str) -> str:
    return f"yiwang:figures-requested:{scope}"


def _huey() -> Huey:
    """The task queue, whose key-value storage holds the request flags (shared by web servers and workers)."""
    from huey.contrib.djhuey import HUEY

    return HUEY


def _schedule(scope: str) -> None:
    from yiwang.core.tasks import figures_refresh

    figures_refresh.schedule((scope,), delay=COALESCE_SECONDS)


def refresh_request(scope: str) -> None:
    """After a commit: a pass over ``scope``'s marks will begin after now (coalesced, see the module)."""
    huey = _huey()
    if huey.immediate:  # tests and YIWANG_TASKS_IMMEDIATE: at once, in the caller
        refresh_claimed(scope)
    elif huey.put_if_empty(_flag(scope), time.time()):
        _schedule(scope)


# --- recounts ---------------------------------------------------------------------------------------------


def _begin(scope: str, day: date) -> int:
    """Numbers a new recount of the day (its own short transaction); returns its number."""
    with transaction.atomic():
        rows = DayRecount.objects.filter(scope=scope, day=day)
        if not rows.update(started=F("started") + 1):
            try:
                with transaction.atomic():
                    DayRecount.objects.create(scope=scope, day=day, started=1)
            except IntegrityError:
                rows.update(started=F("started") + 1)
        return int(rows.values_list("started", flat=True).get())


def day_lock(scope: str, day: date) -> None:
    """Inside a transaction: waits for, then holds until commit, the row of (scope, day) — e.g. a month
    whose roll-up is rebuilt from its days by recounts of different days at once."""
    DayRecount.objects.get_or_create(scope=scope, day=day)
    DayRecount.objects.select_for_update().filter(scope=scope, day=day).values_list("pk", flat=True).get()


def _store(figures: Figures, day: date, number: int, counted: Any, store: Callable[[date, Any], int]) -> int | None:
    """Inside the recount's transaction: stores the counted rows unless a recount begun later has stored."""
    if not DayRecount.objects.filter(scope=figures.scope, day=day, written__lt=number).update(written=number):
        return None
    return store(day, counted)


def day_recount(figures: Figures, day: date, store: Callable[[date, Any], int] | None = None) -> int:
    """Recounts one day now, fenced like a pass but leaving its mark to the pass (a rebuild); the rows
    stored (0 if a later recount stored first)."""
    number = _begin(figures.scope, day)
    counted = figures.count(day)
    with transaction.atomic():
        return _store(figures, day, number, counted, store or figures.store) or 0


MARKS_PER_RECOUNT = 5_000  # a day with more marks (a backlog) is recounted again by the next pass


def _day_refresh(figures: Figures, day: date) -> bool:
    marks = figures.marks._default_manager.filter(day=day, **figures.key)
    read = list(marks.order_by("pk").values_list("pk", "version")[:MARKS_PER_RECOUNT])
    if not read:  # another pass cleared it
        return False
    number = _begin(figures.scope, day)  # after reading the marks: anything they cover is counted below
    counted = figures.count(day)
    by_version: dict[int, list[int]] = {}
    for pk, version in read:
        by_version.setdefault(version, []).append(pk)
    as_read = Q()
    for version, pks in by_version.items():
        as_read |= Q(pk__in=pks, version=version)
    with transaction.atomic():
        _store(figures, day, number, counted, figures.store)
        # Stored by this recount or by one begun later: either counted every change these marks cover.
        # Exactly the marks read, as read: one committed since (even with a smaller key, its transaction
        # having begun earlier) or bumped since (a recount inside the writer's own transaction) may cover
        # a change the count did not see, and stays for the next pass.
        marks.filter(as_read).delete()  # one statement: two passes never lock the rows in opposite orders
    return True


def refresh(figures: Figures) -> int:
    """One pass: recounts each day marked when it begins, newest first; returns the recounts made."""
    days = (
        figures.marks._default_manager.filter(**figures.key).order_by("-day").values_list("day", flat=True).distinct()
    )
    return sum(_day_refresh(figures, day) for day in list(days))


def refresh_claimed(scope: str) -> int:
    """The requested task: takes the flag (so that requests from now on queue the next pass), then a pass."""
    _huey().delete(_flag(scope))
    figures = REGISTRY.get(scope)
    if figures is None:
        logger.error("no figures registered as %s", scope)
        return 0
    return refresh(figures)


def drain() -> int:
    """The periodic pass over every kind (see the module); returns the recounts made."""
    done = 0
    for scope in list(REGISTRY):
        done += refresh_claimed(scope)
    if done:
        logger.info("figures drained: %s days recounted", done)
    return done
