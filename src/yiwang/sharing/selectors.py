"""Reads of data sharing: the catalogue, a provider's access log, and what was looked up about a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from yiwang.accounts.authz import scope_filter
from yiwang.accounts.roles import Role
from yiwang.core.personal_data import lookup_digest
from yiwang.sharing.models import DataQuery, DataResource

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

# Who reads a provider's access log: its department's head and administrator, the region's
# centre administrator, and the security auditor.
LOG_ROLES = {Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.CENTRE_ADMIN}


def resources_catalogue() -> QuerySet[DataResource]:
    return DataResource.objects.filter(active=True).select_related("provider").order_by("provider__name", "name")


def resources_logged_for(user: User) -> QuerySet[DataResource]:
    """The resources whose access log ``user`` may read."""
    return scope_filter(
        DataResource.objects.select_related("provider"),
        user,
        LOG_ROLES,
        department_field="provider",
        region_field="provider__region",
    )


def resource_log(resource: DataResource, *, limit: int = 200) -> list[DataQuery]:
    return list(DataQuery.objects.filter(resource=resource).select_related("api_key")[:limit])


def _subject_digest(user: User) -> str:
    if getattr(user, "credit_code", None):
        return lookup_digest(str(user.credit_code))
    return str(getattr(user, "id_number_digest", "") or "")


def queries_about(user: User) -> list[DataQuery]:
    """For my page: every answered query of data about me (personal data is visible to its person)."""
    digest = _subject_digest(user)
    if not digest:
        return []
    return list(
        DataQuery.objects.filter(subject_digest=digest, resource__isnull=False)
        .exclude(outcome="refused")
        .select_related("resource__provider")[:50]
    )


def departments_administered(user: User) -> list[Department]:
    """The departments whose data resources ``user`` registers (their department administrator)."""
    from yiwang.organisation.selectors import department_all

    return list(scope_filter(department_all(), user, {Role.DEPT_ADMIN}, department_field="pk", region_field=None))
