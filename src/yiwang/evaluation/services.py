"""Writes of 好差评: a rating of a case, a window visit or a hotline ticket from every channel, its
amendment within the configured days, and the 差评 it may open for remediation (docs/hall.md §3).

One rating per service per rater (GB/T 39734 一次一评、一事一评): a case is rated by its applicant
(online, or by the case's link or QR code, which stands for the applicant), a visit by whoever stood at
the window (the window's rating device), a ticket by its caller (the hotline's follow-up)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, raise_problems
from yiwang.evaluation.models import (
    BAD_LEVELS,
    OFFLINE_DIMENSIONS,
    ONLINE_DIMENSIONS,
    Level,
    Rating,
    RatingChannel,
    ServiceKind,
)
from yiwang.evaluation.workflow import RATING_WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.cases.models import Case
    from yiwang.hall.models import QueueTicket
    from yiwang.hotline.models import FollowUp, Ticket

LINK_SALT = "yiwang.evaluation.case-link"
LINK_MAX_AGE = 180 * 24 * 3600  # a notice's QR code stays usable for half a year


@dataclass(frozen=True)
class Given:
    """What the rater says: the level, the dimensions' levels and a comment."""

    level: int
    scores: dict[str, int] | None = None
    comment: str = ""


@dataclass(frozen=True)
class Responsible:
    """谁办理谁负责: who a rating concerns, copied onto it when it is given."""

    department: Any = None
    region: Any = None
    window: Any = None
    staff: Any = None
    implementation: Any = None


def _clean(given: Given, dimensions: dict[str, Any]) -> tuple[int, dict[str, int], str]:
    problems: list[tuple[str, str]] = []
    if given.level not in Level.values:
        problems.append(("level", _("Choose one of the five levels, from very satisfied to very dissatisfied.")))
    scores: dict[str, int] = {}
    for key, value in (given.scores or {}).items():
        if key not in dimensions:
            problems.append(("scores", _("Unknown dimension: %(key)s.") % {"key": str(key)[:30]}))
        elif value not in Level.values:
            problems.append(("scores", _("Each dimension is rated on the same five levels.")))
        else:
            scores[key] = int(value)
    comment = given.comment.strip()
    if len(comment) > 500:
        problems.append(("comment", _("The comment is at most 500 characters.")))
    if given.level in BAD_LEVELS and not comment:
        problems.append(("comment", _("Please tell us what went wrong, so that it can be put right.")))
    raise_problems(problems)
    return int(given.level), scores, comment


def _create(
    *, kind: str, obj: Any, rater: User | None, rater_key: str, real_name: bool, channel: str, given: Given,
    dimensions: dict[str, Any], responsible: Responsible, now: datetime | None = None, defaulted: bool = False,
) -> Rating:  # fmt: skip
    level, scores, comment = _clean(given, dimensions)
    now = now or timezone.now()
    rating = Rating(
        service_kind=kind, service_ref=f"{kind}:{obj.pk}", rater=rater, rater_key=rater_key, real_name=real_name,
        channel=channel, level=level, scores=scores, comment=comment, defaulted=defaulted,
        department=responsible.department, region=responsible.region, window=responsible.window,
        staff=responsible.staff, implementation=responsible.implementation, created_at=now,
        amendable_until=now + timedelta(days=settings.YIWANG_RATING_AMEND_DAYS),
    )  # fmt: skip
    setattr(rating, kind, obj)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise Conflict(
            _("This service has already been rated; you may amend your rating within %(days)s days.")
            % {"days": settings.YIWANG_RATING_AMEND_DAYS},
            code="already_rated",
        ) from None
    audit_record(
        actor=rater, action="evaluation.rate", target=rating, changes={"level": [None, level]},
        actor_name="" if rater else rater_key.split(":")[0],
    )  # fmt: skip
    if rating.is_bad:
        from yiwang.evaluation.remediation import remediation_open

        remediation_open(rating, now=now)
    return rating


# --- cases -------------------------------------------------------------------------------------------


def case_link_token(case: Case) -> str:
    """The token of a case's rating link and QR code (printed on notices, sent at conclusion)."""
    return signing.dumps({"c": case.pk}, salt=LINK_SALT, compress=True)


