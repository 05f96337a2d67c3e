"""Background work of the platform context, and the failure recording every task gets.

A task that raises is retried as its decorator says; after the last retry Huey emits the error
signal with no retries left, and we keep the failure in ``TaskFailure`` so it is never lost.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from typing import Any

from django.core.management import call_command
from huey import crontab, signals
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from yiwang.core.services import task_failure_record

logger = logging.getLogger(__name__)


@HUEY.on_startup()
def _warm_up() -> None:
    """A consumer loads what its tasks use before its first task (core.warmup): every worker thread
    runs this hook, the first one warms and the others wait for it."""
    from yiwang.core.warmup import warm_up

    warm_up(tasks=True)


@HUEY.signal(signals.SIGNAL_ERROR, signals.SIGNAL_TIMEOUT)
def _record_final_failure(signal: str, task: Any, exc: BaseException | None = None) -> None:
    if task.retries:
        logger.warning("task %s (%s) failed, %d retries left", task.name, task.id, task.retries)
        return
    error = exc if exc is not None else TimeoutError("task timed out")
    try:
        task_failure_record(
            task_id=task.id,
            task_name=task.name,
            args=task.args,
            kwargs=task.kwargs,
            error=error,
            traceback_text="".join(traceback.format_exception(error)),
        )
    except Exception:
        logger.exception("could not record the failure of task %s (%s)", task.name, task.id)
    logger.error("task %s (%s) failed after its last retry: %s", task.name, task.id, type(error).__name__)


@db_periodic_task(crontab(hour="3", minute="17"))
def sessions_clear() -> None:
    """Removes expired sessions every night."""
    call_command("clearsessions")


@db_task(retries=2, retry_delay=0)
def platform_probe(message: str, fail: bool = False) -> str:
    """A task operators (and tests) enqueue to prove a consumer is running."""
    if fail:
        raise RuntimeError(f"probe asked to fail: {message}")
    return f"pong: {message}"


@db_task(retries=0)
def job_run(job_id: str) -> None:
    """Runs a submitted background job (see core.jobs)."""
    from yiwang.core.jobs import job_execute

    job_execute(job_id=job_id)


@db_task(retries=3, retry_delay=10)
def figures_refresh(scope: str) -> None:
    """Recounts the marked days of one kind of figures, requested after a commit (core.dirty_days).
    Returns nothing, so no result is kept for a task queued every second."""
    from yiwang.core.dirty_days import refresh_claimed

    refresh_claimed(scope)


@db_task(retries=1, retry_delay=5)
def figures_drain() -> None:
    """The pass over every kind of figures a lost task or request leaves to (core.dirty_days)."""
    from yiwang.core.dirty_days import drain

    drain()


_started_draining = threading.Lock()


@HUEY.on_startup()
def _drain_after_start() -> None:
    """Once per consumer process (startup hooks run in each worker): a drain at once — a consumer killed
    with SIGKILL and started again finds what its lost tasks left — and the drains until the minute's
    periodic task takes over."""
    if not _started_draining.acquire(blocking=False):
        return
    from yiwang.core.dirty_days import DRAIN_SECONDS

    for delay in range(0, 60 - int(time.time()) % 60, DRAIN_SECONDS):
        figures_drain.schedule(delay=delay)


@db_periodic_task(crontab(minute="*"))
def figures_drain_every_minute() -> None:
    """Huey's periodic tasks run at most once a minute: this one drains now and schedules the drains of
    the rest of the minute, ``DRAIN_SECONDS`` apart (they survive a killed consumer in the queue)."""
    from yiwang.core.dirty_days import DRAIN_SECONDS, drain

    for delay in range(DRAIN_SECONDS, 60, DRAIN_SECONDS):
        figures_drain.schedule(delay=delay)
    drain()
