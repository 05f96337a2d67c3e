"""The catalogue's entries in the staff workbench: its pages and the versions waiting for review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.catalogue.models import VersionStatus
from yiwang.catalogue.selectors import implementations_in_scope
from yiwang.workbench.registry import NavEntry, WorkItem, register_nav, register_task_source

if TYPE_CHECKING:
    from yiwang.accounts.models import User

CATALOGUE = gettext_lazy("Service item catalogue")


def _catalogue_reviews(user: User) -> list[WorkItem]:
    count = implementations_in_scope(user, status=VersionStatus.REVIEW).count()
    if not count:
        return []
    return [
        WorkItem(
            title=_("%(count)d catalogue versions wait for review") % {"count": count},
            url=reverse("catalogue:manage") + "?status=review",
            kind=_("Catalogue"),
            urgency="warn",
        )
    ]


def register() -> None:
    register_nav(
        NavEntry(
            "catalogue",
            CATALOGUE,
            gettext_lazy("Implementations"),
            "catalogue:manage",
            frozenset({Role.DEPT_ADMIN, Role.CENTRE_ADMIN}),
            20,
        )
    )
    register_nav(
        NavEntry(
            "catalogue-statistics",
            CATALOGUE,
            gettext_lazy("Catalogue statistics"),
            "catalogue:statistics",
            frozenset({Role.DEPT_ADMIN, Role.CENTRE_ADMIN, Role.SUPERVISOR}),
            21,
        )
    )
    register_task_source(frozenset({Role.CENTRE_ADMIN}), _catalogue_reviews)
