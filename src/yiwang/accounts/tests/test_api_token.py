"""POST /api/v1/auth/token and bearer use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from yiwang.accounts.models import ApiToken
from yiwang.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_token_for_good_credentials_works_as_bearer(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.CLERK, username="clerk")
    response = client.post(
        "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith("yw_")
    assert body["expires_at"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json() == {"username": "clerk", "full_name": user.full_name, "kind": "staff", "roles": ["clerk"]}


def test_only_a_digest_of_the_token_is_stored(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(username="someone")
    raw = client.post(
        "/api/v1/auth/token", {"username": "someone", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    stored = ApiToken.objects.get()
    assert raw not in (stored.digest, stored.prefix)
    assert len(stored.digest) == 64


def test_wrong_password_is_a_401_with_a_chinese_message(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(username="someone")
    response = client.post(
        "/api/v1/auth/token", {"username": "someone", "password": "wrong"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["message"] == "用户名或密码错误。"


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer yw_" + "x" * 43, "Basic abc", ""])
def test_bad_tokens_are_refused(client: Client, header: str) -> None:
    response = client.get("/api/v1/auth/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_expired_and_revoked_tokens_are_refused(client: Client, make_user, bearer) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    headers = bearer(user)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    headers = bearer(user)
    ApiToken.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).update(revoked_at=timezone.now())
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_a_deactivated_account_loses_its_tokens(client: Client, make_user, bearer) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    headers = bearer(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_session_login_also_reaches_the_api(make_user, login) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.CITIZEN))
    assert client.get("/api/v1/auth/me").json()["roles"] == ["citizen"]


def test_a_token_can_be_revoked_by_its_holder(client: Client, make_user, bearer) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(make_user())
    assert client.post("/api/v1/auth/token/revoke", headers=headers).status_code == 204
    response = client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_expired_tokens_are_purged(make_user) -> None:  # type: ignore[no-untyped-def]
    from yiwang.accounts.services import api_token_issue, api_tokens_purge_expired

    user = make_user()
    api_token_issue(user=user)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(days=31))
    assert api_tokens_purge_expired() == 1
