from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiwang.cases.services import cases_lapse_pending


@db_periodic_task(crontab(hour="0", minute="20"))
def cases_pending_lapse() -> int:
    """Every night: 容缺 cases whose promised materials did not arrive in time are treated as withdrawn."""
    return cases_lapse_pending()
