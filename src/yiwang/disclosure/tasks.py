from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="15", hour="*"))
def disclosure_sweep_hourly() -> dict[str, int]:
    """Every hour: cards for the §26 and §33 limits (each issued once) and the lapsed requests closed."""
    from yiwang.disclosure.services.supervision import disclosure_sweep

    result = disclosure_sweep()
    return {**result.issued, "lapsed": result.lapsed}
