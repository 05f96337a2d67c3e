"""Reads of cases: who sees which (staff by scope, applicants their own), lists with deadlines."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from yiwang.accounts.authz import grants_of, scope_filter
from yiwang.accounts.roles import Role
from yiwang.cases.models import (
    AWAITING_RESULT_STATUSES,
    Case,
    CaseStatus,
    Decision,
    ExtensionRequest,
    MaterialState,
    ReviewTask,
    SubmittedMaterial,
    TaskState,
)
from yiwang.cases.workflow import OPEN
from yiwang.core.errors import NotFound
from yiwang.core.selectors import one_or_none

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

# Staff who see cases: window clerks and supervisors of the region, the department's approvers and head.
CASE_VIEW_ROLES = frozenset({Role.CLERK, Role.APPROVER, Role.DEPT_HEAD, Role.SUPERVISOR, Role.CENTRE_ADMIN})


def cases_visible(user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("department", "implementation", "version")
    if grants_of(user, CASE_VIEW_ROLES):
        return scope_filter(cases, user, CASE_VIEW_ROLES)
    return cases.filter(Q(applicant_account=user) | Q(agent_account=user))


def case_for(user: User, number: str) -> Case:
    case = one_or_none(cases_visible(user).filter(number=number[:40]))
    if case is None:
        raise NotFound(code="not_found")
    return case


def case_reference(number: str) -> Case:
    """A case known by its number only, for a service that reads and locks it first thing (and authorises
    the actor on what it read): one statement instead of a visibility read and then the locked one. The
    caller must answer a refusal as ``case_for`` would (404 for a case the actor may not see)."""
    return Case(number=number[:40])


def case_detail_loaded(case: Case) -> Case:
    """``case`` with what its full view shows loaded in two queries: the materials with what each
    requirement is, and the history. The case's item, implementation and department come from the
    query that found it (``cases_visible`` or a service's locked read)."""
    prefetch_related_objects(
        [case], Prefetch("materials", queryset=SubmittedMaterial.objects.select_related("requirement")), "events"
    )
    return case


def case_list(
    user: User,
    *,
    state: str = "",
    status: str = "",
    department: int | None = None,
    implementation: str = "",
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    overdue: bool | None = None,
    lookup: str = "",
) -> QuerySet[Case]:
    """Open cases (``state="open"``) most urgent first; done ones and everything together newest first.
    ``lookup`` finds a case by the start of its number or by the applicant's exact name (both indexed)."""
    cases = cases_visible(user)
    if lookup:
        cases = cases.filter(Q(number__startswith=lookup) | Q(applicant_name=lookup))
    if state == "open":
        cases = cases.filter(status__in=OPEN)
    elif state == "done":
        cases = cases.exclude(status__in=OPEN)
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
    if state == "open" or status in OPEN or overdue:
        return cases.order_by(F("due_on").asc(nulls_last=True), "pk")
    return cases.order_by("-submitted_at", "pk")


__all__ = ["CASE_VIEW_ROLES", "CaseStatus", "case_for", "case_list", "cases_visible"]


def approver_inbox(user: User) -> QuerySet[Case]:
    """The cases with an open review step of the user's departments, most urgent first."""
    departments = [g.department_id for g in grants_of(user, {Role.APPROVER}) if g.department_id]
    open_step = ReviewTask.objects.filter(case=OuterRef("pk"), state=TaskState.OPEN, department__in=departments)
    return (
        Case.objects.filter(Exists(open_step), status=CaseStatus.IN_REVIEW)
        .select_related("department", "implementation", "version")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def extension_queue(user: User) -> QuerySet[Case]:
    """Cases of the head's departments with an extension request waiting for them."""
    departments = [g.department_id for g in grants_of(user, {Role.DEPT_HEAD}) if g.department_id]
    waiting = ExtensionRequest.objects.filter(case=OuterRef("pk"), approved__isnull=True)
    return (
        Case.objects.filter(Exists(waiting), department__in=departments, status__in=OPEN)
        .select_related("department", "implementation", "version")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def ready_for_hand_out(user: User) -> QuerySet[Case]:
    """统一窗口出件: concluded cases of the clerk's region waiting for their result to be handed out."""
    return scope_filter(
        Case.objects.filter(status=CaseStatus.CONCLUDED).select_related("department", "implementation", "version"),
        user,
        {Role.CLERK},
    ).order_by("concluded_at", "pk")


QUEUES = {
    "inbox": approver_inbox,
    "extensions": extension_queue,
    "hand_out": ready_for_hand_out,
}


def case_queue(user: User, queue: str) -> QuerySet[Case]:
    """One of the work queues by name (the API's ``queue`` filter and the workbench tabs)."""
    return QUEUES[queue](user)


def case_by_number(number: str) -> Case | None:
    """A case by its number, for other contexts that record what a use served (no scope: the caller's
    own rules decide who may ask)."""
    return Case.objects.select_related("department").filter(number=number).first()


# --- reads for other contexts: the applicant's own cases (online), ratings (evaluation), instant approval --


def cases_of_account(*, user: User, done: bool = False) -> QuerySet[Case]:
    """The cases the account applied for, or applied for as someone's agent, newest first: those whose
    result the applicant still awaits (open, or decided and not yet handed out), or (``done``) the rest."""
    cases = Case.objects.filter(Q(applicant_account=user) | Q(agent_account=user)).select_related(
        "version", "department"
    )
    if done:
        return cases.exclude(status__in=AWAITING_RESULT_STATUSES).order_by("-submitted_at", "pk")
    return cases.filter(status__in=AWAITING_RESULT_STATUSES).order_by("-submitted_at", "pk")


def case_of_account(*, user: User, number: str) -> Case | None:
    """One of the account's cases (as applicant or agent) by number; ``None`` for anyone else's."""
    return (
        Case.objects.filter(Q(applicant_account=user) | Q(agent_account=user), number=number[:40])
        .select_related("version", "department", "implementation")
        .first()
    )


def case_by_applicant(*, number: str, applicant_name: str) -> Case | None:
    """The case with this number and applicant name (the public progress lookup checks the document)."""
    return (
        Case.objects.filter(number=number, applicant_name=applicant_name)
        .select_related("version", "department")
        .first()
    )


def case_materials_to_fix(*, case: Case) -> list[tuple[int, str, str]]:
    """(requirement id, material, what is wrong) of every material the applicant must send again: missing,
    defective, or promised under 容缺."""
    wanted = (MaterialState.MISSING, MaterialState.DEFECTIVE, MaterialState.PENDING)
    return [
        (m.requirement_id, m.requirement.name, m.note)
        for m in case.materials.filter(state__in=wanted).select_related("requirement")
    ]


def case_get(*, pk: int) -> Case | None:
    """A case by id with its version, department, region, implementation and window (no scope: the
    caller's own rules decide who may ask)."""
    return (
        Case.objects.select_related("version", "department", "region", "implementation", "window").filter(pk=pk).first()
    )


def cases_concluded_between(*, since: datetime, before: datetime, excluding: QuerySet[Any, Any]) -> QuerySet[Case]:
    """The cases concluded in [since, before) but those whose ids ``excluding`` yields (a query of ids, run
    as a subquery), with what a rating names: department, region, implementation, window and receiver."""
    return (
        Case.objects.filter(concluded_at__lt=before, concluded_at__gte=since)
        .exclude(pk__in=excluding)
        .select_related("department", "region", "implementation", "window", "received_by")
    )


def cases_concluded_of_applicant(*, user: User, excluding: QuerySet[Any, Any], limit: int) -> list[Case]:
    """The account's latest concluded cases (as applicant) but those whose ids ``excluding`` yields, with
    their version."""
    return list(
        Case.objects.filter(applicant_account=user, concluded_at__isnull=False)
        .exclude(pk__in=excluding)
        .select_related("version")
        .order_by("-concluded_at")[:limit]
    )


def cases_generated_concluded() -> QuerySet[Case]:
    """The concluded cases of the generated history (``demo.history.cases``: numbers with ``-H``)."""
    return Case.objects.filter(number__contains="-H", concluded_at__isnull=False)


def decisions_count(*, department: Department, start: datetime, end: datetime, item_type: str = "") -> int:
    """How many decisions (准予 or 不予, 行政许可法 §38) the competent department made in [start, end), by when
    the decision was made, whatever became of the case since. ``item_type`` (a catalogue item type, e.g.
    ``"licensing"``) keeps the cases of base items of that type only: the disclosure annual report counts
    the year's 行政许可 decisions (条例 §20(5)). Refusals to accept (不予受理) are not decisions on the
    merits and are not counted."""
    cases = Case.objects.filter(
        department=department, decided_at__gte=start, decided_at__lt=end, decision__in=Decision.values
    )
    if item_type:
        cases = cases.filter(implementation__base_item__item_type=item_type)
    return cases.count()


POPULAR_DAYS = 90
POPULAR_SECONDS = 600


def most_applied_codes(limit: int) -> list[str]:
    """The implementations most applied for in the last 90 days (the portal's 常用服务), recounted every ten
    minutes at most: one grouped query over the submission index, cached for every app server."""
    from django.core.cache import cache
    from django.db.models import Count

    def count() -> list[str]:
        since = timezone.now() - timedelta(days=POPULAR_DAYS)
        rows = (
            Case.objects.filter(submitted_at__gte=since)
            .values("version__implementation__code")
            .annotate(n=Count("pk"))
            .order_by("-n", "version__implementation__code")[:20]
        )
        return [row["version__implementation__code"] for row in rows]

    codes: list[str] = cache.get_or_set("cases:most_applied", count, POPULAR_SECONDS) or []
    return codes[:limit]