def case_from_link(token: str) -> Case:
    from yiwang.cases.selectors import case_get

    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        raise NotFound(_("This rating link is not valid or has expired."), code="bad_link") from None
    case = case_get(pk=data.get("c"))
    if case is None:
        raise NotFound(_("This rating link is not valid or has expired."), code="bad_link")
    return case


def _case_rateable(case: Case) -> None:
    from yiwang.cases.choices import CaseStatus

    if case.concluded_at is None and case.status not in (
        CaseStatus.REFUSED,
        CaseStatus.WITHDRAWN,
        CaseStatus.TERMINATED,
    ):
        raise Conflict(_("A case is rated once it has been concluded."), code="not_concluded")


def _case_responsible(case: Case) -> Responsible:
    return Responsible(
        department=case.department, region=case.region, window=case.window, staff=case.received_by,
        implementation=case.implementation,
    )  # fmt: skip


@transaction.atomic
def rating_for_case(
    *, case: Case, given: Given, channel: str, actor: User | None = None, link_token: str = "",
    now: datetime | None = None,
) -> Rating:  # fmt: skip
    """一事一评: the applicant rates the case — online (their account, or as its agent) or through the
    case's link or QR code (the token stands for the applicant)."""
    if channel == RatingChannel.ONLINE:
        if actor is None or actor.pk not in (case.applicant_account_id, case.agent_account_id):
            raise PermissionDenied(_("Only the applicant of this case can rate it."), code="not_your_case")
    elif channel == RatingChannel.QR:
        if case_from_link(link_token).pk != case.pk:
            raise PermissionDenied(_("Only the applicant of this case can rate it."), code="not_your_case")
    else:
        raise PermissionDenied()
    _case_rateable(case)
    dimensions = ONLINE_DIMENSIONS if case.channel != "window" else OFFLINE_DIMENSIONS
    return _create(
        kind=ServiceKind.CASE, obj=case, rater=actor, rater_key="applicant", real_name=True, channel=channel,
        given=given, dimensions=dimensions, responsible=_case_responsible(case), now=now,
    )  # fmt: skip


# --- window visits ------------------------------------------------------------------------------------


def _visit_responsible(visit: QueueTicket) -> Responsible:
    from yiwang.hall.selectors import visit_cases

    group = visit.window.group if visit.window else visit.category.group
    cases = visit_cases(visit=visit)
    if len(cases) == 1:  # the visit handled one case: its department answers for it
        case = cases[0]
        return Responsible(case.department, case.region, visit.window, visit.clerk, case.implementation)
    department = group.department or visit.hall.centre.department
    return Responsible(department, visit.hall.centre.region, visit.window, visit.clerk, None)


@transaction.atomic
def rating_for_visit(*, visit: QueueTicket, given: Given, actor: User, now: datetime | None = None) -> Rating:
    """一次一评 at the window: the rating device (the clerk's second screen) shows the visit just
    finished at the clerk's window; the person who was served rates it there."""
    from yiwang.hall.choices import QueueStatus
    from yiwang.hall.selectors import visit_for_rating

    visit = visit_for_rating(pk=visit.pk)
    if visit.clerk_id != actor.pk:
        raise PermissionDenied(_("The rating device rates the visits of its own window."), code="other_window")
    if visit.status != QueueStatus.DONE:
        raise Conflict(_("A visit is rated once it is finished."), code="not_finished")
    return _create(
        kind=ServiceKind.VISIT, obj=visit, rater=visit.account, rater_key="holder",
        real_name=visit.account_id is not None, channel=RatingChannel.WINDOW, given=given,
        dimensions=OFFLINE_DIMENSIONS, responsible=_visit_responsible(visit), now=now,
    )  # fmt: skip


# --- hotline follow-ups ---------------------------------------------------------------------------------

SATISFACTION_LEVELS = {"satisfied": Level.SATISFIED, "basically": Level.BASICALLY, "dissatisfied": Level.DISSATISFIED}


