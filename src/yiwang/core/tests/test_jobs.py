"""Background jobs: submitted, run by a worker, progress visible, outcome kept, input removed."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from yiwang.accounts.roles import Role
from yiwang.core.jobs import JobKind, JobOutcome, Progress, job_kind_register, job_progress, job_submit
from yiwang.core.models import Job, JobStatus, TaskFailure

pytestmark = pytest.mark.django_db
SEEN: dict[str, object] = {}


def _count_lines(job: Job, data: bytes, progress: Progress) -> JobOutcome:
    lines = data.decode().splitlines()
    for index, _line in enumerate(lines, start=1):
        progress(index, len(lines))
        SEEN["progress_while_running"] = job_progress(job=Job.objects.get(pk=job.pk))
    bad = [{"row": i, "message": "空行"} for i, line in enumerate(lines, start=1) if not line.strip()]
    return JobOutcome(summary={"lines": len(lines)}, errors=bad)


def _explode(job: Job, data: bytes, progress: Progress) -> JobOutcome:
    raise RuntimeError("磁盘已满 13812345678")


@pytest.fixture(autouse=True)
def kinds() -> None:
    job_kind_register(
        "test_lines",
        JobKind(
            label="数行",
            runner=_count_lines,
            summary_labels={"lines": "行数"},
            error_columns=(("row", "行"), ("message", "问题")),
        ),
    )
    job_kind_register("test_explode", JobKind(label="爆炸", runner=_explode))


def _submit(make_user, capture, kind: str, text: str):  # type: ignore[no-untyped-def]
    user = make_user(Role.SYSADMIN)
    with capture(execute=True):
        job = job_submit(kind=kind, created_by=user, upload=ContentFile(text.encode()), input_name="x.txt")
    job.refresh_from_db()
    return user, job


def test_a_job_runs_and_keeps_its_outcome(make_user, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    _user, job = _submit(make_user, django_capture_on_commit_callbacks, "test_lines", "a\nb\nc\n")
    assert job.status == JobStatus.SUCCEEDED
    assert job.summary == {"lines": 3}
    assert job.started_at and job.finished_at
    assert SEEN["progress_while_running"] == (3, 3)
    assert job_progress(job=job) is None
    assert not default_storage.exists(job.input_path)


def test_rejected_rows_fail_the_job_with_its_errors(make_user, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    _user, job = _submit(make_user, django_capture_on_commit_callbacks, "test_lines", "a\n\nc\n")
    assert job.status == JobStatus.FAILED
    assert job.errors == [{"row": 2, "message": "空行"}]


def test_a_crash_is_recorded_masked_and_the_input_removed(make_user, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    _user, job = _submit(make_user, django_capture_on_commit_callbacks, "test_explode", "x")
    assert job.status == JobStatus.FAILED
    assert job.failure == "RuntimeError: 磁盘已满 138****5678"
    assert not default_storage.exists(job.input_path)
    failure = TaskFailure.objects.get(task_name__endswith="job_run")
    assert "13812345678" not in failure.error_message + failure.traceback


def test_only_the_submitter_sees_the_job(make_user, login, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    user, job = _submit(make_user, django_capture_on_commit_callbacks, "test_lines", "a\n\n")
    page = login(user).get(f"/workbench/jobs/{job.pk}/").content.decode()
    assert "<td>2</td><td>空行</td>" in page
    other = Client()
    other.force_login(make_user(Role.SYSADMIN))
    assert other.get(f"/workbench/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/workbench/jobs/{job.pk}/status/").status_code == 404


def test_a_running_job_shows_progress_and_keeps_polling(make_user, login) -> None:  # type: ignore[no-untyped-def]
    from huey.contrib.djhuey import HUEY

    user = make_user(Role.SYSADMIN)
    job = Job.objects.create(kind="test_lines", created_by=user, status=JobStatus.RUNNING)
    HUEY.put(f"yiwang:job-progress:{job.pk}", (250, 1000))
    try:
        partial = login(user).get(f"/workbench/jobs/{job.pk}/status/").content.decode()
    finally:
        HUEY.get(f"yiwang:job-progress:{job.pk}")
    assert 'max="1000" value="250"' in partial
    assert "已处理 250 / 1000 行（25%）" in partial
    assert 'hx-trigger="every 1s"' in partial
