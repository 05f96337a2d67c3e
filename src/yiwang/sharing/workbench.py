"""Data sharing's entry in the staff workbench (its section is shared with the e-licences)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import STAFF_ROLES, Role
from yiwang.workbench.registry import NavEntry, register_nav

SHARING = gettext_lazy("E-licences and data sharing")


def register() -> None:
    register_nav(
        NavEntry(
            "sharing",
            SHARING,
            gettext_lazy("Data sharing"),
            "sharing:catalogue",
            frozenset(STAFF_ROLES - {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}),
            31,
        )
    )
