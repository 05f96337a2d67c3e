"""The cases' entries in the staff workbench."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.workbench.registry import NavEntry, register_nav

CASES = gettext_lazy("Cases")


def register() -> None:
    register_nav(
        NavEntry("case-intake", CASES, gettext_lazy("Window intake"), "cases:intake", frozenset({Role.CLERK}), 10)
    )
    register_nav(
        NavEntry(
            "cases",
            CASES,
            gettext_lazy("Cases"),
            "cases:list",
            frozenset({Role.CLERK, Role.APPROVER, Role.DEPT_HEAD, Role.SUPERVISOR, Role.CENTRE_ADMIN}),
            11,
        )
    )
