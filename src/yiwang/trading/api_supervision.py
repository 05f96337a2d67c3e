"""API: invitations of an invited tender, complaints to the supervising department, bid securities,
e-supervision cards and the figures, under /api/v1/trading/ beside the rest of the context — the same
services and selectors as the pages."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.core.api_support import ErrorOut
from yiwang.core.errors import NotFound, ValidationFailed
from yiwang.core.periods import EARLIEST, LATEST
from yiwang.core.shell import acting_user
from yiwang.trading import selectors, services
from yiwang.trading.figures import trading_figures
from yiwang.trading.schemas_supervision import (
    AlertOut,
    ComplaintDecisionIn,
    ComplaintIn,
    ComplaintOut,
    ComplaintRefuseIn,
    InvitationOut,
    InvitationsIn,
    SecurityForfeitIn,
    SecurityIn,
    SecurityOut,
    SecurityRefundIn,
    SuspensionOut,
    TradingFiguresOut,
    TradingPeriodQuery,
)

router = Router(tags=["trading"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


@router.post(
    "/projects/{code}/complaints",
    response={201: ComplaintOut, **ERRORS},
    summary="Complain to the supervising department (TBL-R §60; GPL §55)",
)
def complaint_file(request: HttpRequest, code: str, data: ComplaintIn) -> Status[Any]:
    actor = acting_user(request)
    project = selectors.project_published(code)
    objection = None
    if data.objection is not None:
        objection = selectors.objections_of_raiser(actor, project).filter(pk=data.objection).first()
        if objection is None:
            raise NotFound(_("No objection of yours has this number."), code="not_found")
    complaint = services.complaint_file(
        actor=actor, project=project, subject=data.subject, request=data.request, grounds=data.grounds,
        known_on=data.known_on, objection=objection,
    )  # fmt: skip
    return Status(201, complaint)


@router.get(
    "/projects/{code}/complaints",
    response={200: list[ComplaintOut], **ERRORS},
    summary="Complaints: all of them for the centre and the supervisor, one's own for anyone else",
)
def complaint_index(request: HttpRequest, code: str) -> list[Any]:
    project = selectors.project_published(code)  # complaints are only ever on published projects
    return list(selectors.complaints_for(acting_user(request), project).select_related("project"))


def _handled(request: HttpRequest, complaint_id: int) -> tuple[Any, Any]:
    actor = acting_user(request)
    return actor, selectors.complaint_for(actor, complaint_id)


@router.post("/complaints/{complaint_id}/accept", response={200: ComplaintOut, **ERRORS}, summary="Accept (supervisor)")
def complaint_accept(request: HttpRequest, complaint_id: int) -> Any:
    actor, complaint = _handled(request, complaint_id)
    return services.complaint_accept(actor=actor, complaint=complaint)


@router.post(
    "/complaints/{complaint_id}/refuse", response={200: ComplaintOut, **ERRORS}, summary="Do not accept (supervisor)"
)
def complaint_refuse(request: HttpRequest, complaint_id: int, data: ComplaintRefuseIn) -> Any:
    actor, complaint = _handled(request, complaint_id)
    return services.complaint_refuse(actor=actor, complaint=complaint, reason=data.reason)


@router.post("/complaints/{complaint_id}/decision", response={200: ComplaintOut, **ERRORS}, summary="Decide")
def complaint_decide(request: HttpRequest, complaint_id: int, data: ComplaintDecisionIn) -> Any:
    actor, complaint = _handled(request, complaint_id)
    return services.complaint_decide(actor=actor, complaint=complaint, outcome=data.outcome, decision=data.decision)


@router.post(
    "/complaints/{complaint_id}/withdraw", response={200: ComplaintOut, **ERRORS}, summary="Withdraw (complainant)"
)
def complaint_withdraw(request: HttpRequest, complaint_id: int) -> Any:
    actor, complaint = _handled(request, complaint_id)
    return services.complaint_withdraw(actor=actor, complaint=complaint)


@router.post(
    "/complaints/{complaint_id}/suspension",
    response={200: SuspensionOut, **ERRORS},
    summary="Suspend the project while the complaint is handled (TBL-R §62; GPL §57)",
)
def project_suspend(request: HttpRequest, complaint_id: int) -> Any:
    actor, complaint = _handled(request, complaint_id)
    return services.project_suspend(actor=actor, complaint=complaint)


@router.delete("/projects/{code}/suspension", response={200: SuspensionOut, **ERRORS}, summary="Lift the suspension")
def suspension_lift(request: HttpRequest, code: str) -> Any:
    actor = acting_user(request)
    return services.suspension_lift(actor=actor, project=selectors.project_for_staff(actor, code))


@router.post(
    "/projects/{code}/securities", response={201: SecurityOut, **ERRORS}, summary="Record a bid security (centre)"
)
def security_record(request: HttpRequest, code: str, data: SecurityIn) -> Status[Any]:
    actor = acting_user(request)
    project = selectors.project_for_staff(actor, code)
    lot = project.lots.filter(number=data.lot).first()
    if lot is None:
        raise ValidationFailed(_("This project has no such lot."), code="invalid")
    bidder = selectors.company_by_credit_code(data.credit_code)
    if bidder is None:
        raise ValidationFailed(_("No registered company has this unified social credit code."), code="invalid")
    security = services.security_record(
        actor=actor, lot=lot, bidder=bidder, amount=data.amount, form=data.form, reference=data.reference
    )
    return Status(201, security)


@router.get("/projects/{code}/securities", response={200: list[SecurityOut], **ERRORS}, summary="Bid securities")
def security_index(request: HttpRequest, code: str) -> list[Any]:
    return list(selectors.securities_of(selectors.project_for_staff(acting_user(request), code)))


@router.post("/securities/{security_id}/refund", response={200: SecurityOut, **ERRORS}, summary="Record a refund")
def security_refund(request: HttpRequest, security_id: int, data: SecurityRefundIn) -> Any:
    actor = acting_user(request)
    security = selectors.security_for_staff(actor, security_id)
    return services.security_refund(actor=actor, security=security, interest=data.interest)


@router.post(
    "/candidates/{candidate_id}/void",
    response={200: dict[str, str], **ERRORS},
    summary="The winner declined or refuses the contract: void its award, forfeit its security (TBL-R §74)",
)
def award_void(request: HttpRequest, candidate_id: int, data: SecurityForfeitIn) -> dict[str, str]:
    candidate = services.award_void(
        actor=acting_user(request), candidate=selectors.candidate_get(candidate_id), reason=data.reason
    )
    return {"status": "declined" if candidate.declined else "awarded"}


@router.get("/alerts", response={200: list[AlertOut], **ERRORS}, summary="E-supervision cards of my projects")
def alert_index(request: HttpRequest, project: str = "") -> list[Any]:
    alerts = selectors.alerts_for_staff(acting_user(request))
    if project:
        alerts = alerts.filter(project__code=project[:32])
    return list(alerts[:500])


@router.get("/figures", response={200: TradingFiguresOut, **ERRORS}, summary="Trading figures of a period")
def figures(request: HttpRequest, period: Query[TradingPeriodQuery]) -> Any:
    if not EARLIEST <= period.start <= period.end <= LATEST or (period.end - period.start).days > 366:
        raise ValidationFailed(_("Choose a period of at most a year."), code="invalid")
    return trading_figures(acting_user(request), start=period.start, end=period.end)


@router.post(
    "/projects/{code}/invitations",
    response={201: list[InvitationOut], **ERRORS},
    summary="Invite companies to an invited tender (TBL §17), or draw them at random (GPL §34)",
)
def invitations_make(request: HttpRequest, code: str, data: InvitationsIn) -> Status[Any]:
    actor = acting_user(request)
    project = selectors.project_for_staff(actor, code)
    companies = [selectors.company_by_credit_code(c) for c in data.credit_codes]
    if any(c is None for c in companies):
        raise ValidationFailed(_("No registered company has this unified social credit code."), code="invalid")
    invited = services.invitations_make(
        actor=actor, project=project, companies=[c for c in companies if c is not None], count=data.count
    )
    return Status(201, invited)


@router.get("/projects/{code}/invitations", response={200: list[InvitationOut], **ERRORS}, summary="Invited companies")
def invitation_index(request: HttpRequest, code: str) -> list[Any]:
    return selectors.invitations_of(selectors.project_for_staff(acting_user(request), code))
