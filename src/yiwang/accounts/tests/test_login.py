from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD
from yiwang.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_staff_land_on_the_workbench(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/workbench/"


def test_citizens_land_on_the_portal(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CITIZEN, username="citizen")
    response = client.post("/accounts/login/", {"username": "citizen", "password": PASSWORD})
    assert response["Location"] == "/"


def test_next_is_honoured_but_only_on_this_site(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    response = client.post(
        "/accounts/login/?next=/admin/", {"username": "clerk", "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "clerk", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/workbench/"


def test_a_wrong_password_is_explained_in_chinese(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(username="someone")
    response = client.post("/accounts/login/", {"username": "someone", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_logout_is_a_post(client: Client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CLERK))
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/workbench/").status_code == 302
