"""The authorisation interface as the contexts below accounts reach it.

Who holds which role where is accounts' table, and ``accounts.authz`` answers every question about
it. The contexts beneath accounts — core, audit, notifications, organisation — need the same
answers (the audit trail records the actor's roles, the organisation's administration is scoped by
region) but may not import upwards; they ask through this port, which accounts fills in when the
app registry is ready (``AccountsConfig.ready``). Contexts above accounts import ``accounts.authz``.

The functions mirror ``accounts.authz`` one for one, so a refusal here is the same refusal, with
the same codes (``permission_denied``, ``out_of_scope``). Nothing may ask before the app registry is
ready (an app's ``ready()`` runs before accounts' if it is listed earlier): it raises rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db.models import Model, QuerySet

from yiwang.core.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department, Region

M = TypeVar("M", bound=Model)


class Authorisation(Protocol):
    """What accounts provides; ``accounts.authz`` is the implementation."""

    def user_roles(self, *, user: User | AnonymousUser) -> frozenset[Role]: ...

    def authorize(
        self,
        user: User | AnonymousUser,
        roles: Iterable[Role],
        *,
        department: Department | None = None,
        region: Region | None = None,
    ) -> None: ...

    def scope_filter(
        self,
        queryset: QuerySet[Any],
        user: User | AnonymousUser,
        roles: Iterable[Role],
        *,
        department_field: str | None = "department",
        region_field: str | None = "region",
    ) -> QuerySet[Any]: ...


_installed: Authorisation | None = None


def authorisation_install(implementation: Authorisation) -> None:
    global _installed
    _installed = implementation


def _implementation() -> Authorisation:
    if _installed is None:
        raise RuntimeError("no authorisation installed: is yiwang.accounts in INSTALLED_APPS?")
    return _installed


def user_roles(*, user: User | AnonymousUser) -> frozenset[Role]:
    """The roles the account holds (none for an anonymous visitor)."""
    return _implementation().user_roles(user=user)


def user_has_role(*, user: User | AnonymousUser, roles: Iterable[Role]) -> bool:
    return bool(user_roles(user=user) & frozenset(roles))


def authorize(
    user: User | AnonymousUser,
    roles: Iterable[Role],
    *,
    department: Department | None = None,
    region: Region | None = None,
) -> None:
    """Raises PermissionDenied (``permission_denied`` or ``out_of_scope``) unless one of the user's
    assignments of these roles covers the department and region."""
    _implementation().authorize(user, roles, department=department, region=region)


def scope_filter(
    queryset: QuerySet[M],
    user: User | AnonymousUser,
    roles: Iterable[Role],
    *,
    department_field: str | None = "department",
    region_field: str | None = "region",
) -> QuerySet[M]:
    """Only the rows the user's assignments of these roles cover (see ``accounts.authz.scope_filter``)."""
    return _implementation().scope_filter(
        queryset, user, roles, department_field=department_field, region_field=region_field
    )
