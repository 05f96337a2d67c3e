"""Readiness checks: is each dependency this process needs reachable right now?"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import connections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""


def check_database(alias: str = "default") -> CheckResult:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"; the type is enough for operators
        logger.warning("readiness: database %s unreachable: %s", alias, type(exc).__name__)
        return CheckResult("database", False, type(exc).__name__)
    return CheckResult("database", True)


def check_task_queue() -> CheckResult:
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.pending_count()
    except Exception as exc:
        logger.warning("readiness: task queue unreachable: %s", type(exc).__name__)
        return CheckResult("task_queue", False, type(exc).__name__)
    return CheckResult("task_queue", True)


def readiness() -> list[CheckResult]:
    return [check_database(), check_task_queue()]
