from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="15", hour="*"))
def disclosure_sweep_hourly() -> dict[str, int]:
    """Every hour: cards for the §26 and §33 limits (each issued once) and the lapsed requests closed."""
    from yiwang.disclosure.services.supervision import disclosure_sweep

    result = disclosure_sweep()
    return {**result.issued, "lapsed": result.lapsed}


@db_periodic_task(crontab(minute="40", hour="*"))
def disclosure_feeds_hourly() -> dict[str, int]:
    """Every hour: the service guides, trading notices and results and 12345 bulletins published since
    are entered into the disclosure catalogue under their index numbers."""
    from yiwang.disclosure.feeds import feeds_collect

    return feeds_collect().__dict__
