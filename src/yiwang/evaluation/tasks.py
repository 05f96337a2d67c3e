from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="20"))
def ratings_default() -> None:
    """Every night, where the setting is on: unrated concluded cases count as 非常满意 (defaulted)."""
    from yiwang.evaluation.services import ratings_default as default

    logger.info("defaulted ratings: %s", default())
