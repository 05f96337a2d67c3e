"""The one authorisation interface: may this account, in one of these roles, act on this object?

Every staff permission is held through a ``RoleAssignment`` scoped to a department and/or a region
subtree (organisation.md). An object is in scope of an assignment when

- the assignment names no department, or the object belongs to that department (for the roles in
  ``DEPARTMENT_SCOPED_ROLES``; for the others the department is only where the person works); and
- the assignment names no region, or the object lies in that region or below it.

An assignment that names neither is unrestricted for its role. Citizens and companies have no
scope: they act on their own records only (``owner_filter``).

Services call ``authorize`` before they write; selectors, views, API handlers and the admin narrow
what they show with ``scope_filter``. Both read the same assignments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from yiwang.accounts.models import RoleAssignment, User
from yiwang.accounts.roles import DEPARTMENT_SCOPED_ROLES, Role
from yiwang.core.errors import PermissionDenied

if TYPE_CHECKING:
    from yiwang.organisation.models import Department, Region

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Grant:
    role: Role
    department_id: int | None
    region_path: str | None

    def covers(self, *, department: Department | None, region: Region | None) -> bool:
        if self.department_id is not None and (department is None or department.pk != self.department_id):
            return False
        if self.region_path is not None:
            place = region if region is not None else (department.region if department is not None else None)
            if place is None or not place.path.startswith(self.region_path):
                return False
        return True


def all_grants(user: User | AnonymousUser) -> list[Grant]:
    """Every assignment of the user: one query, cached on the user object for the request.

    The user's roles (``selectors.user_roles``) are read from here too, so a request that asks
    both "which roles?" and "may they, here?" queries the assignments once.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    cache: list[Grant] | None = getattr(user, "_yiwang_grants", None)
    if cache is None:
        cache = [
            Grant(Role(role), department_id if role in DEPARTMENT_SCOPED_ROLES else None, path)
            for role, department_id, path in RoleAssignment.objects.filter(user=user).values_list(
                "role", "department_id", "region__path"
            )
        ]
        setattr(user, "_yiwang_grants", cache)  # noqa: B010 (a per-request cache on the object)
    return cache


def user_roles(*, user: User | AnonymousUser) -> frozenset[Role]:
    """The roles the account holds (from the request-cached assignments)."""
    return frozenset(grant.role for grant in all_grants(user))


def grants_of(user: User | AnonymousUser, roles: Iterable[Role]) -> list[Grant]:
    """The user's assignments of these roles."""
    wanted = set(roles)
    return [grant for grant in all_grants(user) if grant.role in wanted]


def can(
    user: User | AnonymousUser,
    roles: Iterable[Role],
    *,
    department: Department | None = None,
    region: Region | None = None,
) -> bool:
    return any(grant.covers(department=department, region=region) for grant in grants_of(user, roles))


def authorize(
    user: User | AnonymousUser,
    roles: Iterable[Role],
    *,
    department: Department | None = None,
    region: Region | None = None,
) -> None:
    """Raises PermissionDenied (code ``out_of_scope`` or ``permission_denied``) unless allowed."""
    grants = grants_of(user, roles)
    if not grants:
        raise PermissionDenied()
    if not any(grant.covers(department=department, region=region) for grant in grants):
        raise PermissionDenied(code="out_of_scope")


def scope_filter(
    queryset: QuerySet[M],
    user: User | AnonymousUser,
    roles: Iterable[Role],
    *,
    department_field: str | None = "department",
    region_field: str | None = "region",
) -> QuerySet[M]:
    """Only the rows the user's assignments cover. ``None`` for a field the model does not have:
    its dimension is then ignored; ``"pk"`` / ``"self"`` when the rows are departments / regions."""
    condition = Q()
    matched = False
    for grant in grants_of(user, roles):
        part: dict[str, Any] = {}
        if grant.department_id is not None and department_field is not None:
            key = department_field if department_field == "pk" else f"{department_field}_id"
            part[key] = grant.department_id
        if grant.region_path is not None and region_field is not None:
            key = "path__startswith" if region_field == "self" else f"{region_field}__path__startswith"
            part[key] = grant.region_path
        if not part:
            return queryset  # an unrestricted assignment
        condition |= Q(**part)
        matched = True
    return queryset.filter(condition) if matched else queryset.none()


def owner_filter(queryset: QuerySet[M], user: User | AnonymousUser, *, owner_field: str) -> QuerySet[M]:
    """A citizen or company sees only their own records."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{owner_field: user})
