"""Pages that follow a background job: its progress while it runs, its outcome when done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.core.jobs import job_for_user, job_kind, job_progress
from yiwang.core.shell import acting_user, staff_required

if TYPE_CHECKING:
    from yiwang.core.models import Job


def _context(job: Job) -> dict[str, Any]:
    kind = job_kind(job.kind)
    progress = job_progress(job=job)
    percent = round(100 * progress[0] / progress[1]) if progress and progress[1] else None
    labels = kind.summary_labels if kind else {}
    columns = kind.error_columns if kind else ()
    return {
        "job": job,
        "kind_label": kind.label if kind else job.kind,
        "progress": progress,
        "percent": percent,
        "summary": [(labels.get(key, key), value) for key, value in job.summary.items()],
        "columns": columns,
        "error_rows": [[error.get(key, "") for key, _label in columns] for error in job.errors],
    }


def _job(request: HttpRequest, job_id: UUID) -> Job:
    job = job_for_user(user=acting_user(request), job_id=str(job_id))
    if job is None:
        raise Http404
    return job


@require_GET
@staff_required
def job_detail(request: HttpRequest, job_id: UUID) -> HttpResponse:
    return render(request, "workbench/job.html", _context(_job(request, job_id)))


@require_GET
@staff_required
def job_status(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """The status block alone; HTMX polls it until the job is finished."""
    return render(request, "workbench/_job_status.html", _context(_job(request, job_id)))
