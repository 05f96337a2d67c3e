"""Writes of the platform context."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from yiwang.core.masking import mask_text
from yiwang.core.models import TaskFailure
from yiwang.core.signals import platform_write_audit

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def _json_or_none(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return None
    return value


def task_failure_record(
    *, task_id: str, task_name: str, args: Any, kwargs: Any, error: BaseException, traceback_text: str
) -> TaskFailure:
    """Keeps a task that has exhausted its retries where operators see it (admin, workbench)."""
    return TaskFailure.objects.create(
        task_id=task_id,
        task_name=task_name,
        arguments=_json_or_none({"args": list(args or ()), "kwargs": dict(kwargs or {})}),
        error_type=type(error).__name__,
        error_message=mask_text(str(error))[:2000],
        traceback=mask_text(traceback_text)[-20000:],
    )


@transaction.atomic
def task_failure_resolve(*, actor: User | None, failure: TaskFailure, resolution: str) -> TaskFailure:
    failure.resolved_at = timezone.now()
    failure.resolution = resolution[:200]
    failure.save(update_fields=["resolved_at", "resolution"])
    platform_write_audit(
        actor=actor,
        action="core.task_failure_resolve",
        target=failure,
        changes={"resolution": [None, failure.resolution]},
    )
    return failure
