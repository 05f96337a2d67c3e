"""Steady streams of writes, one writer thread a kind, while recounts run in other threads, as the tests
of the figures' freshness start them (core.dirty_days; docs/architecture.md, "Figures that stay current").

The Huey consumer is stood in for by threads running the very code its tasks run: a request's task
(``refresh_claimed``) ``COALESCE_SECONDS`` after the request queued it, on one of two workers, and the
drain every ``DRAIN_SECONDS``. The request flags live in a queue of their own (``MemoryHuey``), so the
coalescing is the real one. ``lose_after_stream`` makes every task queued after the last write vanish as
a killed worker's would, leaving the last writes to the drain.

Each kind's writer commits its writes in turn, so its figure counts a prefix of them: write k is counted
once the figure has grown by k. Its lag is taken from the moment its write began (an upper bound).
Only PostgreSQL runs the threads side by side (tests/parallel.py); on SQLite the interleaving is shown
step by step (core/tests/test_dirty_days.py) and end to end with a real consumer (bench/freshness.py,
run small by tests/bench/test_bench_scripts.py).
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from huey import MemoryHuey

from yiwang.core import dirty_days


@dataclass
class Stream:
    writes: int = 0
    seconds: float = 0.0
    lags: list[float] = field(default_factory=list)
    settled_after: float = 0.0  # from the last write's end to the figures counting every write
    tasks: int = 0
    lost: int = 0
    drains: int = 0

    @property
    def rate(self) -> float:
        return self.writes / self.seconds if self.seconds else 0.0

    def quantile(self, fraction: float) -> float:
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else 0.0

    def describe(self) -> str:
        return (
            f"{self.writes} writes in {self.seconds:.1f} s ({self.rate:.0f}/s), {self.tasks} tasks "
            f"({self.lost} lost), {self.drains} drains; lag p95 {self.quantile(0.95):.2f} s, "
            f"max {max(self.lags, default=0.0):.2f} s; all counted {self.settled_after:.2f} s after the last"
        )


class Consumer:
    """Two workers, a scheduler and the drain, in threads; each thread its own database connection."""

    def __init__(self, lose_after: Callable[[], bool]) -> None:
        self.huey = MemoryHuey("freshness", immediate=False)
        self.due: list[tuple[float, int, str]] = []
        self.lock = threading.Condition()
        self.stop = threading.Event()
        self.lose_after = lose_after
        self.errors: list[BaseException] = []
        self.tasks = self.lost = self.drains = 0
        self._n = 0

    def schedule(self, scope: str) -> None:
        with self.lock:
            self._n += 1
            heapq.heappush(self.due, (time.monotonic() + dirty_days.COALESCE_SECONDS, self._n, scope))
            self.lock.notify()

    def _worker(self) -> None:
        try:
            while not self.stop.is_set():
                with self.lock:
                    if not self.due or self.due[0][0] > time.monotonic():
                        self.lock.wait(0.05)
                        continue
                    _at, _n, scope = heapq.heappop(self.due)
                    self.tasks += 1
                    lose = self.lose_after()
                if lose:  # the worker is killed after taking the task and its flag, before any count
                    self.huey.delete(f"yiwang:figures-requested:{scope}")
                    self.lost += 1
                    continue
                dirty_days.refresh_claimed(scope)
        except BaseException as error:  # shown by the test
            self.errors.append(error)
        finally:
            connection.close()

    def _drainer(self) -> None:
        try:
            while not self.stop.wait(dirty_days.DRAIN_SECONDS):
                dirty_days.drain()
                self.drains += 1
        except BaseException as error:
            self.errors.append(error)
        finally:
            connection.close()

    def __enter__(self) -> Consumer:
        self.threads = [threading.Thread(target=self._worker) for _ in range(2)]
        self.threads.append(threading.Thread(target=self._drainer))
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        with self.lock:
            self.lock.notify_all()
        for thread in self.threads:
            thread.join(timeout=60)


@dataclass(frozen=True)
class Feed:
    """One kind of write and the figure that counts it (grows by one per write)."""

    name: str
    write: Callable[[], None]
    figure: Callable[[], int]
    share: float = 1.0  # of the stream's rate, relative to the other feeds' shares


def stream(
    monkeypatch: pytest.MonkeyPatch,
    feeds: list[Feed],
    *,
    rate: float = 50.0,
    seconds: float = 5.0,
    lose_after_stream: bool = False,
) -> dict[str, Stream]:
    """Writes ``rate`` a second in all, shared by the feeds, for ``seconds``, one writer thread a feed, while
    the consumer recounts; samples the figures every 20 ms until they count every write or
    ``BOUND_SECONDS`` after the last writes have passed. Each feed's lags, by name."""
    done = threading.Event()
    consumer = Consumer(lose_after=lambda: lose_after_stream and done.is_set())
    monkeypatch.setattr(dirty_days, "_huey", lambda: consumer.huey)
    monkeypatch.setattr(dirty_days, "_schedule", consumer.schedule)
    bases = [feed.figure() for feed in feeds]
    began: list[list[float]] = [[] for _feed in feeds]
    finished = [0.0 for _feed in feeds]
    errors: list[BaseException] = []
    shares = sum(feed.share for feed in feeds)

    def writer(index: int) -> None:
        mine = began[index]
        each = rate * feeds[index].share / shares
        try:
            start = time.monotonic()
            while (now := time.monotonic()) < start + seconds and not errors:
                slot = start + len(mine) / each
                if slot > now:
                    time.sleep(slot - now)
                mine.append(time.monotonic())
                feeds[index].write()
        except BaseException as error:
            errors.append(error)
        finally:
            finished[index] = time.monotonic()
            connection.close()

    samples: list[tuple[float, list[int]]] = []
    with consumer:
        threads = [threading.Thread(target=writer, args=(i,)) for i in range(len(feeds))]
        for thread in threads:
            thread.start()
        while True:
            time.sleep(0.02)
            counted = [feed.figure() - base for feed, base in zip(feeds, bases, strict=True)]
            samples.append((time.monotonic(), counted))
            if errors or consumer.errors:
                break
            if all(not t.is_alive() for t in threads):
                done.set()
                if all(c >= len(b) for c, b in zip(counted, began, strict=True)):
                    break
                if time.monotonic() > max(finished) + dirty_days.BOUND_SECONDS:
                    break
        for thread in threads:
            thread.join()
    if errors or consumer.errors:
        raise (errors or consumer.errors)[0]
    results = {}
    for index, feed in enumerate(feeds):
        mine = began[index]
        result = Stream(
            writes=len(mine), seconds=finished[index] - mine[0], tasks=consumer.tasks, lost=consumer.lost,
            drains=consumer.drains,
        )  # fmt: skip
        at = 0
        for k, start in enumerate(mine, 1):
            while at < len(samples) and samples[at][1][index] < k:
                at += 1
            result.lags.append(samples[at][0] - start if at < len(samples) else float("inf"))
        counted_at = next((t for t, c in samples if c[index] >= len(mine)), samples[-1][0])
        result.settled_after = counted_at - finished[index]
        results[feed.name] = result
    return results
