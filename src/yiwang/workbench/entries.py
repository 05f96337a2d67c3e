"""The workbench entries of the contexts that exist so far."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.models import User
from yiwang.accounts.roles import ADMIN_SITE_ROLES, STAFF_ROLES, Role
from yiwang.core.jobs import job_kind
from yiwang.core.selectors import jobs_in_progress, task_failures_open_count
from yiwang.workbench.registry import NavEntry, WorkItem, register_nav, register_task_source

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

CATALOGUE = gettext_lazy("Service item catalogue")
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


def _catalogue_reviews(user: User) -> list[WorkItem]:
    from yiwang.catalogue.models import VersionStatus
    from yiwang.catalogue.selectors import implementations_in_scope

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


register_task_source(frozenset({Role.CENTRE_ADMIN}), _catalogue_reviews)


CASES = gettext_lazy("Cases")
register_nav(NavEntry("case-intake", CASES, gettext_lazy("Window intake"), "cases:intake", frozenset({Role.CLERK}), 10))
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


LICENCES = gettext_lazy("E-licences and data sharing")
register_nav(
    NavEntry(
        "licences",
        LICENCES,
        gettext_lazy("Licences issued"),
        "licences:manage",
        frozenset({Role.APPROVER, Role.DEPT_HEAD, Role.DEPT_ADMIN}),
        30,
    )
)
register_nav(
    NavEntry(
        "sharing",
        LICENCES,
        gettext_lazy("Data sharing"),
        "sharing:catalogue",
        frozenset(STAFF_ROLES - {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}),
        31,
    )
)


HOTLINE = gettext_lazy("12345 hotline")
register_nav(
    NavEntry(
        "hotline-intake",
        HOTLINE,
        gettext_lazy("Take a call"),
        "hotline:intake",
        frozenset({Role.HOTLINE_AGENT, Role.DISPATCHER}),
        40,
    )
)
register_nav(
    NavEntry(
        "hotline-work",
        HOTLINE,
        gettext_lazy("Ticket queues"),
        "hotline:work",
        frozenset({Role.HOTLINE_AGENT, Role.DISPATCHER, Role.HANDLER, Role.SUPERVISOR}),
        41,
    )
)
register_nav(
    NavEntry(
        "hotline-dashboard",
        HOTLINE,
        gettext_lazy("KPI dashboard"),
        "hotline:dashboard",
        frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
        42,
    )
)
register_nav(
    NavEntry(
        "hotline-hotspots",
        HOTLINE,
        gettext_lazy("Hotspots and bulletin"),
        "hotline:hotspots",
        frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
        43,
    )
)
register_nav(
    NavEntry(
        "hotline-calls", HOTLINE, gettext_lazy("Import call records"), "hotline:calls", frozenset({Role.SUPERVISOR}), 44
    )
)


HALL = gettext_lazy("Service hall")
register_nav(NavEntry("hall-desk", HALL, gettext_lazy("Window calling"), "hall:desk", frozenset({Role.CLERK}), 20))
register_nav(
    NavEntry("hall-tablet", HALL, gettext_lazy("Rating device"), "evaluation:tablet", frozenset({Role.CLERK}), 21)
)

RATINGS = gettext_lazy("Service ratings")
register_nav(
    NavEntry(
        "evaluation-remediations",
        RATINGS,
        gettext_lazy("Remediation of bad ratings"),
        "evaluation:remediations",
        frozenset({Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.HANDLER, Role.CENTRE_ADMIN, Role.SUPERVISOR}),
        25,
    )
)
register_nav(
    NavEntry(
        "evaluation-ratings",
        RATINGS,
        gettext_lazy("Ratings"),
        "evaluation:ratings",
        frozenset({Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.HANDLER, Role.CENTRE_ADMIN, Role.SUPERVISOR}),
        26,
    )
)

OVERSIGHT = gettext_lazy("Oversight")
_LEADERS = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.DEPT_HEAD, Role.DEPT_ADMIN})
register_nav(
    NavEntry("oversight-dashboard", OVERSIGHT, gettext_lazy("Service performance"), "oversight:dashboard", _LEADERS, 10)
)
register_nav(NavEntry("oversight-cards", OVERSIGHT, gettext_lazy("Cards"), "oversight:cards", _LEADERS, 11))
register_nav(
    NavEntry("oversight-exceptions", OVERSIGHT, gettext_lazy("Exceptions"), "oversight:exceptions", _LEADERS, 12)
)
register_nav(
    NavEntry("oversight-windows", OVERSIGHT, gettext_lazy("Window assessment"), "oversight:windows", _LEADERS, 13)
)
