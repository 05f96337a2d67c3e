from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
def oversee() -> None:
    """Every ten minutes: 电子监察's cards (oversight.cards)."""
    from yiwang.oversight.cards import oversee as sweep

    report = sweep()
    logger.info("oversight sweep: %s", report.issued)
