"""三员分立: only the security administrator grants roles; no account holds two security roles."""

from __future__ import annotations

import pytest

from yiwang.accounts.models import RoleAssignment
from yiwang.accounts.roles import SECURITY_ROLES, Role
from yiwang.accounts.services import role_grant
from yiwang.core.errors import Conflict, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("held", sorted(SECURITY_ROLES))
@pytest.mark.parametrize("wanted", sorted(SECURITY_ROLES))
def test_no_account_holds_two_security_roles(make_user, held: Role, wanted: Role) -> None:  # type: ignore[no-untyped-def]
    user = make_user(held)
    if held == wanted:
        role_grant(actor=None, user=user, role=wanted)  # idempotent
        return
    with pytest.raises(Conflict) as error:
        role_grant(actor=None, user=user, role=wanted)
    assert error.value.code == "separation_of_duties"
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == {held}


@pytest.mark.parametrize("actor_role", [Role.SYSADMIN, Role.AUDITOR, Role.CENTRE_ADMIN])
def test_only_the_security_administrator_grants(make_user, actor_role: Role) -> None:  # type: ignore[no-untyped-def]
    actor = make_user(actor_role)
    with pytest.raises(PermissionDenied):
        role_grant(actor=actor, user=make_user(), role=Role.CLERK)


def test_the_security_administrator_grants_and_is_recorded(make_user) -> None:  # type: ignore[no-untyped-def]
    secadmin = make_user(Role.SECADMIN)
    assignment = role_grant(actor=secadmin, user=make_user(Role.CLERK), role=Role.DISPATCHER)
    assert assignment.granted_by == secadmin
