"""The service hall's entry in the staff workbench (the rating device beside it is evaluation's)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.workbench.registry import NavEntry, register_nav

HALL = gettext_lazy("Service hall")


def register() -> None:
    register_nav(NavEntry("hall-desk", HALL, gettext_lazy("Window calling"), "hall:desk", frozenset({Role.CLERK}), 20))
