"""The PostgreSQL backend's health check (core/postgresql/base.py): a connection used within the last second
is trusted without a ``SELECT 1``; one idle longer is checked, and replaced when the server has dropped it."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from yiwang.core.postgresql import base


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    if connection.vendor != "postgresql":
        pytest.skip("the backend of PostgreSQL deployments")
    assert settings.DATABASES["default"]["ENGINE"] == "yiwang.core.postgresql"
    made: list[bool] = []
    wrapper = connections["default"]
    usable = type(wrapper).is_usable

    def counted(self: Any) -> bool:
        result = usable(self)
        made.append(result)
        return bool(result)

    monkeypatch.setattr(type(wrapper), "is_usable", counted)
    monkeypatch.setattr(wrapper, "health_check_enabled", True)  # the test settings may leave it off
    return made


def _request(client: Client) -> None:
    """A request as a server makes it: Django's test client leaves out the handler's connection upkeep
    between requests (``close_old_connections``), which is what asks for a new health check."""
    connections["default"].close_if_unusable_or_obsolete()
    assert client.get("/api/v1/regions").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_busy_connection_is_not_checked_before_every_request(
    checks: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "HEALTH_CHECK_IDLE_SECONDS", 60.0)  # a busy machine's pauses do not count as idle
    client = Client()
    _request(client)
    checks.clear()
    for _ in range(5):
        _request(client)
    assert checks == []
    connection._last_used = time.monotonic() - 61  # type: ignore[attr-defined]
    _request(client)  # idle longer than that: checked
    assert checks == [True]


@pytest.mark.django_db(transaction=True)
def test_an_idle_connection_dropped_by_the_server_is_replaced_before_it_is_used(checks: list[bool]) -> None:
    client = Client()
    _request(client)
    backend = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    connection._last_used = time.monotonic() - base.HEALTH_CHECK_IDLE_SECONDS - 0.1  # type: ignore[attr-defined]
    checks.clear()
    _request(client)  # checked, found dropped, connected afresh: the request does not see it
    assert checks == [False]
    assert connection.connection.info.backend_pid != backend
