"""API: 好差评 under /api/v1/ratings/ — rating a case (its applicant, or by its link's token), a window
visit (the window's device), amending; the ratings, their figures, remediation and appeals for staff."""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.core.api_support import Day, ErrorOut
from yiwang.core.errors import NotFound, PermissionDenied, raise_problems
from yiwang.core.shell import acting_user, acting_user_with
from yiwang.evaluation import remediation as rem
from yiwang.evaluation import selectors, services
from yiwang.evaluation.models import (
    AppealStatus,
    Rating,
    RatingChannel,
    RatingStatus,
    Remediation,
    RemediationMode,
    RemediationStatus,
    ServiceKind,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User

router = Router(tags=["ratings"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


class GivenIn(Schema):
    level: int = Field(..., description="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意 (2 and 1 are 差评)")
    scores: dict[str, int] = Field(
        default_factory=dict,
        description="online: overall, efficiency, guide_accuracy, convenience, usability; "
        "on site: overall, efficiency, competence, attitude",
    )
    comment: str = Field("", max_length=500, description="required for a 差评")


class CaseRatingIn(GivenIn):
    link_token: str = Field("", max_length=300, description="the case's link token, instead of the applicant's login")


class RatingOut(Schema):
    id: int
    service_kind: ServiceKind
    service: str = Field(..., alias="service_ref")
    channel: RatingChannel
    level: int
    scores: dict[str, int]
    comment: str
    real_name: bool
    defaulted: bool
    department: str | None = Field(None, alias="department.name")
    window: str | None = Field(None, alias="window.number")
    status: RatingStatus
    created_at: datetime
    amended_at: datetime | None
    amendable_until: datetime


class FiguresOut(Schema):
    ratings: int
    by_level: dict[int, int]
    satisfaction_rate: float | None = Field(
        None, description="满意率 %: 非常满意, 满意 and 基本满意 of all valid ratings"
    )
    bad: int
    defaulted: int
    real_name_bad: int
    real_name_bad_closed: int
    closure_rate: float | None = Field(None, description="实名差评整改率 %: real-name 差评 closed after remediation")


class RemediationOut(Schema):
    id: int
    rating: RatingOut
    department: str | None = Field(None, alias="department.name")
    status: RemediationStatus
    mode: str
    opened_at: datetime
    contact_due: datetime
    feedback_due: datetime
    fix_due: datetime
    contacted_at: datetime | None
    feedback_at: datetime | None
    fixed_at: datetime | None
    return_visit_at: datetime | None
    closed_at: datetime | None
    overdue: str = Field("", description="contact, feedback or fix when that due time has passed")

    @staticmethod
    def resolve_overdue(obj: Remediation) -> str:
        return selectors.overdue_step(obj)


class StepIn(Schema):
    note: str = Field("", max_length=2000, description="contact, fix, return_visit: what was done or said")
    verified: bool = Field(True, description="contact: is the complaint true")
    mode: RemediationMode | None = Field(None, description="contact: immediate, deadline or explain")
    feedback: str = Field("", max_length=2000, description="feedback: what the rater is told")
    satisfied: bool = Field(True, description="return_visit")
    reason: str = Field("", max_length=2000, description="appeal: why the rating is mistaken or malicious")


class ReviewIn(Schema):
    upheld: bool
    note: str = Field(..., max_length=2000)


class FiguresQuery(Schema):
    start: Day
    end: Day


def _anyone(request: HttpRequest) -> bool:
    """Lets the request through without credentials: the link token is the credential then."""
    return True


def _given(payload: GivenIn) -> services.Given:
    return services.Given(level=payload.level, scores=payload.scores, comment=payload.comment)


@router.post("/cases/{number}", response={201: RatingOut, **ERRORS}, auth=[*api_auth, _anyone], summary="Rate a case")
def rate_case(request: HttpRequest, number: str, payload: CaseRatingIn) -> Status[Rating]:
    """The applicant (session or token) or anyone holding the case's link token."""
    from yiwang.cases.selectors import case_by_number

    case = case_by_number(number)
    if case is None:
        raise NotFound()
    from yiwang.accounts.selectors import user_from_principal

    user = user_from_principal(principal=request.auth)  # type: ignore[attr-defined]
    if payload.link_token:
        rating = services.rating_for_case(
            case=case, given=_given(payload), channel=RatingChannel.QR, link_token=payload.link_token
        )
    elif user is not None:
        rating = services.rating_for_case(case=case, given=_given(payload), channel=RatingChannel.ONLINE, actor=user)
    else:
        raise PermissionDenied(_("Log in as the applicant, or send the case's link token."), code="not_your_case")
    return Status(201, rating)


@router.post("/visits/{visit_id}", response={201: RatingOut, **ERRORS}, summary="Rate a window visit (device)")
def rate_visit(request: HttpRequest, visit_id: int, payload: GivenIn) -> Status[Rating]:
    from yiwang.hall.selectors import visit_get

    visit = visit_get(pk=visit_id)
    if visit is None:
        raise NotFound()
    return Status(201, services.rating_for_visit(visit=visit, given=_given(payload), actor=acting_user(request)))


@router.patch("/{int:rating_id}", response={200: RatingOut, **ERRORS}, summary="Amend my rating")
def amend(request: HttpRequest, rating_id: int, payload: CaseRatingIn) -> Rating:
    rating = Rating.objects.filter(pk=rating_id).first()
    if rating is None:
        raise NotFound()
    return services.rating_amend(
        rating=rating, given=_given(payload), actor=acting_user(request), link_token=payload.link_token
    )


def _reader(request: HttpRequest) -> "User":
    return acting_user_with(request, selectors.READER_ROLES)


@router.get("", response={200: list[RatingOut], **ERRORS}, summary="Ratings I may see (newest first)")
def ratings(request: HttpRequest, bad: bool = False, limit: int = 50) -> list[Rating]:
    rows = selectors.ratings_visible(_reader(request)).select_related("department", "window").order_by("-created_at")
    if bad:
        rows = rows.filter(level__lte=2)
    return list(rows[: max(1, min(limit, 200))])


@router.get("/figures", response={200: FiguresOut, **ERRORS}, summary="Counts, 满意率 and 实名差评整改率 of a period")
def figures(request: HttpRequest, query: Query[FiguresQuery]) -> FiguresOut:
    found = selectors.rating_figures(selectors.ratings_visible(_reader(request)), query.start, query.end)
    return FiguresOut(
        ratings=found.ratings,
        by_level=found.by_level,
        satisfaction_rate=found.satisfaction_rate,
        bad=found.bad,
        defaulted=found.defaulted,
        real_name_bad=found.real_name_bad,
        real_name_bad_closed=found.real_name_bad_closed,
        closure_rate=found.closure_rate,
    )


@router.get("/remediations", response={200: list[RemediationOut], **ERRORS}, summary="Remediation queue")
def remediations(request: HttpRequest, queue: str = "pending") -> list[Remediation]:
    if queue not in selectors.QUEUES:
        raise_problems([("queue", _("Unknown queue."))])
    return list(selectors.remediation_queue(_reader(request), queue).select_related("rating__window")[:100])


def _item(user: "User", pk: int) -> Remediation:
    item = selectors.remediation_detail(user, pk)
    if item is None:
        raise NotFound()
    return item


@router.get("/remediations/{pk}", response={200: RemediationOut, **ERRORS}, summary="A remediation item")
def remediation(request: HttpRequest, pk: int) -> Remediation:
    return _item(_reader(request), pk)


@router.post("/remediations/{pk}/review", response={200: RemediationOut, **ERRORS}, summary="Review its appeal")
def review(request: HttpRequest, pk: int, payload: ReviewIn) -> Remediation:
    user = _reader(request)
    item = _item(user, pk)
    appeal = next((a for a in item.appeals.all() if a.status == AppealStatus.PENDING), None)
    if appeal is None:
        raise NotFound(code="no_pending_appeal")
    rem.appeal_review(actor=user, appeal=appeal, upheld=payload.upheld, note=payload.note)
    return _item(user, pk)


# The remediation's steps by the name in the address, each an action of its table (evaluation.workflow);
# the review of an appeal has its own address above.
STEPS: dict[str, Callable[[Any, Remediation, StepIn], object]] = {
    "contact": lambda user, item, payload: rem.remediation_contact(
        actor=user, remediation=item, note=payload.note, verified=payload.verified, mode=payload.mode or ""
    ),
    "feedback": lambda user, item, payload: rem.remediation_feedback(
        actor=user, remediation=item, feedback=payload.feedback
    ),
    "fix": lambda user, item, payload: rem.remediation_fix(actor=user, remediation=item, note=payload.note),
    "return-visit": lambda user, item, payload: rem.remediation_return_visit(
        actor=user, remediation=item, satisfied=payload.satisfied, note=payload.note
    ),
    "appeal": lambda user, item, payload: rem.appeal_file(actor=user, remediation=item, reason=payload.reason),
}


@router.post("/remediations/{pk}/{action}", response={200: RemediationOut, **ERRORS}, summary="A remediation step")
def step(request: HttpRequest, pk: int, action: str, payload: StepIn) -> Remediation:
    """``contact``, ``feedback``, ``fix``, ``return-visit`` or ``appeal``."""
    user = _reader(request)
    item = _item(user, pk)
    run = STEPS.get(action)
    if run is None:
        raise NotFound(code="unknown_action")
    run(user, item, payload)
    return _item(user, pk)
