"""The role catalogue (organisation.md) and what each role may do in the admin.

Every staff permission is scoped by a ``RoleAssignment`` to a department and/or a region subtree;
the Django model permissions below only open the admin screens, and object-level checks in the
services narrow them to the assignment's scope.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    COMPANY = "company", _("Company user")
    CLERK = "clerk", _("General-window clerk")
    APPROVER = "approver", _("Approver")
    DEPT_HEAD = "dept_head", _("Department head")
    DEPT_ADMIN = "dept_admin", _("Department administrator")
    CENTRE_ADMIN = "centre_admin", _("Centre administrator")
    HOTLINE_AGENT = "hotline_agent", _("Hotline agent")
    DISPATCHER = "dispatcher", _("Dispatcher")
    HANDLER = "handler", _("Handling-unit officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    DISCLOSURE_OFFICER = "disclosure_officer", _("Disclosure officer")
    TRADING_OFFICER = "trading_officer", _("Trading officer")
    EXPERT = "expert", _("Evaluation expert")
    BIDDER = "bidder", _("Bidder")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Security auditor")


PUBLIC_ROLES = frozenset({Role.CITIZEN, Role.COMPANY, Role.EXPERT, Role.BIDDER})
STAFF_ROLES = frozenset(set(Role) - PUBLIC_ROLES)
# 三员分立 (GB/T 22239-2019): no account may hold two of these.
SECURITY_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})

# Roles whose power stops at their department's records. For every other staff role the
# assignment's department is only where the person works, and the scope is its region subtree:
# a general-window clerk accepts any department's items (一窗受理), an administrator administers
# the region, a dispatcher routes to every unit.
DEPARTMENT_SCOPED_ROLES = frozenset({Role.APPROVER, Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.HANDLER})

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
