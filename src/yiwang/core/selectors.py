"""Reads of the platform context."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from yiwang.core.models import Job, JobStatus, TaskFailure

M = TypeVar("M", bound=Model)

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def task_failures_open_count() -> int:
    return TaskFailure.objects.filter(resolved_at__isnull=True).count()


def jobs_in_progress(*, user: User) -> QuerySet[Job]:
    return Job.objects.filter(created_by=user, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).order_by("created_at")


def one_or_none(queryset: QuerySet[M]) -> M | None:
    """The one row of a lookup by a unique key, or ``None``. Unlike ``first()``, which orders by the
    model's default ordering to choose, the statement has no ORDER BY: on hot paths the ordering's
    compilation costs more than the query (docs/performance.md)."""
    try:
        return queryset.get()
    except ObjectDoesNotExist:  # the model's DoesNotExist
        return None
