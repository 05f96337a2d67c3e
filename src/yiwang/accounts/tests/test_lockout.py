"""Lockout after repeated failures, per account and per source address (等保 2.0 level 3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from yiwang.accounts.models import LoginEvent
from yiwang.accounts.roles import Role
from yiwang.accounts.services import citizen_register

pytestmark = pytest.mark.django_db
LOCKED = "登录失败次数过多，请 15 分钟后再试。"


def _fail(client: Client, username: str, times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = client.post("/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)
        assert response.status_code == 200


def test_five_failures_lock_the_account_even_against_the_right_password(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    _fail(client, "clerk", 5)
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200
    assert LOCKED in response.content.decode()


def test_four_failures_do_not(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    _fail(client, "clerk", 4)
    assert client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}).status_code == 302


def test_the_lock_ends_after_the_window(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    _fail(client, "clerk", 5)
    LoginEvent.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}).status_code == 302


def test_a_success_clears_earlier_failures(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    _fail(client, "clerk", 4)
    assert client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}).status_code == 302
    client.logout()
    _fail(client, "clerk", 4)
    assert client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}).status_code == 302


def test_failures_count_against_the_account_whichever_identifier_is_typed(client: Client) -> None:
    citizen_register(full_name="张三", id_number="11010519491231002X", phone="13812345678", password=PASSWORD)
    _fail(client, "13812345678", 3, ip="10.0.0.1")
    _fail(client, "11010519491231002X", 2, ip="10.0.0.2")
    response = client.post(
        "/accounts/login/", {"username": "13812345678", "password": PASSWORD}, REMOTE_ADDR="10.0.0.3"
    )
    assert LOCKED in response.content.decode()


def test_a_source_address_is_locked_too(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _fail(client, name, 1, ip="10.6.6.6")
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="10.6.6.6")
    assert LOCKED in response.content.decode()
    assert (
        client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="10.7.7.7").status_code
        == 302
    )


def test_the_token_endpoint_obeys_the_same_lock_with_its_own_code(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    for _ in range(5):
        response = client.post(
            "/api/v1/auth/token", {"username": "clerk", "password": "wrong"}, content_type="application/json"
        )
        assert response.json()["code"] == "invalid_credentials"
    response = client.post(
        "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "account_locked"
    assert response.json()["details"]["retry_after_seconds"] == 900
    # The page login shares the lock.
    assert LOCKED in client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}).content.decode()


def test_the_user_sees_the_login_history(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    _fail(client, "clerk", 2, ip="10.1.1.1")
    client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2")
    content = client.get("/accounts/history/").content.decode()
    assert content.count("<strong>失败</strong>") == 2
    assert "10.2.2.2" in content
    assert "网页" in content


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_never_get_more_than_the_limit(make_user) -> None:  # type: ignore[no-untyped-def]
    import threading

    from django.db import connection

    from yiwang.accounts import backends
    from yiwang.accounts.login import login_attempt
    from yiwang.core.errors import DomainError

    if connection.vendor != "postgresql":
        pytest.skip("SQLite already serialises writers; the race is PostgreSQL's")
    make_user(Role.CLERK, username="target")
    checked = []
    original = backends.IdentityBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):  # type: ignore[no-untyped-def]
        checked.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    backends.IdentityBackend.authenticate = counting  # type: ignore[method-assign]
    try:

        def guess() -> None:
            try:
                login_attempt(request=None, login="target", password="wrong")
            except DomainError:
                pass
            finally:
                connection.close()

        threads = [threading.Thread(target=guess) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        backends.IdentityBackend.authenticate = original  # type: ignore[method-assign]
    assert len(checked) == 5
