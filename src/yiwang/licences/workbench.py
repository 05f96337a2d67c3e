"""The e-licences' entry in the staff workbench (its section is shared with data sharing)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.workbench.registry import NavEntry, register_nav

LICENCES = gettext_lazy("E-licences and data sharing")


def register() -> None:
    register_nav(
        NavEntry(
            "licences",
            LICENCES,
            gettext_lazy("Licences issued"),
            "licences:manage",
            frozenset({Role.APPROVER, Role.DEPT_HEAD, Role.DEPT_ADMIN}),
            30,
        )
    )
