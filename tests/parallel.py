"""Races, as the tests that need them start them: many calls released at the same moment, each in its own
thread and so its own database connection.

Only PostgreSQL runs writers side by side; SQLite's IMMEDIATE transactions queue them (and its shared
in-memory test database answers "locked" instead of waiting), so race tests ask for PostgreSQL first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection

T = TypeVar("T")


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race that matters is PostgreSQL's")


def at_once(calls: list[Callable[[], T]]) -> list[T | BaseException]:
    """Runs the calls together from one barrier; what each returned or raised, in the calls' order."""
    results: list[T | BaseException | None] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # shown in the test's assertion
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results  # type: ignore[return-value]  (every slot is filled once the threads have joined)
