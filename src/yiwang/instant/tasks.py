"""Instant approval runs in a worker right after the submission commits."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from yiwang.instant.services import instant_evaluate


@db_task(retries=2, retry_delay=5)
def instant_evaluate_task(case_id: int) -> None:
    instant_evaluate(case_id)
