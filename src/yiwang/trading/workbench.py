"""Public resource trading's entry in the staff workbench: the centre's officers and the supervisors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.workbench.registry import NavEntry, register_nav

TRADING = gettext_lazy("Public resource trading")


def register() -> None:
    register_nav(
        NavEntry(
            "trading",
            TRADING,
            gettext_lazy("Trading projects"),
            "trading_staff:list",
            frozenset({Role.TRADING_OFFICER, Role.SUPERVISOR}),
            60,
        )
    )
