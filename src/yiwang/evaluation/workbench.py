"""The ratings' entries in the staff workbench, with the rating device in the service hall's section."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.workbench.registry import NavEntry, register_nav

HALL = gettext_lazy("Service hall")
RATINGS = gettext_lazy("Service ratings")
_RATINGS_ROLES = frozenset({Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.HANDLER, Role.CENTRE_ADMIN, Role.SUPERVISOR})


def register() -> None:
    register_nav(
        NavEntry("hall-tablet", HALL, gettext_lazy("Rating device"), "evaluation:tablet", frozenset({Role.CLERK}), 21)
    )
    register_nav(
        NavEntry(
            "evaluation-remediations",
            RATINGS,
            gettext_lazy("Remediation of bad ratings"),
            "evaluation:remediations",
            _RATINGS_ROLES,
            25,
        )
    )
    register_nav(
        NavEntry("evaluation-ratings", RATINGS, gettext_lazy("Ratings"), "evaluation:ratings", _RATINGS_ROLES, 26)
    )
