from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yiwang.accounts.services import api_tokens_purge_expired


@db_periodic_task(crontab(hour="4", minute="7"))
def api_tokens_purge() -> int:
    """Deletes tokens that expired more than 30 days ago, every night."""
    return api_tokens_purge_expired()
