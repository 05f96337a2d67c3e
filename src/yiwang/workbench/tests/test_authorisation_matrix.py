"""Every role against every protected page and endpoint. Later issues add their rows.

Expected answers: 200 allowed; 302 sent to login (anonymous); 403 refused.
"""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.roles import ADMIN_SITE_ROLES, STAFF_ROLES, Role

pytestmark = pytest.mark.django_db

ANONYMOUS = None
CATALOGUE_STAFF = frozenset({Role.DEPT_ADMIN, Role.CENTRE_ADMIN})

# path -> the roles allowed; everyone else logged in gets 403 (admin pages redirect to login).
PROTECTED: dict[str, frozenset[Role]] = {
    "/workbench/": frozenset(STAFF_ROLES),
    "/workbench/tasks/": frozenset(STAFF_ROLES),
    "/admin/": frozenset(ADMIN_SITE_ROLES),
    "/admin/organisation/region/": frozenset({Role.SYSADMIN, Role.CENTRE_ADMIN, Role.DEPT_ADMIN}),
    "/admin/organisation/region/import/": frozenset({Role.SYSADMIN}),
    "/admin/organisation/hall/": frozenset({Role.SYSADMIN, Role.CENTRE_ADMIN}),
    "/admin/accounts/user/": frozenset({Role.SYSADMIN, Role.SECADMIN}),
    "/admin/core/taskfailure/": frozenset({Role.SYSADMIN}),
    "/api/v1/auth/me": frozenset(Role),
    "/api/v1/roles/assignments": frozenset({Role.SECADMIN}),
    "/accounts/roles/": frozenset({Role.SECADMIN}),
    "/audit/": frozenset({Role.AUDITOR}),
    "/audit/export.xlsx": frozenset({Role.AUDITOR}),
    "/accounts/history/": frozenset(Role),
    "/accounts/password/": frozenset(Role),
    "/accounts/2fa/": frozenset(Role),
    "/accounts/profile/": frozenset(Role),
    "/accounts/agents/": frozenset(Role),
    "/notifications/": frozenset(Role),
    "/workbench/catalogue/": CATALOGUE_STAFF,
    "/workbench/catalogue/import/": CATALOGUE_STAFF,
    "/workbench/catalogue/export.xlsx": CATALOGUE_STAFF,
    "/workbench/catalogue/template.xlsx": CATALOGUE_STAFF,
    "/workbench/catalogue/statistics/": frozenset(STAFF_ROLES),
    "/api/v1/catalogue/manage/implementations": CATALOGUE_STAFF,
    "/api/v1/cases": frozenset(Role),  # staff see their scope, applicants their own cases
    "/workbench/cases/": frozenset({Role.CLERK, Role.APPROVER, Role.DEPT_HEAD, Role.SUPERVISOR, Role.CENTRE_ADMIN}),
    "/workbench/cases/intake/": frozenset({Role.CLERK}),
}


def _expected(path: str, role: Role | None) -> set[int]:
    allowed = PROTECTED[path]
    if role in allowed:
        return {200}
    if path.startswith("/api/"):
        return {401} if role is None else {403}
    if role is None:
        return {302}
    return {403}


def test_no_redirect_loop_for_logged_in_users_without_admin_access(make_user, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.CITIZEN))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 0


@pytest.mark.parametrize("path", sorted(PROTECTED))
@pytest.mark.parametrize("role", [ANONYMOUS, *sorted(Role)])
def test_authorisation_matrix(path: str, role: Role | None, make_user, client: Client) -> None:  # type: ignore[no-untyped-def]
    if role is not None:
        client.force_login(make_user(role))
    status = client.get(path).status_code
    assert status in _expected(path, role), f"{role} on {path}: {status}"
