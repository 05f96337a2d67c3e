"""Two-factor login (TOTP): required for the three security administrators, available to all."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD, totp_code
from yiwang.accounts.models import TotpDevice
from yiwang.accounts.roles import SECURITY_ROLES, Role
from yiwang.accounts.two_factor import totp_confirm, totp_enrol
from yiwang.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def _password_step(client: Client, username: str) -> str:
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})["Location"]


@pytest.mark.parametrize("role", sorted(SECURITY_ROLES))
def test_administrators_must_enrol_before_they_are_in(client: Client, make_user, role: Role) -> None:  # type: ignore[no-untyped-def]
    user = make_user(role, username="admin")
    assert _password_step(client, "admin") == "/accounts/login/2fa/"
    assert client.get("/workbench/").status_code == 302  # not logged in yet
    page = client.get("/accounts/login/2fa/").content.decode()
    assert "<svg" in page
    response = client.post("/accounts/login/2fa/", {"code": totp_code(user)})
    assert response.status_code == 302
    assert client.get("/workbench/").status_code == 200
    assert TotpDevice.objects.get(user=user).confirmed_at is not None


def test_an_enrolled_administrator_needs_the_current_code(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.SYSADMIN, username="admin")
    totp_enrol(user=user)
    totp_confirm(user=user, code=totp_code(user))
    assert _password_step(client, "admin") == "/accounts/login/2fa/"
    response = client.post("/accounts/login/2fa/", {"code": "000000"})
    assert response.status_code == 422
    assert "验证码错误或已过期" in response.content.decode()
    assert AuditRecord.objects.filter(action="auth.two_factor_failed").exists()
    assert client.post("/accounts/login/2fa/", {"code": totp_code(user, offset=1)}).status_code == 302


def test_a_code_is_good_only_once(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.SYSADMIN, username="admin")
    totp_enrol(user=user)
    code = totp_code(user)
    totp_confirm(user=user, code=code)
    _password_step(client, "admin")
    assert client.post("/accounts/login/2fa/", {"code": code}).status_code == 422


def test_the_second_step_does_not_outlive_its_window(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.SYSADMIN, username="admin")
    _password_step(client, "admin")
    session = client.session
    session["yiwang_2fa_since"] = 0
    session.save()
    assert client.get("/accounts/login/2fa/")["Location"] == "/accounts/login/"


def test_others_log_in_with_the_password_alone_until_they_turn_it_on(client: Client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.CLERK, username="clerk")
    assert _password_step(client, "clerk") == "/workbench/"
    page = client.get("/accounts/2fa/").content.decode()
    assert "<svg" in page
    response = client.post("/accounts/2fa/", {"code": totp_code(user)}, follow=True)
    assert "双因素登录已开启。" in response.content.decode()
    client.logout()
    assert _password_step(client, "clerk") == "/accounts/login/2fa/"


def test_wrong_codes_count_towards_the_lockout(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.SYSADMIN, username="admin")
    totp_enrol(user=user)
    totp_confirm(user=user, code=totp_code(user))
    _password_step(client, "admin")
    for _ in range(5):
        client.post("/accounts/login/2fa/", {"code": "000000"})
    response = client.post("/accounts/login/2fa/", {"code": totp_code(user, offset=1)})
    assert "登录失败次数过多" in response.content.decode()


def test_the_token_endpoint_asks_administrators_for_the_code(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.SECADMIN, username="sec")
    body = {"username": "sec", "password": PASSWORD}
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (401, "two_factor_setup_required")
    totp_enrol(user=user)
    totp_confirm(user=user, code=totp_code(user))
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.json()["code"] == "otp_required"
    response = client.post("/api/v1/auth/token", {**body, "otp": "000000"}, content_type="application/json")
    assert response.json()["code"] == "otp_invalid"
    response = client.post(
        "/api/v1/auth/token", {**body, "otp": totp_code(user, offset=1)}, content_type="application/json"
    )
    assert response.status_code == 200
