from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yiwang.audit.services import audit_anchor, audit_seal


@db_task(retries=3, retry_delay=5)
def audit_seal_task() -> int:
    """Seals what has been written since the last run (queued when records commit)."""
    return audit_seal()


@db_periodic_task(crontab(minute="*"))
def audit_seal_periodic() -> int:
    """Catches anything the queued runs missed, every minute, and anchors the head if a crash between a
    seal's commit and its anchor left it out of the file."""
    sealed = audit_seal()
    audit_anchor()
    return sealed
