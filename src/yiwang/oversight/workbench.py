"""Oversight's entries in the staff workbench."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.workbench.registry import NavEntry, register_nav

OVERSIGHT = gettext_lazy("Oversight")
_LEADERS = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.DEPT_HEAD, Role.DEPT_ADMIN})


def register() -> None:
    register_nav(
        NavEntry(
            "oversight-dashboard", OVERSIGHT, gettext_lazy("Service performance"), "oversight:dashboard", _LEADERS, 10
        )
    )
    register_nav(NavEntry("oversight-cards", OVERSIGHT, gettext_lazy("Cards"), "oversight:cards", _LEADERS, 11))
    register_nav(
        NavEntry("oversight-exceptions", OVERSIGHT, gettext_lazy("Exceptions"), "oversight:exceptions", _LEADERS, 12)
    )
    register_nav(
        NavEntry("oversight-windows", OVERSIGHT, gettext_lazy("Window assessment"), "oversight:windows", _LEADERS, 13)
    )
