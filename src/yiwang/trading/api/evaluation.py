"""The committee and the award: criteria, expert draws, the evaluation, scores, the report, candidates, contracts."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query
from ninja.responses import Status

from yiwang.core.errors import NotFound
from yiwang.core.shell import acting_user
from yiwang.trading import selectors, services
from yiwang.trading.api._common import ERRORS, _staff_step, router
from yiwang.trading.models import TradingProject
from yiwang.trading.schemas import (
    AwardRecordOut,
    CandidateOut,
    ContractIn,
    CriterionInSchema,
    CriterionOut,
    DrawIn,
    DrawOut,
    PickAnswerIn,
    ReportSignIn,
    ScoresIn,
    TradingProjectDetail,
    TradingProjectSummary,
)


@router.put(
    "/projects/{code}/criteria",
    response={200: list[CriterionOut], **ERRORS},
    summary="Set the scoring criteria (before the notice)",
    operation_id="yiwang_trading_api_criteria_set",
)
def criteria_set(request: HttpRequest, code: str, data: list[CriterionInSchema]) -> list[Any]:
    actor, project = _staff_step(request, code)
    criteria = [services.CriterionIn(c.name, c.kind, c.max_score) for c in data[:50]]
    return services.criteria_set(actor=actor, project=project, criteria=criteria)


def _draw_out(view: Any) -> DrawOut:
    draw = view.draw
    return DrawOut(
        id=draw.pk,
        specialty=draw.specialty,
        count=draw.count,
        representatives=draw.representatives,
        pool_digest=draw.pool_digest,
        exclusions_digest=draw.exclusions_digest,
        salt_commitment=draw.salt_commitment,
        seed=draw.seed if draw.names_released_at else "",
        salt=draw.salt if draw.names_released_at else "",
        drawn_at=draw.drawn_at,
        verified=view.verified,
        exclusions=view.exclusions,
        picks=[pick.status for pick in view.picks],
    )


@router.post(
    "/projects/{code}/draws",
    response={201: DrawOut, **ERRORS},
    summary="Draw experts at random",
    operation_id="yiwang_trading_api_draw_create",
)
def draw_create(request: HttpRequest, code: str, data: DrawIn) -> Status[DrawOut]:
    actor, project = _staff_step(request, code)
    draw, _tokens = services.draw_make(
        actor=actor, project=project, specialty=data.specialty, count=data.count, representatives=data.representatives
    )
    view = next(v for v in selectors.draws_of(project) if v.draw.pk == draw.pk)
    return Status(201, _draw_out(view))


@router.get(
    "/projects/{code}/draws",
    response={200: list[DrawOut], **ERRORS},
    summary="The project's draws",
    operation_id="yiwang_trading_api_draw_index",
)
def draw_index(request: HttpRequest, code: str) -> list[DrawOut]:
    _actor, project = _staff_step(request, code)
    return [_draw_out(view) for view in selectors.draws_of(project)]


@router.post(
    "/experts/picks/{token}",
    response={200: dict[str, str], **ERRORS},
    auth=None,
    summary="The drawn expert confirms or declines (the SMS link's token)",
    operation_id="yiwang_trading_api_pick_answer",
)
def pick_answer(request: HttpRequest, token: str, data: PickAnswerIn) -> dict[str, str]:
    pick = services.pick_respond(token=token, accept=data.answer == "confirm")
    return {"status": pick.status}


def _step_done(request: HttpRequest, code: str, step: str) -> TradingProject:
    actor, project = _staff_step(request, code)
    if step == "evaluate":
        services.evaluation_start(actor=actor, project=project)
    elif step == "report":
        services.evaluation_report(actor=actor, project=project)
    else:
        services.candidates_publish(actor=actor, project=project)
    return selectors.project_published(code)


@router.post(
    "/projects/{code}/evaluation",
    response={200: TradingProjectDetail, **ERRORS},
    summary="Start the evaluation",
    operation_id="yiwang_trading_api_evaluation_start",
)
def evaluation_start(request: HttpRequest, code: str) -> TradingProject:
    return _step_done(request, code, "evaluate")


@router.post(
    "/projects/{code}/report",
    response={200: TradingProjectDetail, **ERRORS},
    summary="Make the report",
    operation_id="yiwang_trading_api_evaluation_report",
)
def evaluation_report(request: HttpRequest, code: str) -> TradingProject:
    return _step_done(request, code, "report")


@router.post(
    "/projects/{code}/candidates/publication",
    response={200: TradingProjectDetail, **ERRORS},
    summary="Publish the candidates (TBL-R §54)",
    operation_id="yiwang_trading_api_candidates_publish",
)
def candidates_publish(request: HttpRequest, code: str) -> TradingProject:
    return _step_done(request, code, "publicise")


@router.put(
    "/bids/{bid_id}/scores",
    response={200: dict[str, int], **ERRORS},
    summary="An expert's scores of a bid",
    operation_id="yiwang_trading_api_scores_submit",
)
def scores_submit(request: HttpRequest, bid_id: int, data: ScoresIn) -> dict[str, int]:
    bid = selectors.bid_for_scoring(bid_id)
    scores = services.scores_submit(actor=acting_user(request), bid=bid, points=dict(list(data.points.items())[:50]))
    return {"scores": len(scores)}


@router.post(
    "/projects/{code}/report/signatures",
    response={200: dict[str, str], **ERRORS},
    summary="Sign the report, with a written dissent where the member disagrees (TBL-R §53)",
    operation_id="yiwang_trading_api_report_sign",
)
def report_sign(request: HttpRequest, code: str, options: Query[ReportSignIn]) -> dict[str, str]:
    signature = services.report_sign(
        actor=acting_user(request), project=selectors.project_published(code), dissent=options.dissent
    )
    return {"report_sm3": signature.report_sm3, "dissent": signature.dissent}


@router.get(
    "/projects/{code}/candidates",
    response={200: list[CandidateOut], **ERRORS},
    auth=None,
    operation_id="yiwang_trading_api_candidate_index",
)
def candidate_index(request: HttpRequest, code: str) -> list[Any]:
    """中标候选人, once published."""
    return list(selectors.candidates_public(selectors.project_published(code)))


@router.get(
    "/projects/{code}/candidates/mine",
    response={200: list[CandidateOut], **ERRORS},
    summary="The candidates as I may see them: a procurement's purchaser from the report's delivery",
    operation_id="yiwang_trading_api_candidate_index_mine",
)
def candidate_index_mine(request: HttpRequest, code: str) -> list[Any]:
    return list(selectors.candidates_for(acting_user(request), selectors.project_published(code)))


@router.post(
    "/candidates/{candidate_id}/award",
    response={200: CandidateOut, **ERRORS},
    summary="Award (the tenderer)",
    operation_id="yiwang_trading_api_award",
)
def award(request: HttpRequest, candidate_id: int) -> Any:
    return services.award(actor=acting_user(request), candidate=selectors.candidate_get(candidate_id))


@router.post(
    "/projects/{code}/contract",
    response={200: TradingProjectSummary, **ERRORS},
    summary="Record the contract",
    operation_id="yiwang_trading_api_contract_sign",
)
def contract_sign(request: HttpRequest, code: str, data: ContractIn) -> TradingProject:
    project = selectors.project_published(code)
    lot = None
    if data.lot is not None:
        lot = project.lots.filter(number=data.lot).first()
        if lot is None:
            raise NotFound(_("This project has no such lot."), code="no_such_lot")
    return services.contract_sign(
        actor=acting_user(request), project=project, amount=data.amount, signed_on=data.signed_on, lot=lot
    )


@router.get(
    "/projects/{code}/award-records",
    response={200: list[AwardRecordOut], **ERRORS},
    auth=None,
    summary="The award as the platform signed it (verify with /platform-keys), voided ones included",
    operation_id="yiwang_trading_api_award_records",
)
def award_records(request: HttpRequest, code: str) -> list[Any]:
    return list(selectors.award_records_of(selectors.project_published(code)))
