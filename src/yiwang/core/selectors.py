"""Reads of the platform context."""

from __future__ import annotations

from yiwang.core.models import TaskFailure


def task_failures_open_count() -> int:
    return TaskFailure.objects.filter(resolved_at__isnull=True).count()
