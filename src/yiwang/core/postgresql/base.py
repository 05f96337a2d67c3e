"""Django's PostgreSQL backend, with the health check of a persistent connection made only when the
connection has been idle a while (docs/performance.md, "E-licence verification").

Django's ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first statement of every request that reuses
a connection: a round trip and a statement for PostgreSQL on every request, a sixth of a licence
verification's database work. A connection that served a request less than ``HEALTH_CHECK_IDLE_SECONDS``
ago is trusted instead. What that gives up: if PostgreSQL restarts within that second, the first request on
each such connection fails (503, "系统正在维护", by ``core.middleware.DatabaseUnavailableMiddleware``) and
Django closes the connection at the end of it, so the next request connects afresh; a connection idle longer
— the usual case after a restart at a quiet hour — is still checked and replaced before it is used.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

HEALTH_CHECK_IDLE_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    _last_used: float | None = None

    def connect(self) -> None:
        super().connect()
        self._last_used = time.monotonic()  # a new connection is known good

    def close_if_health_check_failed(self) -> None:
        now = time.monotonic()
        if (
            self.connection is not None
            and self._last_used is not None
            and now - self._last_used < HEALTH_CHECK_IDLE_SECONDS
        ):
            self._last_used = now
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
        self._last_used = now
