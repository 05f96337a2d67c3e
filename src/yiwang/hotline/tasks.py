from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiwang.hotline.learning import model_train

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="10"))
def dispatch_model_retrain() -> None:
    """Every night: the dispatch suggestions learn from the day's dispatched tickets."""
    try:
        model_train()
    except ValueError as reason:  # too few tickets yet: nothing to learn
        logger.info("dispatch model not trained: %s", reason)


@db_periodic_task(crontab(minute="*/5"))
def tickets_supervise() -> None:
    """Every five minutes: reminders, cards and supervision orders (hotline.supervision)."""
    from yiwang.hotline.supervision import supervise

    report = supervise()
    logger.info("hotline sweep: %s reminded, %s overdue, %s repeated", report.reminded, report.overdue, report.repeated)


@db_periodic_task(crontab(day_of_week="1", hour="7", minute="30"))
def bulletin_weekly() -> None:
    """Every Monday morning: last week's 热线热点聚焦 as PDF and Excel, on the hotspots page."""
    from datetime import timedelta

    from django.utils import timezone

    from yiwang.hotline.reports import bulletin_publish

    bulletin_publish(end=timezone.localdate() - timedelta(days=1), days=7)
