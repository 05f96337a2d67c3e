"""Reads of the platform context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from yiwang.core.models import Job, JobStatus, TaskFailure

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def task_failures_open_count() -> int:
    return TaskFailure.objects.filter(resolved_at__isnull=True).count()


def jobs_in_progress(*, user: User) -> QuerySet[Job]:
    return Job.objects.filter(created_by=user, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).order_by("created_at")
