"""Reads of 好差评: the ratings and remediation items a person may see, the queues of remediation, and the
figures — counts by level, 满意率, and the share of real-name 差评 tracked to closure (must be 100%)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yiwang.accounts.authz import scope_filter
from yiwang.accounts.roles import Role
from yiwang.core.errors import raise_problems
from yiwang.core.fields import date_range_problems
from yiwang.evaluation.models import (
    BAD_LEVELS,
    Appeal,
    AppealStatus,
    Rating,
    RatingStatus,
    Remediation,
    RemediationStatus,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User

READER_ROLES = {Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.HANDLER, Role.CENTRE_ADMIN, Role.SUPERVISOR}
CENTRE_ROLES = {Role.CENTRE_ADMIN, Role.SUPERVISOR}


def ratings_visible(user: User) -> QuerySet[Rating]:
    """A department's people see its ratings; the centre sees its region's."""
    return scope_filter(Rating.objects.all(), user, READER_ROLES)


def remediations_visible(user: User) -> QuerySet[Remediation]:
    return scope_filter(Remediation.objects.all(), user, READER_ROLES)


QUEUES: dict[str, tuple[str, ...]] = {
    "pending": (RemediationStatus.PENDING,),
    "handling": (RemediationStatus.CONTACTED, RemediationStatus.RECTIFYING),
    "return_visit": (RemediationStatus.RESOLVED,),
    "appealed": (RemediationStatus.APPEALED,),
    "done": (RemediationStatus.CLOSED, RemediationStatus.REMOVED),
}


def remediation_queue(user: User, queue: str) -> QuerySet[Remediation]:
    return (
        remediations_visible(user)
        .filter(status__in=QUEUES.get(queue, QUEUES["pending"]))
        .select_related("rating", "department")
        .order_by("contact_due" if queue == "pending" else "-opened_at", "pk")
    )


def queue_counts(user: User) -> dict[str, int]:
    counts = dict(remediations_visible(user).order_by().values_list("status").annotate(n=Count("pk")))
    return {key: sum(counts.get(s, 0) for s in statuses) for key, statuses in QUEUES.items()}


def remediation_detail(user: User, pk: int) -> Remediation | None:
    return (
        remediations_visible(user)
        .select_related("rating__case", "rating__visit", "rating__ticket", "rating__window", "department")
        .prefetch_related("events__actor", "appeals")
        .filter(pk=pk)
        .first()
    )


def pending_appeal(remediation: Remediation) -> Appeal | None:
    return next((a for a in remediation.appeals.all() if a.status == AppealStatus.PENDING), None)


def overdue_step(remediation: Remediation, now: datetime | None = None) -> str:
    """Which due time an open item has passed: contact, feedback or remedy ('' if none)."""
    now = now or timezone.now()
    if remediation.status == RemediationStatus.PENDING and now > remediation.contact_due:
        return "contact"
    if remediation.status == RemediationStatus.CONTACTED and now > remediation.feedback_due:
        return "feedback"
    if remediation.status == RemediationStatus.RECTIFYING and now > remediation.fix_due:
        return "fix"
    return ""


@dataclass
class RatingFigures:
    ratings: int
    by_level: dict[int, int]
    satisfied: int  # 非常满意, 满意 and 基本满意
    bad: int
    defaulted: int
    real_name_bad: int
    real_name_bad_closed: int

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.ratings, 2) if self.ratings else None

    @property
    def closure_rate(self) -> float | None:
        """实名差评整改率: real-name 差评 whose remediation is closed, of all real-name 差评 (target 100%)."""
        return round(100 * self.real_name_bad_closed / self.real_name_bad, 2) if self.real_name_bad else None


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


def rating_figures(queryset: QuerySet[Rating], start: date, end: date) -> RatingFigures:
    """The period's valid ratings (removed ones count nowhere): two queries. A period the calendar cannot
    count (the end first, a year 9999) is refused, whichever door asked."""
    raise_problems(date_range_problems(start, end, "start", "end"))
    low, high = _bounds(start, end)
    valid = queryset.filter(status=RatingStatus.VALID, created_at__gte=low, created_at__lt=high)
    by_level = dict(valid.order_by().values_list("level").annotate(n=Count("pk")))
    totals: dict[str, Any] = valid.aggregate(
        defaulted=Count("pk", filter=Q(defaulted=True)),
        real_name_bad=Count("pk", filter=Q(real_name=True, level__in=BAD_LEVELS)),
        real_name_bad_closed=Count(
            "pk", filter=Q(real_name=True, level__in=BAD_LEVELS, remediation__status=RemediationStatus.CLOSED)
        ),
    )
    return RatingFigures(
        ratings=sum(by_level.values()),
        by_level={level: by_level.get(level, 0) for level in (5, 4, 3, 2, 1)},
        satisfied=sum(by_level.get(level, 0) for level in (5, 4, 3)),
        bad=sum(by_level.get(level, 0) for level in BAD_LEVELS),
        defaulted=totals["defaulted"],
        real_name_bad=totals["real_name_bad"],
        real_name_bad_closed=totals["real_name_bad_closed"],
    )


def unrated_cases_of(user: User, limit: int = 10) -> list[Any]:
    """The account's concluded cases that have no rating yet (for 我的页面's 待评价)."""
    from yiwang.cases.selectors import cases_concluded_of_applicant

    rated = Rating.objects.filter(service_kind="case", rater_key="applicant", case__isnull=False).values("case_id")
    return cases_concluded_of_applicant(user=user, excluding=rated, limit=limit)


def visit_to_rate(clerk: User) -> Any:
    """The tablet's visit: the clerk's latest finished visit of today not yet rated."""
    from yiwang.hall.selectors import visit_latest_done

    rated = Rating.objects.filter(service_kind="visit", visit__isnull=False).values("visit_id")
    return visit_latest_done(clerk=clerk, day=timezone.localdate(), excluding=rated)


def appeals_pending(user: User) -> QuerySet[Appeal]:
    return scope_filter(
        Appeal.objects.filter(status=AppealStatus.PENDING).select_related(
            "remediation__rating", "remediation__department"
        ),
        user,
        CENTRE_ROLES,
        department_field=None,
        region_field="remediation__region",
    )
