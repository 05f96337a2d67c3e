"""The accounts admin screen writes through the services (issue 17, defect 7).

The screen is posted as the system administrator would: the change is saved, the audit trail names
them, and a bad value is refused on the re-rendered form in Chinese with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from yiwang.accounts.models import AccountKind, User
from yiwang.accounts.roles import Role
from yiwang.audit.models import AuditRecord

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"
NEW_PASSWORD = "Another-Good-Pass-7"
NO_ROLES = {  # the read-only roles inline posts its (empty) management form
    "role_assignments-TOTAL_FORMS": 0,
    "role_assignments-INITIAL_FORMS": 0,
    "role_assignments-MIN_NUM_FORMS": 0,
    "role_assignments-MAX_NUM_FORMS": 1000,
}


@pytest.fixture
def sysadmin(make_user: Callable[..., User], login: Callable[[User], Client]) -> User:
    user = make_user(Role.SYSADMIN, username="sys")
    login(user)
    return user


@pytest.fixture
def person(make_user: Callable[..., User]) -> User:
    return make_user(username="wang")


def _audited(action: str, target: User, actor: User) -> AuditRecord:
    record = AuditRecord.objects.get(action=action, object_id=str(target.pk), actor_id=actor.pk)
    assert record.actor_name == actor.username
    return record


def _change_form(user: User, **changes: Any) -> dict[str, Any]:
    form = {
        "username": user.username,
        "full_name": user.full_name,
        "kind": user.kind,
        "credit_code": "",
        "email": "",
        "is_active": "on",
        **NO_ROLES,
    }
    form.update(changes)
    return form


def test_user_admin_saves_through_the_service_and_audits(client: Client, sysadmin: User, person: User) -> None:
    """Defect 7: UserAdmin saved without a service or audit."""
    response = client.post(
        f"{USERS}{person.pk}/change/", _change_form(person, full_name="王小明", email="wang@example.cn", kind="staff")
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.email, person.kind) == ("王小明", "wang@example.cn", AccountKind.STAFF)
    changes = _audited("accounts.user_update", person, sysadmin).changes
    assert changes["kind"] == [AccountKind.NATURAL_PERSON, AccountKind.STAFF]
    assert set(changes) == {"full_name", "email", "kind"}


def test_switching_an_account_off_in_the_admin_is_the_audited_disable(
    client: Client, sysadmin: User, person: User
) -> None:
    """Defect 7: UserAdmin saved without a service or audit — "active" unticked is user_disable."""
    form = _change_form(person)
    del form["is_active"]

    assert client.post(f"{USERS}{person.pk}/change/", form).status_code == 302

    person.refresh_from_db()
    assert person.is_active is False
    assert _audited("accounts.user_disable", person, sysadmin).changes == {"is_active": [True, False]}


def test_an_account_added_in_the_admin_is_created_through_the_service(client: Client, sysadmin: User) -> None:
    """Defect 7: UserAdmin saved without a service or audit — the add form too."""
    form = {
        "username": "clerk7",
        "full_name": "李窗口",
        "kind": AccountKind.STAFF,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **NO_ROLES,
    }

    response = client.post(f"{USERS}add/", form)

    assert response.status_code == 302
    user = User.objects.get(username="clerk7")
    assert user.check_password(NEW_PASSWORD)
    assert user.must_change_password  # the administrator typed it
    _audited("accounts.user_create", user, sysadmin)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"full_name": "王\x01明"}, "此项含有不允许的字符"),
        ({"full_name": "王" * 101}, "不超过 100 字符"),
        ({"credit_code": "91110000ABCDEFGHIJ"}, "统一社会信用代码含有不允许的字符。"),
        ({"email": "wang@exa\x01mple.cn"}, "输入一个有效的 Email 地址。"),
    ],
)
def test_user_admin_refuses_a_bad_value_in_chinese(
    client: Client, sysadmin: User, person: User, changes: dict[str, Any], message: str
) -> None:
    """Defect 7: UserAdmin saved without a service or audit — and without the field rules."""
    response = client.post(f"{USERS}{person.pk}/change/", _change_form(person, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    person.refresh_from_db()
    assert (person.full_name, person.credit_code, person.email) == ("测试用户2", None, "")
    assert not AuditRecord.objects.filter(action="accounts.user_update").exists()


def test_the_add_form_refuses_a_bad_name_in_chinese(client: Client, sysadmin: User) -> None:
    """Defect 7: UserAdmin saved without a service or audit — the add form's rules."""
    form = {
        "username": "clerk7",
        "full_name": "李\x01窗口",
        "kind": AccountKind.STAFF,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **NO_ROLES,
    }

    response = client.post(f"{USERS}add/", form)

    assert response.status_code == 200
    assert "此项含有不允许的字符" in response.content.decode()
    assert not User.objects.filter(username="clerk7").exists()


def test_a_password_set_in_the_admin_goes_through_the_service(client: Client, sysadmin: User, person: User) -> None:
    """Defect 7: UserAdmin's password form saved without a service or audit."""
    url = f"{USERS}{person.pk}/password/"

    weak = client.post(url, {"usable_password": "true", "password1": "123", "password2": "123"})
    assert weak.status_code == 200
    assert "密码" in weak.content.decode() and "errorlist" in weak.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)

    response = client.post(url, {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD) and person.must_change_password
    record = _audited("accounts.password_set", person, sysadmin)
    assert NEW_PASSWORD not in str(record.changes)


@pytest.mark.parametrize("role", [Role.SECADMIN, Role.AUDITOR])
def test_the_system_administrator_leaves_the_other_two_administrators_accounts_alone(
    client: Client, sysadmin: User, make_user: Callable[..., User], role: Role
) -> None:
    """Defect 7 and 三员分立: the overseers' accounts are shown to the system administrator, not changed."""
    overseer = make_user(role, username="overseer")
    form = {
        **_change_form(overseer, full_name="改名"),
        "role_assignments-TOTAL_FORMS": 1,
        "role_assignments-INITIAL_FORMS": 1,
        "role_assignments-0-id": overseer.role_assignments.get().pk,
    }

    assert client.post(f"{USERS}{overseer.pk}/change/", form).status_code == 403
    password = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(f"{USERS}{overseer.pk}/password/", password).status_code == 403
    overseer.refresh_from_db()
    assert overseer.full_name != "改名" and overseer.check_password(PASSWORD)
    assert client.post(f"{USERS}{overseer.pk}/delete/", {"post": "yes"}).status_code == 403
