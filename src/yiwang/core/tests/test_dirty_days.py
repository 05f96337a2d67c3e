"""The protocol that keeps figures recounted by day current (core.dirty_days; docs/architecture.md,
"Figures that stay current"): a change committed during a recount is not lost, marks and requests
coalesce, a crashed recount leaves its mark, and a slow recount never overwrites a fresher one.

The kind of figures here is a fake one over a dictionary of "records", marked in the oversight's mark
table under a kind of its own, so each step of the protocol can be interleaved by hand."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import TestCase
from huey import MemoryHuey

from yiwang.core import dirty_days
from yiwang.core.models import DayRecount
from yiwang.oversight.models import AggregateDirty

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


class Fake:
    """Records as {day: number of records}; the stored figures as {day: counted}. ``during_count`` runs
    once, in the middle of the next count (another writer or another worker)."""

    def __init__(self) -> None:
        self.records: dict[date, int] = {}
        self.stored: dict[date, int] = {}
        self.counts = 0
        self.during_count: Callable[[], None] | None = None
        self.figures = dirty_days.register(
            dirty_days.Figures("test.fake", AggregateDirty, self.count, self.store, {"kind": "fake"})
        )

    def count(self, day: date) -> int:
        self.counts += 1
        counted = self.records.get(day, 0)
        if self.during_count is not None:
            during, self.during_count = self.during_count, None
            during()
        return counted

    def store(self, day: date, counted: int) -> int:
        self.stored[day] = counted
        return 1

    def write(self, day: date = DAY) -> None:
        """A writer's transaction: a record and its day's mark."""
        with transaction.atomic():
            self.records[day] = self.records.get(day, 0) + 1
            dirty_days.day_mark(self.figures, day)

    def marked(self) -> bool:
        return AggregateDirty.objects.filter(kind="fake").exists()


@pytest.fixture
def fake() -> Iterator[Fake]:
    made = Fake()
    yield made
    dirty_days.REGISTRY.pop("test.fake", None)


def test_a_write_during_a_recount_keeps_its_mark_for_the_next_pass(fake: Fake) -> None:
    fake.write()
    fake.during_count = fake.write  # commits after the count read the day
    assert dirty_days.refresh(fake.figures) == 1
    assert fake.stored[DAY] == 1 and fake.marked()  # the second record is not counted yet, and not forgotten
    assert dirty_days.refresh(fake.figures) == 1
    assert fake.stored[DAY] == 2 and not fake.marked()
    assert dirty_days.refresh(fake.figures) == 0


def test_writes_during_every_recount_never_stop_the_passes(fake: Fake) -> None:
    """The reported bug: a refresh gave up after 50 rounds while writes kept coming, and the mark that
    stayed queued nothing more. Each pass now counts what was committed before it began, however long
    writes keep coming."""
    fake.write()
    for _pass in range(60):
        committed = fake.records[DAY]
        fake.during_count = fake.write
        assert dirty_days.refresh(fake.figures) == 1
        assert fake.stored[DAY] == committed and fake.marked()
    dirty_days.refresh(fake.figures)
    assert fake.stored[DAY] == fake.records[DAY] == 61 and not fake.marked()


def test_marks_of_one_day_coalesce_and_one_transaction_requests_once(fake: Fake) -> None:
    with TestCase.captureOnCommitCallbacks() as callbacks, transaction.atomic():
        for _write in range(50):
            fake.records[DAY] = fake.records.get(DAY, 0) + 1
            dirty_days.day_mark(fake.figures, DAY)
        dirty_days.day_mark(fake.figures, date(2026, 3, 1))
    assert len(callbacks) == 1  # one request after the commit, whatever was saved
    mark = AggregateDirty.objects.get(kind="fake", day=DAY)
    assert mark.version == 49  # created by the first save, bumped by each other: one mark covers them all
    assert dirty_days.refresh(fake.figures) == 2 and fake.counts == 2  # one recount a day, not one a write
    assert fake.stored == {DAY: 50, date(2026, 3, 1): 0}


def test_a_mark_rolled_back_with_its_savepoint_requests_again(fake: Fake) -> None:
    with TestCase.captureOnCommitCallbacks() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                dirty_days.day_mark(fake.figures, DAY)
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
        assert not fake.marked()  # the bump went with the change
        fake.write()
    assert len(callbacks) == 1 and fake.marked()


def test_a_crashed_recount_leaves_the_mark(fake: Fake) -> None:
    fake.write()

    def crash() -> None:
        raise RuntimeError("worker stopped")

    fake.during_count = crash
    with pytest.raises(RuntimeError):
        dirty_days.refresh(fake.figures)
    assert fake.marked() and DAY not in fake.stored
    assert dirty_days.refresh(fake.figures) == 1
    assert fake.stored[DAY] == 1 and not fake.marked()


def test_a_crash_while_storing_leaves_the_mark_and_the_old_figures(fake: Fake) -> None:
    fake.write()
    dirty_days.refresh(fake.figures)
    fake.write()

    def store_then_crash(day: date, counted: int) -> int:
        fake.stored[day] = counted
        AggregateDirty.objects.filter(kind="fake").delete()  # as if the transaction went further
        raise RuntimeError("worker stopped")

    crashing = dirty_days.Figures("test.fake", AggregateDirty, fake.count, store_then_crash, {"kind": "fake"})
    with pytest.raises(RuntimeError):
        dirty_days.refresh(crashing)
    assert fake.marked()  # rolled back with the failed transaction
    assert DayRecount.objects.get(scope="test.fake", day=DAY).written == 1  # the first recount's stays stored


def test_a_slow_recount_does_not_overwrite_a_fresher_one(fake: Fake) -> None:
    """Two workers on one day: the first counts, a write commits, the second counts and stores; the first
    then finishes with its older count — and stores nothing."""
    fake.write()

    def another_worker() -> None:
        fake.write()
        assert dirty_days.refresh(fake.figures) == 1  # begun after the first: counts both, stores, clears

    fake.during_count = another_worker
    dirty_days.refresh(fake.figures)
    assert fake.stored[DAY] == 2 and not fake.marked()
    fence = DayRecount.objects.get(scope="test.fake", day=DAY)
    assert (fence.started, fence.written) == (2, 2)


def test_a_rebuild_is_fenced_and_leaves_the_mark_to_the_pass(fake: Fake) -> None:
    fake.write()
    assert dirty_days.day_recount(fake.figures, DAY) == 1
    assert fake.stored[DAY] == 1 and fake.marked()


class Queue:
    def __init__(self) -> None:
        self.huey = MemoryHuey("figures-test", immediate=False)
        self.scheduled: list[str] = []


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> Queue:
    made = Queue()
    monkeypatch.setattr(dirty_days, "_huey", lambda: made.huey)
    monkeypatch.setattr(dirty_days, "_schedule", made.scheduled.append)
    return made


def test_requests_coalesce_until_the_task_takes_them(fake: Fake, queue: Queue) -> None:
    for _commit in range(50):
        dirty_days.refresh_request("test.fake")
    assert queue.scheduled == ["test.fake"]  # 50 commits, one task
    fake.write()
    dirty_days.refresh_request("test.fake")  # after its commit: finds the flag, queues nothing
    assert queue.scheduled == ["test.fake"]
    dirty_days.refresh_claimed("test.fake")  # the task begins: takes the flag, then reads the marks
    assert fake.stored[DAY] == 1
    dirty_days.refresh_request("test.fake")  # a commit after the task began queues the next
    assert queue.scheduled == ["test.fake", "test.fake"]


def test_the_drain_takes_a_flag_whose_task_was_lost(fake: Fake, queue: Queue) -> None:
    dirty_days.refresh_request("test.fake")
    queue.scheduled.clear()  # the task is lost with a killed worker; the flag stays set
    fake.write()
    dirty_days.refresh_request("test.fake")
    assert queue.scheduled == []  # nothing queued: the drain is what comes next
    assert dirty_days.drain() >= 1
    assert fake.stored[DAY] == 1 and not fake.marked()
    dirty_days.refresh_request("test.fake")
    assert queue.scheduled == ["test.fake"]  # requests queue tasks again


def test_the_periodic_drain_schedules_the_rest_of_the_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    from yiwang.core import tasks

    delays: list[Any] = []
    monkeypatch.setattr(tasks.figures_drain, "schedule", lambda **kwargs: delays.append(kwargs["delay"]))
    tasks.figures_drain_every_minute.call_local()
    assert delays == list(range(dirty_days.DRAIN_SECONDS, 60, dirty_days.DRAIN_SECONDS))
    assert dirty_days.DRAIN_SECONDS + 5 < dirty_days.BOUND_SECONDS


def test_a_consumer_drains_at_once_when_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A consumer started again after SIGKILL does not wait for the next minute's periodic task."""
    import threading

    from yiwang.core import tasks

    delays: list[Any] = []
    monkeypatch.setattr(tasks, "_started_draining", threading.Lock())
    monkeypatch.setattr(tasks.figures_drain, "schedule", lambda **kwargs: delays.append(kwargs["delay"]))
    tasks._drain_after_start()
    tasks._drain_after_start()  # the hook runs in every worker thread: once per process
    assert delays[0] == 0 and delays == sorted(set(delays)) and delays[-1] < 60
    assert all(b - a == dirty_days.DRAIN_SECONDS for a, b in itertools.pairwise(delays))