def rating_from_follow_up(follow_up: FollowUp) -> Rating | None:
    """The caller's answer at a follow-up is the ticket's rating (its caller the rater); a later
    follow-up of the same ticket (after a redo) amends it."""
    level = SATISFACTION_LEVELS.get(follow_up.satisfaction)
    if level is None:
        return None
    ticket: Ticket = follow_up.ticket
    comment = follow_up.note or (_("Dissatisfied at the follow-up.") if level in BAD_LEVELS else "")
    existing = Rating.objects.select_for_update().filter(service_ref=f"ticket:{ticket.pk}", rater_key="caller").first()
    if existing is not None:
        return _amend(existing, Given(level=level, comment=comment), OFFLINE_DIMENSIONS, actor=follow_up.by)
    return _create(
        kind=ServiceKind.TICKET, obj=ticket, rater=ticket.caller_account, rater_key="caller",
        real_name=not ticket.anonymous and bool(ticket.caller_phone_digest), channel=RatingChannel.HOTLINE,
        given=Given(level=level, comment=comment), dimensions=OFFLINE_DIMENSIONS,
        responsible=Responsible(department=ticket.unit, region=ticket.region, staff=None),
    )  # fmt: skip


# --- amending ----------------------------------------------------------------------------------------------


def _amend(rating: Rating, given: Given, dimensions: dict[str, Any], *, actor: User | None) -> Rating:
    level, scores, comment = _clean(given, dimensions)
    before = rating.level
    was_bad = rating.is_bad
    rating.level, rating.scores, rating.comment = level, scores or rating.scores, comment
    rating.amended_at = timezone.now()
    rating.save(update_fields=["level", "scores", "comment", "amended_at"])
    audit_record(actor=actor, action="evaluation.amend", target=rating, changes={"level": [before, level]})
    from yiwang.evaluation.remediation import remediation_open, remediation_withdrawn

    if rating.is_bad and not was_bad:
        remediation_open(rating)
    elif was_bad and not rating.is_bad:
        remediation_withdrawn(rating, actor=actor)
    return rating


@transaction.atomic
def rating_amend(
    *, rating: Rating, given: Given, actor: User | None = None, link_token: str = "", now: datetime | None = None
) -> Rating:
    """追评 / 改评: the rater changes their rating within ``YIWANG_RATING_AMEND_DAYS``."""
    rating = Rating.objects.select_for_update(of=("self",)).select_related("case").get(pk=rating.pk)
    allowed = (actor is not None and rating.rater_id == actor.pk) or (
        rating.case is not None and link_token and case_from_link(link_token).pk == rating.case_id
    )
    if not allowed:
        raise PermissionDenied(_("Only the rater can amend this rating."), code="not_your_rating")
    RATING_WORKFLOW.require(rating.status, "amend")
    if (now or timezone.now()) > rating.amendable_until:
        raise Conflict(
            _("A rating can be amended within %(days)s days.") % {"days": settings.YIWANG_RATING_AMEND_DAYS},
            code="amend_period_over",
        )
    dimensions = ONLINE_DIMENSIONS if rating.channel == RatingChannel.ONLINE else OFFLINE_DIMENSIONS
    return _amend(rating, given, dimensions, actor=actor)


def ratings_default(now: datetime | None = None) -> int:
    """广西's rule where a deployment adopts it (``YIWANG_RATING_DEFAULT_DAYS`` > 0): a case concluded that
    many days ago without a rating counts as 非常满意, marked ``defaulted`` in every statistic."""
    from yiwang.cases.selectors import cases_concluded_between

    days = settings.YIWANG_RATING_DEFAULT_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    rated = Rating.objects.filter(service_kind=ServiceKind.CASE, rater_key="applicant", case__isnull=False)
    due = cases_concluded_between(
        since=now - timedelta(days=days + 30), before=now - timedelta(days=days), excluding=rated.values("case_id")
    )
    made = 0
    for case in due.iterator():
        with transaction.atomic():
            try:
                _create(
                    kind=ServiceKind.CASE, obj=case, rater=None, rater_key="applicant", real_name=False,
                    channel=RatingChannel.DEFAULT, given=Given(level=Level.VERY_SATISFIED), dimensions={},
                    responsible=_case_responsible(case), now=now, defaulted=True,
                )  # fmt: skip
            except Conflict:
                continue  # rated meanwhile
        made += 1
    return made
