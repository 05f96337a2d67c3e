"""Background work runs through a real Huey consumer, and a failure is never silently lost."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import pytest
from huey.contrib.djhuey import HUEY

from yiwang.core.models import TaskFailure
from yiwang.core.tasks import platform_probe

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def consumer() -> Iterator[None]:
    """A real consumer (worker threads, scheduler) on the configured storage: SQLite or Redis."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    HUEY.immediate = False
    HUEY.flush()
    worker = HUEY.create_consumer(
        workers=2, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.2, check_worker_health=False
    )
    worker.start()
    try:
        yield
    finally:
        worker.stop(graceful=True)
        HUEY.flush()
        HUEY.immediate = True
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def _wait_for(predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_task_runs_through_the_consumer(consumer: None) -> None:
    result = platform_probe("你好")
    assert result.get(blocking=True, timeout=20) == "pong: 你好"


def test_a_failing_task_is_retried_then_recorded(consumer: None, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("WARNING", logger="yiwang.core.tasks")
    result = platform_probe("总是失败", fail=True)
    assert _wait_for(lambda: TaskFailure.objects.filter(task_id=result.id).exists())
    failure = TaskFailure.objects.get(task_id=result.id)
    assert failure.task_name.endswith("platform_probe")
    assert failure.error_type == "RuntimeError"
    assert "总是失败" in failure.error_message
    assert failure.arguments == {"args": ["总是失败"], "kwargs": {"fail": True}}
    assert "Traceback" in failure.traceback
    # retries=2: two failed attempts are retried, and only the third is recorded as the failure.
    retried = [r for r in caplog.records if "retries left" in r.getMessage()]
    assert len(retried) == 2
    assert TaskFailure.objects.count() == 1


def test_immediate_mode_runs_inline_for_unit_tests() -> None:
    assert platform_probe("x").get() == "pong: x"