@pytest.mark.django_db(transaction=True)
def test_a_recount_deletes_the_marks_it_read_and_no_other(fake: Fake, queue: Queue) -> None:
    """Marks are rows of their writers' own: three commits of one day leave three, one recount counts
    them all and deletes them; a mark committed while it counted stays."""
    for _commit in range(3):
        fake.write()
    assert AggregateDirty.objects.filter(kind="fake", day=DAY).count() == 3
    fake.during_count = fake.write
    assert dirty_days.refresh(fake.figures) == 1
    assert fake.stored[DAY] == 3 and AggregateDirty.objects.filter(kind="fake", day=DAY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_writers_of_one_day_do_not_wait_for_one_another(fake: Fake, queue: Queue) -> None:
    """Issue 22: the mark was one row per day, bumped by every writer and locked by each until its
    commit, so every case (or queue number) of a day waited for the previous writer's commit. Now one
    writer holds its transaction open after marking, and another marks the same day and commits at once."""
    import threading
    import time

    from django.db import connection

    from tests.parallel import require_postgresql

    require_postgresql()
    marked, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                dirty_days.day_mark(fake.figures, DAY)
                marked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    slow = threading.Thread(target=slow_writer)
    slow.start()
    try:
        assert marked.wait(timeout=30)
        started = time.monotonic()
        with transaction.atomic():
            connection.cursor().execute("SET LOCAL lock_timeout = '2s'")  # a wait on the row fails instead
            dirty_days.day_mark(fake.figures, DAY)
        assert time.monotonic() - started < 2
    finally:
        release.set()
        slow.join()
    assert AggregateDirty.objects.filter(kind="fake", day=DAY).count() == 2
    assert dirty_days.refresh(fake.figures) == 1 and not fake.marked()


def test_a_day_marked_again_after_its_savepoint_rolled_back_keeps_its_mark(fake: Fake) -> None:
    """The transaction's own mark of a day went with a rolled-back savepoint; the day marked again gets a
    mark of its own, even where the key is handed out again to another day's mark (SQLite)."""
    with TestCase.captureOnCommitCallbacks(), transaction.atomic():
        dirty_days.day_mark(fake.figures, date(2026, 3, 1))  # the request registered outside the savepoint
        try:
            with transaction.atomic():
                dirty_days.day_mark(fake.figures, DAY)
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
        dirty_days.day_mark(fake.figures, date(2026, 3, 3))
        dirty_days.day_mark(fake.figures, DAY)
        assert AggregateDirty.objects.filter(kind="fake", day=DAY).exists()
        assert AggregateDirty.objects.get(kind="fake", day=date(2026, 3, 3)).version == 0
