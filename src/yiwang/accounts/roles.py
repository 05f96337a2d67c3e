"""What each role may do in the admin; the roles themselves are the platform's vocabulary (``core.roles``).

Every staff permission is scoped by a ``RoleAssignment`` to a department and/or a region subtree;
the Django model permissions below only open the admin screens, and object-level checks in the
services narrow them to the assignment's scope.
"""

from __future__ import annotations

from yiwang.core.roles import DEPARTMENT_SCOPED_ROLES, PUBLIC_ROLES, SECURITY_ROLES, STAFF_ROLES, Role

__all__ = [
    "ADMIN_SITE_ROLES",
    "DEPARTMENT_SCOPED_ROLES",
    "PERSONAL_DATA_ROLES",
    "PUBLIC_ROLES",
    "ROLE_PERMISSIONS",
    "SECURITY_ROLES",
    "STAFF_ROLES",
    "Role",
]


# Roles whose work needs a person's ID number or phone in clear (identity checks at the window,
# calling an applicant back). Everyone else sees them masked; every reveal is audited.
PERSONAL_DATA_ROLES = frozenset({Role.CLERK, Role.APPROVER, Role.HOTLINE_AGENT, Role.HANDLER})

_ORGANISATION_MODELS = ("region", "department", "servicecentre", "hall", "windowgroup", "window")


def _crud(app: str, *models_: str) -> set[str]:
    return {f"{app}.{action}_{model}" for model in models_ for action in ("add", "change", "delete", "view")}


def _view(app: str, *models_: str) -> set[str]:
    return {f"{app}.view_{model}" for model in models_}


ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    # Configuration and accounts, but never audit logs or role grants.
    Role.SYSADMIN: frozenset(
        _crud("organisation", *_ORGANISATION_MODELS)
        | {"accounts.add_user", "accounts.change_user", "accounts.view_user"}
        | {"core.view_taskfailure", "core.change_taskfailure"}
        | _crud("workcalendar", "calendarday", "calendaryear")
    ),
    # Grants and revokes roles; no business data.
    Role.SECADMIN: frozenset(_crud("accounts", "roleassignment") | {"accounts.view_user"}),
    Role.AUDITOR: frozenset(),
    Role.CENTRE_ADMIN: frozenset(
        _view("organisation", *_ORGANISATION_MODELS)
        | _crud("organisation", "hall", "windowgroup", "window")
        | _crud("hall", "queuecategory", "hallpolicy")
        | _crud("oversight", "cardrule", "assessmentweights")
        # The region's cases, read-only; archiving goes through cases.services.case_close.
        | _view("cases", "case", "submittedmaterial", "reviewtask", "casepause", "deadlinechange", "caseevent")
    ),
    Role.DEPT_ADMIN: frozenset(_view("organisation", "region", "department")),
}

# Roles that may open the Django admin at all.
ADMIN_SITE_ROLES = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perms)
