from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiwang.hall import appointments

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="5"))
def slots_generate() -> None:
    """Every hour: the slots of the plans up to the release horizon (a new day appears after midnight;
    a plan changed by the centre reaches its slots within the hour)."""
    logger.info("appointment slots created: %s", appointments.slots_generate())


@db_periodic_task(crontab(minute="*/5"))
def appointments_sweep() -> None:
    """Every five minutes: missed appointments, and the reminders due."""
    missed = appointments.appointments_mark_missed()
    reminded = appointments.appointments_remind()
    logger.info("appointments: %s missed, %s reminded", missed, reminded)
