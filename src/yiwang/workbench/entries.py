"""The workbench's own entries: the shell, the platform's pages and the platform's task sources.

Business contexts register their entries from their own ``apps.py`` (``<context>/workbench.py``).
The pages of the contexts the workbench stands on (organisation, calendar, notifications, accounts,
core) are named here by URL only: those contexts lie below the workbench and cannot import its
registry. Nothing here imports a business context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import ADMIN_SITE_ROLES, STAFF_ROLES, Role
from yiwang.core.jobs import job_kind
from yiwang.core.selectors import jobs_in_progress, task_failures_open_count
from yiwang.workbench.registry import NavEntry, WorkItem, register_nav, register_task_source

if TYPE_CHECKING:
    from yiwang.accounts.models import User

OVERVIEW = gettext_lazy("Overview")
ADMINISTRATION = gettext_lazy("Administration")
DEVELOPERS = gettext_lazy("Integration")

register_nav(NavEntry("home", OVERVIEW, gettext_lazy("My tasks"), "workbench:home", frozenset(STAFF_ROLES), 0))
register_nav(NavEntry("messages", OVERVIEW, gettext_lazy("Messages"), "notifications:inbox", frozenset(STAFF_ROLES), 1))
register_nav(
    NavEntry(
        "organisation",
        ADMINISTRATION,
        gettext_lazy("Regions and departments"),
        "admin:organisation_region_changelist",
        frozenset({Role.SYSADMIN, Role.CENTRE_ADMIN, Role.DEPT_ADMIN}),
        50,
    )
)
register_nav(
    NavEntry(
        "organisation-import",
        ADMINISTRATION,
        gettext_lazy("Import from Excel"),
        "admin:organisation_import",
        frozenset({Role.SYSADMIN}),
        51,
    )
)
register_nav(
    NavEntry(
        "halls",
        ADMINISTRATION,
        gettext_lazy("Halls and windows"),
        "admin:organisation_hall_changelist",
        frozenset({Role.SYSADMIN, Role.CENTRE_ADMIN}),
        52,
    )
)
register_nav(
    NavEntry(
        "calendar",
        ADMINISTRATION,
        gettext_lazy("Working-day calendar"),
        "admin:workcalendar_calendarday_changelist",
        frozenset({Role.SYSADMIN}),
        55,
    )
)
register_nav(NavEntry("roles", ADMINISTRATION, gettext_lazy("Roles"), "accounts:roles", frozenset({Role.SECADMIN}), 40))
register_nav(
    NavEntry(
        "task-failures",
        ADMINISTRATION,
        gettext_lazy("Failed background tasks"),
        "admin:core_taskfailure_changelist",
        frozenset({Role.SYSADMIN}),
        60,
    )
)
register_nav(
    NavEntry(
        "admin",
        ADMINISTRATION,
        gettext_lazy("System configuration"),
        "admin:index",
        ADMIN_SITE_ROLES,
        90,
    )
)
register_nav(
    NavEntry(
        "api-docs",
        DEVELOPERS,
        gettext_lazy("API documentation"),
        "api-v1:openapi-view",
        frozenset(STAFF_ROLES),
        200,
    )
)


def _failed_tasks(user: User) -> list[WorkItem]:
    count = task_failures_open_count()
    if not count:
        return []
    return [
        WorkItem(
            title=_("%(count)d background tasks failed and need attention") % {"count": count},
            url=reverse("admin:core_taskfailure_changelist") + "?resolved_at__isnull=True",
            kind=_("Operations"),
            urgency="danger",
        )
    ]


register_task_source(frozenset({Role.SYSADMIN}), _failed_tasks)


def _my_jobs(user: User) -> list[WorkItem]:
    items = []
    for job in jobs_in_progress(user=user):
        kind = job_kind(job.kind)
        items.append(
            WorkItem(
                title=f"{kind.label if kind else job.kind}：{job.input_name}",
                url=reverse("workbench:job", kwargs={"job_id": job.pk}),
                kind=_("In progress"),
                due=None,
                urgency="normal",
            )
        )
    return items


register_task_source(frozenset(STAFF_ROLES), _my_jobs)
