"""The platform's vocabulary of roles (organisation.md): who a person is when they act.

Every layer names roles — the audit trail records them, the staff shell admits by them, the
organisation's administration is scoped by them — so the vocabulary sits at the bottom. Who holds
which role where, and what each role may do, is accounts' business (``accounts.roles``,
``accounts.authz``).
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
DEPARTMENT_SCOPED_ROLES = frozenset(
    {Role.APPROVER, Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.HANDLER, Role.DISCLOSURE_OFFICER}
)
