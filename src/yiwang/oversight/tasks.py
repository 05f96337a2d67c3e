from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

logger = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=10)
def aggregates_refresh() -> int:
    """Recounts the days whose records changed (oversight.aggregates)."""
    from yiwang.oversight.aggregates import dirty_days_refresh

    return dirty_days_refresh()


@db_periodic_task(crontab(minute="*/10"))
def aggregates_sweep() -> int:
    """A safety net: any day left marked (a worker stopped mid-way) is recounted."""
    from yiwang.oversight.aggregates import dirty_days_refresh

    return dirty_days_refresh()


@db_periodic_task(crontab(minute="*/10"))
def oversee() -> None:
    """Every ten minutes: 电子监察's cards (oversight.cards)."""
    from yiwang.oversight.cards import oversee as sweep

    report = sweep()
    logger.info("oversight sweep: %s", report.issued)
