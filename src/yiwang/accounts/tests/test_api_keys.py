"""API keys for other systems: scoped, expiring, revocable, hashed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.utils import timezone

from yiwang.accounts.api_keys import ScopedApiKey, api_key_issue, api_key_revoke, api_scope_register
from yiwang.accounts.models import ApiKey
from yiwang.accounts.roles import Role
from yiwang.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def scopes() -> None:
    api_scope_register("test:read", "测试读取")
    api_scope_register("test:write", "测试写入")


def test_a_key_identifies_its_system_and_only_its_digest_is_stored(client: Client) -> None:
    raw, key = api_key_issue(actor=None, name="市大数据中心", scopes=["test:read"])
    assert raw.startswith("ywk_")
    assert raw not in (key.digest, key.prefix)
    body = client.get("/api/v1/auth/key", headers={"X-API-Key": raw}).json()
    assert (body["name"], body["scopes"]) == ("市大数据中心", ["test:read"])


@pytest.mark.parametrize("change", ["revoked", "expired", "garbage"])
def test_revoked_expired_and_wrong_keys_are_401(client: Client, change: str) -> None:
    raw, key = api_key_issue(actor=None, name="x", scopes=["test:read"])
    if change == "revoked":
        api_key_revoke(actor=None, key=key)
    elif change == "expired":
        ApiKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        raw = "ywk_" + "x" * 43
    response = client.get("/api/v1/auth/key", headers={"X-API-Key": raw})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_key_without_the_scope_is_refused_with_a_code() -> None:
    raw, _key = api_key_issue(actor=None, name="x", scopes=["test:read"])
    request: HttpRequest = RequestFactory().get("/", headers={"X-API-Key": raw})
    assert ScopedApiKey("test:read")(request) is not None
    with pytest.raises(PermissionDenied) as error:
        ScopedApiKey("test:write")(request)
    assert error.value.code == "insufficient_scope"


def test_issuing_is_the_security_administrator_s(make_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        api_key_issue(actor=make_user(Role.SYSADMIN), name="x", scopes=["test:read"])
    api_key_issue(actor=make_user(Role.SECADMIN), name="x", scopes=["test:read"])


def test_unknown_scopes_are_refused() -> None:
    with pytest.raises(ValidationFailed) as error:
        api_key_issue(actor=None, name="x", scopes=["everything"])
    assert error.value.details["errors"][0]["field"] == "scopes"


def test_the_operator_command(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("yiwang_apikey", "issue", "--name", "12345 微信渠道", "--scope", "test:write", "--days", "30")
    out = capsys.readouterr().out
    raw = re.search(r"safe channel\): (\S+)", out)
    assert raw
    prefix = ApiKey.objects.get().prefix
    call_command("yiwang_apikey", "list")
    assert "12345 微信渠道" in capsys.readouterr().out
    call_command("yiwang_apikey", "revoke", "--prefix", prefix)
    assert ApiKey.objects.get().revoked_at is not None
    with pytest.raises(CommandError):
        call_command("yiwang_apikey", "issue", "--name", "x", "--scope", "nope")
