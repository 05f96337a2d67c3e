"""Reads of cases: who sees which (staff by scope, applicants their own), lists with deadlines."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from yiwang.accounts.authz import grants_of, scope_filter
from yiwang.accounts.roles import Role
from yiwang.cases.models import Case, CaseStatus
from yiwang.cases.workflow import OPEN
from yiwang.core.errors import NotFound

if TYPE_CHECKING:
    from yiwang.accounts.models import User

# Staff who see cases: window clerks and supervisors of the region, the department's approvers and head.
CASE_VIEW_ROLES = frozenset({Role.CLERK, Role.APPROVER, Role.DEPT_HEAD, Role.SUPERVISOR, Role.CENTRE_ADMIN})


def cases_visible(user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("department", "implementation", "version")
    if grants_of(user, CASE_VIEW_ROLES):
        return scope_filter(cases, user, CASE_VIEW_ROLES)
    return cases.filter(Q(applicant_account=user) | Q(agent_account=user))


def case_for(user: User, number: str) -> Case:
    case = cases_visible(user).filter(number=number[:40]).first()
    if case is None:
        raise NotFound(code="not_found")
    return case


def case_list(
    user: User,
    *,
    status: str = "",
    department: int | None = None,
    implementation: str = "",
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    overdue: bool | None = None,
) -> QuerySet[Case]:
    """Most urgent first: open cases by due date, then the rest by submission."""
    cases = cases_visible(user)
    if status:
        cases = cases.filter(status=status)
    if department:
        cases = cases.filter(department_id=department)
    if implementation:
        cases = cases.filter(implementation__code=implementation[:40])
    if submitted_from:
        cases = cases.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        cases = cases.filter(submitted_at__date__lte=submitted_to)
    if overdue is not None:
        late = Q(status__in=OPEN, due_on__lt=timezone.localdate())
        cases = cases.filter(late) if overdue else cases.exclude(late)
    return cases.order_by(F("due_on").asc(nulls_last=True), "-submitted_at", "pk")


__all__ = ["CASE_VIEW_ROLES", "CaseStatus", "case_for", "case_list", "cases_visible"]


def approver_inbox(user: User) -> QuerySet[Case]:
    """The cases with an open review step of the user's departments, most urgent first."""
    departments = [g.department_id for g in grants_of(user, {Role.APPROVER}) if g.department_id]
    return (
        Case.objects.filter(status=CaseStatus.IN_REVIEW, tasks__state="open", tasks__department__in=departments)
        .select_related("department", "version")
        .distinct()
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def extension_queue(user: User) -> QuerySet[Case]:
    """Cases of the head's departments with an extension request waiting for them."""
    departments = [g.department_id for g in grants_of(user, {Role.DEPT_HEAD}) if g.department_id]
    return (
        Case.objects.filter(department__in=departments, extension_requests__approved__isnull=True)
        .exclude(extension_requests__isnull=True)
        .select_related("department", "version")
        .distinct()
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def ready_for_hand_out(user: User) -> QuerySet[Case]:
    """统一窗口出件: concluded cases of the clerk's region waiting for their result to be handed out."""
    return scope_filter(
        Case.objects.filter(status=CaseStatus.CONCLUDED).select_related("department", "version"),
        user,
        {Role.CLERK},
    ).order_by("concluded_at", "pk")
