"""The trading centre's steps: registering, the notice, amendments, closing, the opening, objections, cancelling."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query
from ninja.responses import Status

from yiwang.core.errors import raise_problems
from yiwang.core.shell import acting_user
from yiwang.organisation.selectors import department_get, region_get
from yiwang.trading import selectors, services
from yiwang.trading.api._common import ERRORS, _staff_step, router
from yiwang.trading.models import Bid, TradingProject
from yiwang.trading.schemas import (
    BidClosingOut,
    KeyShareIn,
    ObjectionAnswerIn,
    ObjectionIn,
    ObjectionOut,
    OpeningConcludeIn,
    OpeningRecordOut,
    PlatformFaultIn,
    TenderAmendIn,
    TenderDocumentOut,
    TenderNoticeIn,
    TradingProjectDetail,
    TradingProjectIn,
    TradingProjectSummary,
    TradingReasonIn,
)


@router.post(
    "/projects",
    response={201: TradingProjectDetail, **ERRORS},
    summary="Register a project (trading centre)",
    operation_id="yiwang_trading_api_project_create",
)
def project_create(request: HttpRequest, data: TradingProjectIn) -> Status[TradingProject]:
    region = region_get(code=data.region)
    if region is None:
        raise_problems([("region", _("No region has this code."))])
    department = department_get(pk=data.tenderer_department) if data.tenderer_department else None
    if data.tenderer_department and department is None:
        raise_problems([("tenderer_department", _("No department has this number."))])
    project = services.project_register(
        actor=acting_user(request),
        region=region,  # type: ignore[arg-type]
        kind=data.kind,
        method=data.method,
        evaluation_method=data.evaluation_method,
        title=data.title,
        budget=data.budget,
        lots=[services.LotIn(lot.title, lot.estimate, lot.bid_security) for lot in data.lots],
        tenderer_department=department,
        state_funded=data.state_funded,
        qualification=data.qualification,
    )
    return Status(201, project)


def _custodians(usernames: list[str]) -> list[Any]:
    found = {user.username: user for user in selectors.custodians_named(usernames)}
    unknown = [name for name in usernames if name not in found]
    if unknown:
        raise_problems(
            [("custodians", _("No custodian has these accounts: %(names)s.") % {"names": "、".join(unknown)})]
        )
    return [found[name] for name in usernames]


@router.post(
    "/projects/{code}/notice",
    response={200: TradingProjectDetail, **ERRORS},
    summary="Publish the notice",
    operation_id="yiwang_trading_api_notice_publish",
)
def notice_publish(request: HttpRequest, code: str, data: TenderNoticeIn) -> TradingProject:
    actor = acting_user(request)
    project = selectors.project_for_staff(actor, code)
    services.notice_publish(
        actor=actor,
        project=project,
        title=data.title,
        body=data.body,
        documents_from=data.documents_from,
        documents_until=data.documents_until,
        bid_deadline=data.bid_deadline,
        custodians=_custodians(data.custodians),
        threshold=data.threshold,
    )
    return selectors.project_published(code)


@router.post(
    "/projects/{code}/documents",
    response={201: TenderDocumentOut, **ERRORS},
    summary="A clarification or amendment (moves the deadline where the law says)",
    operation_id="yiwang_trading_api_document_amend",
)
def document_amend(request: HttpRequest, code: str, data: TenderAmendIn) -> Status[Any]:
    actor = acting_user(request)
    document = services.document_amend(
        actor=actor,
        project=selectors.project_for_staff(actor, code),
        kind=data.kind,
        title=data.title,
        body=data.body,
        affects_bids=data.affects_bids,
    )
    return Status(201, document)


@router.post(
    "/projects/{code}/close",
    response={200: BidClosingOut, **ERRORS},
    summary="Close the bids at the deadline",
    operation_id="yiwang_trading_api_project_close",
)
def project_close(request: HttpRequest, code: str) -> Any:
    actor, project = _staff_step(request, code)
    return services.project_close(actor=actor, project=project)


@router.post(
    "/projects/{code}/opening",
    response={200: TradingProjectDetail, **ERRORS},
    summary="Start the opening",
    operation_id="yiwang_trading_api_opening_start",
)
def opening_start(request: HttpRequest, code: str) -> TradingProject:
    actor, project = _staff_step(request, code)
    services.opening_start(actor=actor, project=project)
    return selectors.project_published(code)


@router.post(
    "/projects/{code}/opening/platform-fault",
    response={200: dict[str, int], **ERRORS},
    summary="The supervisor confirms a platform fault that kept bids from being decrypted",
    operation_id="yiwang_trading_api_opening_platform_fault",
)
def opening_platform_fault(request: HttpRequest, code: str, data: PlatformFaultIn) -> dict[str, int]:
    actor, project = _staff_step(request, code)
    bids = list(Bid.objects.filter(project=project, pk__in=data.bids))
    return {"struck": services.opening_platform_fault(actor=actor, project=project, bids=bids, note=data.note)}


@router.post(
    "/projects/{code}/opening/conclude",
    response={200: OpeningRecordOut, **ERRORS},
    summary="Conclude the opening",
    operation_id="yiwang_trading_api_opening_conclude",
)
def opening_conclude(request: HttpRequest, code: str, options: Query[OpeningConcludeIn]) -> Any:
    actor, project = _staff_step(request, code)
    return services.opening_conclude(actor=actor, project=project, abandon_recovery=options.abandon_recovery)


@router.post(
    "/projects/{code}/opening/shares",
    response={200: dict[str, int], **ERRORS},
    summary="A custodian gives its share (only after a platform fault)",
    operation_id="yiwang_trading_api_share_submit",
)
def share_submit(request: HttpRequest, code: str, data: KeyShareIn) -> dict[str, int]:
    project = selectors.project_published(code)
    return {"opened": services.share_submit(actor=acting_user(request), project=project, share=data.share)}


@router.post(
    "/projects/{code}/objections",
    response={201: ObjectionOut, **ERRORS},
    summary="Object to the documents (TBL-R §22: until 10 days before the deadline; pauses the tender)",
    operation_id="yiwang_trading_api_objection_raise",
)
def objection_raise(request: HttpRequest, code: str, data: ObjectionIn) -> Status[Any]:
    project = selectors.project_published(code)
    objection = services.objection_raise(
        actor=acting_user(request), project=project, text=data.text, subject=data.subject
    )
    return Status(201, objection)


@router.get(
    "/projects/{code}/objections",
    response={200: list[ObjectionOut], **ERRORS},
    auth=None,
    operation_id="yiwang_trading_api_objection_index",
)
def objection_index(request: HttpRequest, code: str) -> list[Any]:
    """Objections and their answers, published without the objectors' names."""
    return list(selectors.objections_of(selectors.project_published(code)))


