"""Long operations in the background, with progress a person can watch.

A context registers a runner for a job kind (``job_runner_register``); a view submits an uploaded
file (``job_submit``); a Huey worker runs it (``job_execute``); the page polls ``job_progress``.

Progress is kept in the task queue's key-value storage (SQLite file or Redis, shared by web and
worker processes) rather than in the ``Job`` row: an import writes inside one transaction, and
nothing it writes to the database is visible to the page until it commits.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from yiwang.core.masking import mask_text
from yiwang.core.models import Job, JobStatus
from yiwang.core.signals import platform_write_audit

if TYPE_CHECKING:
    from yiwang.accounts.models import User

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass
class JobOutcome:
    summary: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


Runner = Callable[[Job, bytes, Progress], JobOutcome]


@dataclass(frozen=True)
class JobKind:
    """How to run a kind of job, and how to label what it produces (in the reader's language)."""

    label: str | Promise
    runner: Runner
    summary_labels: dict[str, str | Promise] = field(default_factory=dict)
    error_columns: tuple[tuple[str, str | Promise], ...] = ()


_kinds: dict[str, JobKind] = {}


def job_kind_register(kind: str, definition: JobKind) -> None:
    _kinds[kind] = definition


def job_kind(kind: str) -> JobKind | None:
    return _kinds.get(kind)


def _progress_key(job_id: object) -> str:
    return f"yiwang:job-progress:{job_id}"


@transaction.atomic
def job_submit(*, kind: str, created_by: User | None, upload: File[bytes], input_name: str) -> Job:
    """Stores the upload and queues the job once this transaction commits."""
    if kind not in _kinds:
        raise ValueError(f"no runner for job kind {kind!r}")
    job = Job.objects.create(kind=kind, created_by=created_by, input_name=input_name[:255])
    suffix = PurePath(input_name).suffix.lower()[:10]
    job.input_path = default_storage.save(f"jobs/{job.id}/input{suffix}", upload)
    job.save(update_fields=["input_path"])
    platform_write_audit(
        actor=created_by,
        action="core.job_submit",
        target=job,
        changes={"kind": [None, kind], "file": [None, job.input_name]},
    )

    from yiwang.core.tasks import job_run

    transaction.on_commit(lambda: job_run(str(job.id)))
    return job


class _ProgressReporter:
    """Writes progress at most a few times a second, and always the last step."""

    def __init__(self, job_id: object) -> None:
        from huey.contrib.djhuey import HUEY

        self.huey = HUEY
        self.key = _progress_key(job_id)
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self.last >= 0.25:
            self.last = now
            self.huey.put(self.key, (done, total))

    def clear(self) -> None:
        self.huey.get(self.key)  # reading without peek removes it


def job_execute(*, job_id: str) -> None:
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return
    runner = _kinds[job.kind].runner
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    reporter = _ProgressReporter(job.pk)
    try:
        data = b""
        if job.input_path:
            with default_storage.open(job.input_path, "rb") as stored:
                data = stored.read()
        outcome = runner(job, data, reporter)
    except Exception as exc:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            failure=mask_text(f"{type(exc).__name__}: {exc}")[:2000],
        )
        raise  # recorded as a TaskFailure for the operators too
    else:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED if outcome.errors else JobStatus.SUCCEEDED,
            finished_at=timezone.now(),
            summary=outcome.summary,
            errors=outcome.errors,
        )
    finally:
        reporter.clear()
        if job.input_path:
            # The upload may hold personal data: keep it no longer than the job needs it.
            default_storage.delete(job.input_path)


def job_progress(*, job: Job) -> tuple[int, int] | None:
    """(done, total) while the job runs, None when unknown."""
    if job.status != JobStatus.RUNNING:
        return None
    from huey.contrib.djhuey import HUEY

    value = HUEY.get(_progress_key(job.pk), peek=True)
    if isinstance(value, tuple) and len(value) == 2:
        return int(value[0]), int(value[1])
    return None


def job_for_user(*, user: User, job_id: str) -> Job | None:
    """A job is shown only to whoever submitted it."""
    return Job.objects.filter(pk=job_id, created_by=user).first()
