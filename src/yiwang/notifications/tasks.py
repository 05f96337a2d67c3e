from __future__ import annotations

from huey.contrib.djhuey import db_task

from yiwang.notifications.services import notification_deliver_now


@db_task(retries=3, retry_delay=60)
def notification_deliver(notification_id: int) -> list[str]:
    """SMS and e-mail for one notification; a gateway failure is retried, then kept as a TaskFailure."""
    return notification_deliver_now(notification_id=notification_id)