@router.post(
    "/objections/{objection_id}/answer",
    response={200: ObjectionOut, **ERRORS},
    summary="The tenderer answers",
    operation_id="yiwang_trading_api_objection_answer",
)
def objection_answer(request: HttpRequest, objection_id: int, data: ObjectionAnswerIn) -> Any:
    objection = selectors.objection_get(objection_id)
    return services.objection_answer(actor=acting_user(request), objection=objection, answer=data.answer)


@router.post(
    "/projects/{code}/cancel",
    response={200: TradingProjectSummary, **ERRORS},
    summary="Cancel a draft (centre)",
    operation_id="yiwang_trading_api_project_cancel",
)
def project_cancel(request: HttpRequest, code: str, data: TradingReasonIn) -> TradingProject:
    actor, project = _staff_step(request, code)
    return services.project_cancel(actor=actor, project=project, reason=data.reason)


@router.post(
    "/projects/{code}/terminate",
    response={200: TradingProjectSummary, **ERRORS},
    summary="Terminate a published tender (the tenderer, TBL-R §31)",
    operation_id="yiwang_trading_api_project_terminate",
)
def project_terminate(request: HttpRequest, code: str, data: TradingReasonIn) -> TradingProject:
    project = selectors.project_published(code)
    return services.project_terminate(actor=acting_user(request), project=project, reason=data.reason)
