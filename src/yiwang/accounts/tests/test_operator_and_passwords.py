"""The operator command, first-login and periodic password change, idle timeout, complexity."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, totp_code
from yiwang.accounts.models import ApiToken, User
from yiwang.accounts.roles import Role
from yiwang.accounts.validators import CharacterClassesValidator

pytestmark = pytest.mark.django_db
NEW = "Another-Good-Pass-7"


def _create(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    call_command("yiwang_user", "create", *args)
    out = capsys.readouterr().out
    match = re.search(r"first login\): (\S+)", out)
    assert match, out
    return match.group(1)


def test_an_operator_creates_the_first_security_administrator(client: Client, capsys) -> None:  # type: ignore[no-untyped-def]
    initial = _create(capsys, "--username", "sec", "--role", "secadmin", "--full-name", "蒋安全")
    user = User.objects.get(username="sec")
    assert user.must_change_password
    assert list(user.role_assignments.values_list("role", flat=True)) == ["secadmin"]
    # The password is the first factor; the security administrator must enrol a second one.
    response = client.post("/accounts/login/", {"username": "sec", "password": initial})
    assert response["Location"] == "/accounts/login/2fa/"
    assert "扫描" in client.get("/accounts/login/2fa/").content.decode()
    assert client.post("/accounts/login/2fa/", {"code": totp_code(user)}).status_code == 302
    # The initial password then works only to set a new one.
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/", {"old_password": initial, "new_password": NEW, "new_password_again": NEW}
    )
    assert response["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200


def test_staff_with_a_department_scope(capsys, city) -> None:  # type: ignore[no-untyped-def]
    from yiwang.organisation.models import Department

    market = Department.objects.get(short_name="市场监管局")
    _create(capsys, "--username", "wang", "--role", "approver", "--department", market.credit_code.lower())
    assert User.objects.get(username="wang").role_assignments.get().department == market


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--username", "x", "--role", "approver", "--department", "91110108551385082Q"], "No department"),
        (["--username", "x", "--role", "approver", "--region", "123456"], "No region"),
    ],
)
def test_create_refuses_unknown_scopes(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("yiwang_user", "create", *args)
    assert not User.objects.filter(username="x").exists()


def test_a_taken_username_is_refused(make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(username="taken")
    with pytest.raises(CommandError, match="该用户名已被使用"):
        call_command("yiwang_user", "create", "--username", "taken", "--role", "clerk")


def test_list_and_disable(make_user, bearer, capsys, client: Client) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.CLERK, username="clerk")
    headers = bearer(user)
    call_command("yiwang_user", "list")
    assert re.search(r"clerk\s+staff\s+active\s+clerk", capsys.readouterr().out)
    call_command("yiwang_user", "disable", "--username", "clerk")
    assert not User.objects.get(username="clerk").is_active
    assert ApiToken.objects.get().revoked_at is not None
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_staff_passwords_expire(client: Client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.CLERK)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    login(User.objects.get(pk=user.pk))
    assert client.get("/workbench/")["Location"] == "/accounts/password/"
    assert "请先设置新密码" in client.get("/accounts/password/").content.decode()


def test_password_change_says_what_is_wrong(client: Client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CLERK))
    response = client.post(
        "/accounts/password/", {"old_password": "nope", "new_password": "abc", "new_password_again": "abc"}
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "当前密码不正确。" in content
    assert "至少使用以下 3 类字符" in content
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password": PASSWORD, "new_password_again": PASSWORD}
    )
    assert "新密码不能与当前密码相同。" in response.content.decode()


def test_staff_are_logged_out_after_thirty_idle_minutes(client: Client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CLERK))
    assert client.get("/workbench/").status_code == 200
    session = client.session
    session["yiwang_last_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get("/workbench/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "由于 30 分钟未操作，您已退出登录。" in response.content.decode()


def test_citizens_are_not_timed_out_by_the_staff_rule(client: Client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CITIZEN))
    client.get("/")
    session = client.session
    session["yiwang_last_seen"] = time.time() - 31 * 60
    session.save()
    assert client.get("/api/v1/auth/me").status_code == 200


@pytest.mark.parametrize(
    ("password", "ok"), [("abcdefgh1", False), ("abcdEFGH1", True), ("abcd-efg1", True), ("ABCD-EFGH", False)]
)
def test_character_classes(password: str, ok: bool) -> None:
    validator = CharacterClassesValidator(3)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as error:
            validator.validate(password)
        assert error.value.code == "password_too_simple"
