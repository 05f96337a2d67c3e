"""三员分立 through the API: only the security administrator grants and revokes, within scope."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.models import RoleAssignment
from yiwang.accounts.roles import Role
from yiwang.organisation.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def sec_headers(make_user, bearer, city: Region) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return bearer(make_user(Role.SECADMIN, username="sec", region=Region.objects.get(code="990102")))


def test_grant_list_and_revoke(client: Client, sec_headers, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk", region=Region.objects.get(code="990102"))
    response = client.post(
        "/api/v1/roles/assignments",
        {"username": "clerk", "role": "dispatcher", "region_code": "990102"},
        content_type="application/json",
        headers=sec_headers,
    )
    assert response.status_code == 201
    created = response.json()
    assert (created["role"], created["region_code"]) == ("dispatcher", "990102")
    listed = client.get("/api/v1/roles/assignments", headers=sec_headers).json()
    assert created["id"] in [item["id"] for item in listed["items"]]
    assert client.delete(f"/api/v1/roles/assignments/{created['id']}", headers=sec_headers).status_code == 204
    assert not RoleAssignment.objects.filter(pk=created["id"]).exists()


def test_separation_of_duties_is_a_409_with_its_code(client: Client, sec_headers, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.AUDITOR, username="aud", region=Region.objects.get(code="990102"))
    response = client.post(
        "/api/v1/roles/assignments",
        {"username": "aud", "role": "sysadmin", "region_code": "990102"},
        content_type="application/json",
        headers=sec_headers,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "separation_of_duties"


def test_out_of_scope_is_a_403_with_its_code(client: Client, sec_headers, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    response = client.post(
        "/api/v1/roles/assignments",
        {"username": "clerk", "role": "dispatcher", "region_code": "990103"},
        content_type="application/json",
        headers=sec_headers,
    )
    assert (response.status_code, response.json()["code"]) == (403, "out_of_scope")


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.AUDITOR, Role.CLERK])
def test_others_get_403(client: Client, make_user, bearer, role: Role) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(make_user(role))
    assert client.get("/api/v1/roles/assignments", headers=headers).status_code == 403


def test_anonymous_gets_401(client: Client) -> None:
    assert client.get("/api/v1/roles/assignments").status_code == 401
