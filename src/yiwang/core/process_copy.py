"""A process's copy of a small table read on hot paths (the working-day calendar, which items have
秒批 rules): loaded once, then answered from memory until the table changes.

A write to the table calls ``changed()``: this process forgets its copy at once, and a generation in
the shared cache is bumped at once and again when the writing transaction commits (a process that
read between the two would otherwise keep the old rows). Every process compares its copy's generation
at most once every ``check_every`` seconds, and reads the table again after ``max_age`` seconds even
without a bump, so processes whose cache is their own (the embedded set-up's LocMem) see a change
within that time. Tests call ``forget_all()`` before each test, as their rolled-back rows are
invisible to the signals.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
_copies: list[ProcessCopy[object] | ImmutableRows[object, object]] = []


class ProcessCopy(Generic[T]):
    def __init__(self, name: str, load: Callable[[], T], *, max_age: float = 60.0, check_every: float = 1.0) -> None:
        self.key = f"yiwang:process-copy:{name}"
        self.load, self.max_age, self.check_every = load, max_age, check_every
        self._lock = threading.Lock()
        self._value: T | None = None
        self._generation = ""
        self._loaded_at = self._checked_at = 0.0
        _copies.append(self)  # type: ignore[arg-type]

    def get(self) -> T:
        now = time.monotonic()
        value = self._value
        if value is not None and now - self._loaded_at < self.max_age:
            if now - self._checked_at < self.check_every:
                return value
            self._checked_at = now
            if self._shared_generation() == self._generation:
                return value
        with self._lock:
            generation = self._shared_generation()
            value = self.load()
            self._value, self._generation = value, generation
            self._loaded_at = self._checked_at = time.monotonic()
            return value

    def changed(self) -> None:
        self.forget()
        self._bump()
        transaction.on_commit(self._bump)

    def forget(self) -> None:
        self._value = None

    def _bump(self) -> None:
        self._value = None
        try:
            cache.incr(self.key)
        except ValueError:  # no generation yet (or the cache was emptied): any new value differs
            cache.set(self.key, time.time_ns(), None)

    def _shared_generation(self) -> str:
        return str(cache.get(self.key) or "0")


def forget_all() -> None:
    """Every copy of this process is read again at its next use."""
    for copy in _copies:
        copy.forget()


K = TypeVar("K")


class ImmutableRows(Generic[K, T]):
    """Rows that never change once written (a published catalogue version's contents), kept per process
    by key up to ``size`` entries, the least recently used dropped first. Nothing to invalidate; tests
    forget them with the copies (a rolled-back test's ids may be reused)."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._rows: dict[K, T] = {}
        self._lock = threading.Lock()
        _copies.append(self)  # type: ignore[arg-type]

    def get(self, key: K, load: Callable[[], T]) -> T:
        with self._lock:
            if key in self._rows:
                value = self._rows.pop(key)
                self._rows[key] = value  # most recently used last
                return value
        value = load()
        with self._lock:
            self._rows[key] = value
            while len(self._rows) > self.size:
                self._rows.pop(next(iter(self._rows)))
        return value

    def forget(self) -> None:
        with self._lock:
            self._rows.clear()
