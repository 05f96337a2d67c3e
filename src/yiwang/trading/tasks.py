from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiwang.trading.services import projects_close_due


@db_periodic_task(crontab(minute="*"))
def projects_close_every_minute() -> int:
    """Every minute: projects past their bid deadline are closed and their Merkle root signed (bids
    after the deadline are refused by the upload itself, so this only publishes the closing)."""
    return projects_close_due()


@db_periodic_task(crontab(minute="*/10"))
def supervise_every_ten_minutes() -> dict[str, int]:
    """Every ten minutes: the e-supervision sweep (trading.services.supervision); it issues each card once."""
    from yiwang.trading.services.supervision import supervise

    return supervise().issued
