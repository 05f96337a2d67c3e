from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiwang.licences.services import licences_expire


@db_periodic_task(crontab(hour="0", minute="30"))
def licences_expire_nightly() -> int:
    """Every night: valid licences past their last day become expired, each with its event."""
    return licences_expire()
