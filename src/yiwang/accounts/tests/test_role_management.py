"""The security administrator's role management (三员分立), through the page and the service."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.models import RoleAssignment
from yiwang.accounts.roles import Role
from yiwang.accounts.services import role_grant, role_revoke
from yiwang.audit.models import AuditRecord
from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.organisation.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def secadmin(make_user, city: Region):  # type: ignore[no-untyped-def]
    return make_user(Role.SECADMIN, username="sec", region=Region.objects.get(code="990102"))


def test_grant_and_revoke_within_the_region(secadmin, make_user) -> None:  # type: ignore[no-untyped-def]
    east = Region.objects.get(code="990102")
    clerk = make_user(Role.CLERK, username="clerk")
    assignment = role_grant(actor=secadmin, user=clerk, role=Role.DISPATCHER, region=east)
    assert assignment.granted_by == secadmin
    role_revoke(actor=secadmin, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert list(
        AuditRecord.objects.filter(action__in=["accounts.role_grant", "accounts.role_revoke"], actor_name="sec")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["accounts.role_grant", "accounts.role_revoke"]


def test_a_grant_outside_the_region_is_refused(secadmin, make_user) -> None:  # type: ignore[no-untyped-def]
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied) as error:
        role_grant(actor=secadmin, user=clerk, role=Role.DISPATCHER, region=Region.objects.get(code="990103"))
    assert error.value.code == "out_of_scope"
    with pytest.raises(PermissionDenied):  # an unrestricted role is beyond a regional administrator
        role_grant(actor=secadmin, user=clerk, role=Role.DISPATCHER)


def test_nobody_changes_their_own_roles(secadmin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied) as error:
        role_grant(actor=secadmin, user=secadmin, role=Role.CLERK, region=Region.objects.get(code="990102"))
    assert error.value.code == "own_roles"


def test_roles_go_to_staff_only(secadmin, make_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed):
        role_grant(
            actor=secadmin, user=make_user(Role.CITIZEN), role=Role.CLERK, region=Region.objects.get(code="990102")
        )


def test_the_page_grants_and_shows_errors_in_chinese(client: Client, secadmin, make_user, login) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    login(secadmin)
    east = Region.objects.get(code="990102")
    response = client.post(
        "/accounts/roles/", {"username": "clerk", "role": "dispatcher", "region": east.pk}, follow=True
    )
    assert "角色已授予。" in response.content.decode()
    response = client.post("/accounts/roles/", {"username": "nobody", "role": "clerk", "region": east.pk})
    assert "没有此用户名的账户。" in response.content.decode()


def test_separation_of_duties_holds_on_the_page(client: Client, secadmin, make_user, login) -> None:  # type: ignore[no-untyped-def]
    east = Region.objects.get(code="990102")
    make_user(Role.AUDITOR, username="aud", region=east)
    login(secadmin)
    response = client.post("/accounts/roles/", {"username": "aud", "role": "sysadmin", "region": east.pk})
    assert "同一账户只能担任系统管理员、安全管理员、安全审计员中的一个角色（三员分立）。" in response.content.decode()


def test_the_system_administrator_cannot_open_role_management(client: Client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.SYSADMIN))
    assert client.get("/accounts/roles/").status_code == 403


def test_the_page_offers_revocation_only_where_the_service_allows_it(
    client: Client, secadmin, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    inside = make_user(Role.CLERK, username="inside", region=Region.objects.get(code="990102"))
    outside = make_user(Role.CLERK, username="outside", region=Region.objects.get(code="990103"))
    login(secadmin)
    content = client.get("/accounts/roles/").content.decode()
    revoke_urls = {
        f"/accounts/roles/{a.pk}/revoke/"
        for a in RoleAssignment.objects.all()
        if f"/accounts/roles/{a.pk}/revoke/" in content
    }
    assert revoke_urls == {f"/accounts/roles/{inside.role_assignments.get().pk}/revoke/"}
    assert outside.role_assignments.get().pk not in {int(u.split("/")[3]) for u in revoke_urls}
