"""API: public resource trading under /api/v1/trading/ — the same services and selectors as the pages.

Public (no account): published projects with their documents and opening key (to seal against), and
once the bids are closed the receipts with their Merkle proofs, the signed closing and opening record,
and the platform's public keys. Everything else acts as the logged-in account."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.core.api_support import ErrorOut, Pagination
from yiwang.core.errors import NotFound, ValidationFailed, raise_problems
from yiwang.core.shell import acting_user
from yiwang.organisation.selectors import department_get, region_get
from yiwang.trading import award_notice, ocds, selectors, services
from yiwang.trading.models import Bid, BidReceipt, TradingProject
from yiwang.trading.schemas import (
    AwardRecordOut,
    BidClosingOut,
    BidDecryptIn,
    BidderReceiptOut,
    BidReceiptPublicOut,
    BidUploadIn,
    CandidateOut,
    ContractIn,
    CriterionInSchema,
    CriterionOut,
    DrawIn,
    DrawOut,
    KeyShareIn,
    MyBidOut,
    ObjectionAnswerIn,
    ObjectionIn,
    ObjectionOut,
    OpeningConcludeIn,
    OpeningRecordOut,
    PartyKeyIn,
    PartyKeyOut,
    PickAnswerIn,
    PlatformFaultIn,
    PlatformKeyOut,
    ReceiptProofOut,
    ReportSignIn,
    ScoresIn,
    TenderAmendIn,
    TenderDocumentOut,
    TenderNoticeIn,
    TradingProjectDetail,
    TradingProjectFilter,
    TradingProjectIn,
    TradingProjectSummary,
    TradingReasonIn,
)

router = Router(tags=["trading"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


# --- reading -------------------------------------------------------------------------------------------


@router.get("/projects", response={200: list[TradingProjectSummary], **ERRORS}, auth=None, summary="交易信息: projects")
@paginate(Pagination)
def project_index(request: HttpRequest, filters: Query[TradingProjectFilter]) -> object:
    return selectors.projects_published(kind=filters.kind or "", status=filters.status or "", query=filters.q)


@router.get(
    "/projects/{code}", response={200: TradingProjectDetail, **ERRORS}, auth=None, summary="One project (public)"
)
def project_detail(request: HttpRequest, code: str) -> TradingProject:
    return selectors.project_published(code)


@router.get(
    "/projects/{code}/receipts",
    response={200: list[BidReceiptPublicOut], **ERRORS},
    auth=None,
    summary="Every receipt, once the bids are closed",
)
def receipt_index(request: HttpRequest, code: str) -> list[BidReceipt]:
    return list(selectors.receipts_public(selectors.project_published(code)))


@router.get(
    "/projects/{code}/receipts/{sequence}/proof",
    response={200: ReceiptProofOut, **ERRORS},
    auth=None,
    summary="A receipt's inclusion proof under the closing's Merkle root",
)
def receipt_proof(request: HttpRequest, code: str, sequence: int) -> dict[str, Any]:
    project = selectors.project_published(code)
    receipt, proof, size = selectors.receipt_proof(project, sequence)
    return {"receipt": receipt, "index": sequence - 1, "tree_size": size, "proof": proof, "root": project.closing.root}


@router.get("/platform-keys", response={200: list[PlatformKeyOut]}, auth=None, summary="Keys that sign receipts")
def platform_key_index(request: HttpRequest) -> list[Any]:
    return list(selectors.platform_keys())


@router.get(
    "/ocds/releases/{code}",
    response={200: dict[str, Any], **ERRORS},
    auth=None,
    summary="OCDS 1.1 release package of a published project",
)
def ocds_releases(request: HttpRequest, code: str) -> dict[str, Any]:
    return ocds.release_package(selectors.project_published(code))


@router.get(
    "/ocds/records/{code}",
    response={200: dict[str, Any], **ERRORS},
    auth=None,
    summary="OCDS 1.1 record package (releases and the compiled release) of a published project",
)
def ocds_records(request: HttpRequest, code: str) -> dict[str, Any]:
    return ocds.record_package(selectors.project_published(code))


# --- the parties' keys --------------------------------------------------------------------------------


@router.post("/keys", response={201: PartyKeyOut, **ERRORS}, summary="Register my SM2 public key")
def key_register(request: HttpRequest, data: PartyKeyIn) -> Status[Any]:
    key = services.party_key_register(actor=acting_user(request), purpose=data.purpose, public_key=data.public_key)
    return Status(201, key)


# --- the centre ---------------------------------------------------------------------------------------


@router.post("/projects", response={201: TradingProjectDetail, **ERRORS}, summary="Register a project (trading centre)")
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


@router.post("/projects/{code}/notice", response={200: TradingProjectDetail, **ERRORS}, summary="Publish the notice")
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


def _staff_step(request: HttpRequest, code: str) -> tuple[Any, TradingProject]:
    actor = acting_user(request)
    return actor, selectors.project_for_staff(actor, code)


@router.post(
    "/projects/{code}/close", response={200: BidClosingOut, **ERRORS}, summary="Close the bids at the deadline"
)
def project_close(request: HttpRequest, code: str) -> Any:
    actor, project = _staff_step(request, code)
    return services.project_close(actor=actor, project=project)


@router.post("/projects/{code}/opening", response={200: TradingProjectDetail, **ERRORS}, summary="Start the opening")
def opening_start(request: HttpRequest, code: str) -> TradingProject:
    actor, project = _staff_step(request, code)
    services.opening_start(actor=actor, project=project)
    return selectors.project_published(code)


@router.post(
    "/projects/{code}/opening/platform-fault",
    response={200: dict[str, int], **ERRORS},
    summary="The supervisor confirms a platform fault that kept bids from being decrypted",
)
def opening_platform_fault(request: HttpRequest, code: str, data: PlatformFaultIn) -> dict[str, int]:
    actor, project = _staff_step(request, code)
    bids = list(Bid.objects.filter(project=project, pk__in=data.bids))
    return {"struck": services.opening_platform_fault(actor=actor, project=project, bids=bids, note=data.note)}


@router.post(
    "/projects/{code}/opening/conclude", response={200: OpeningRecordOut, **ERRORS}, summary="Conclude the opening"
)
def opening_conclude(request: HttpRequest, code: str, options: Query[OpeningConcludeIn]) -> Any:
    actor, project = _staff_step(request, code)
    return services.opening_conclude(actor=actor, project=project, abandon_recovery=options.abandon_recovery)


@router.post(
    "/projects/{code}/opening/shares",
    response={200: dict[str, int], **ERRORS},
    summary="A custodian gives its share (only after a platform fault)",
)
def share_submit(request: HttpRequest, code: str, data: KeyShareIn) -> dict[str, int]:
    project = selectors.project_published(code)
    return {"opened": services.share_submit(actor=acting_user(request), project=project, share=data.share)}


@router.post(
    "/projects/{code}/objections",
    response={201: ObjectionOut, **ERRORS},
    summary="Object to the documents (TBL-R §22: until 10 days before the deadline; pauses the tender)",
)
def objection_raise(request: HttpRequest, code: str, data: ObjectionIn) -> Status[Any]:
    project = selectors.project_published(code)
    objection = services.objection_raise(
        actor=acting_user(request), project=project, text=data.text, subject=data.subject
    )
    return Status(201, objection)


@router.get("/projects/{code}/objections", response={200: list[ObjectionOut], **ERRORS}, auth=None)
def objection_index(request: HttpRequest, code: str) -> list[Any]:
    """Objections and their answers, published without the objectors' names."""
    return list(selectors.objections_of(selectors.project_published(code)))


@router.post(
    "/objections/{objection_id}/answer", response={200: ObjectionOut, **ERRORS}, summary="The tenderer answers"
)
def objection_answer(request: HttpRequest, objection_id: int, data: ObjectionAnswerIn) -> Any:
    objection = selectors.objection_get(objection_id)
    return services.objection_answer(actor=acting_user(request), objection=objection, answer=data.answer)


@router.post(
    "/projects/{code}/cancel", response={200: TradingProjectSummary, **ERRORS}, summary="Cancel a draft (centre)"
)
def project_cancel(request: HttpRequest, code: str, data: TradingReasonIn) -> TradingProject:
    actor, project = _staff_step(request, code)
    return services.project_cancel(actor=actor, project=project, reason=data.reason)


@router.post(
    "/projects/{code}/terminate",
    response={200: TradingProjectSummary, **ERRORS},
    summary="Terminate a published tender (the tenderer, TBL-R §31)",
)
def project_terminate(request: HttpRequest, code: str, data: TradingReasonIn) -> TradingProject:
    project = selectors.project_published(code)
    return services.project_terminate(actor=acting_user(request), project=project, reason=data.reason)


# --- the committee ---------------------------------------------------------------------------------


@router.put(
    "/projects/{code}/criteria",
    response={200: list[CriterionOut], **ERRORS},
    summary="Set the scoring criteria (before the notice)",
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


@router.post("/projects/{code}/draws", response={201: DrawOut, **ERRORS}, summary="Draw experts at random")
def draw_create(request: HttpRequest, code: str, data: DrawIn) -> Status[DrawOut]:
    actor, project = _staff_step(request, code)
    draw, _tokens = services.draw_make(
        actor=actor, project=project, specialty=data.specialty, count=data.count, representatives=data.representatives
    )
    view = next(v for v in selectors.draws_of(project) if v.draw.pk == draw.pk)
    return Status(201, _draw_out(view))


@router.get("/projects/{code}/draws", response={200: list[DrawOut], **ERRORS}, summary="The project's draws")
def draw_index(request: HttpRequest, code: str) -> list[DrawOut]:
    _actor, project = _staff_step(request, code)
    return [_draw_out(view) for view in selectors.draws_of(project)]


@router.post(
    "/experts/picks/{token}",
    response={200: dict[str, str], **ERRORS},
    auth=None,
    summary="The drawn expert confirms or declines (the SMS link's token)",
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
)
def evaluation_start(request: HttpRequest, code: str) -> TradingProject:
    return _step_done(request, code, "evaluate")


@router.post("/projects/{code}/report", response={200: TradingProjectDetail, **ERRORS}, summary="Make the report")
def evaluation_report(request: HttpRequest, code: str) -> TradingProject:
    return _step_done(request, code, "report")


@router.post(
    "/projects/{code}/candidates/publication",
    response={200: TradingProjectDetail, **ERRORS},
    summary="Publish the candidates (TBL-R §54)",
)
def candidates_publish(request: HttpRequest, code: str) -> TradingProject:
    return _step_done(request, code, "publicise")


@router.put("/bids/{bid_id}/scores", response={200: dict[str, int], **ERRORS}, summary="An expert's scores of a bid")
def scores_submit(request: HttpRequest, bid_id: int, data: ScoresIn) -> dict[str, int]:
    bid = selectors.bid_for_scoring(bid_id)
    scores = services.scores_submit(actor=acting_user(request), bid=bid, points=dict(list(data.points.items())[:50]))
    return {"scores": len(scores)}


@router.post(
    "/projects/{code}/report/signatures",
    response={200: dict[str, str], **ERRORS},
    summary="Sign the report, with a written dissent where the member disagrees (TBL-R §53)",
)
def report_sign(request: HttpRequest, code: str, options: Query[ReportSignIn]) -> dict[str, str]:
    signature = services.report_sign(
        actor=acting_user(request), project=selectors.project_published(code), dissent=options.dissent
    )
    return {"report_sm3": signature.report_sm3, "dissent": signature.dissent}


@router.get("/projects/{code}/candidates", response={200: list[CandidateOut], **ERRORS}, auth=None)
def candidate_index(request: HttpRequest, code: str) -> list[Any]:
    """中标候选人, once published."""
    return list(selectors.candidates_public(selectors.project_published(code)))


@router.get(
    "/projects/{code}/candidates/mine",
    response={200: list[CandidateOut], **ERRORS},
    summary="The candidates as I may see them: a procurement's purchaser from the report's delivery",
)
def candidate_index_mine(request: HttpRequest, code: str) -> list[Any]:
    return list(selectors.candidates_for(acting_user(request), selectors.project_published(code)))


@router.post("/candidates/{candidate_id}/award", response={200: CandidateOut, **ERRORS}, summary="Award (the tenderer)")
def award(request: HttpRequest, candidate_id: int) -> Any:
    return services.award(actor=acting_user(request), candidate=selectors.candidate_get(candidate_id))


@router.post(
    "/projects/{code}/contract",
    response={200: TradingProjectSummary, **ERRORS},
    summary="Record the contract",
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
)
def award_records(request: HttpRequest, code: str) -> list[Any]:
    return list(selectors.award_records_of(selectors.project_published(code)))


# --- the bidder ---------------------------------------------------------------------------------------


@router.post(
    "/projects/{code}/bids",
    response={201: BidderReceiptOut, **ERRORS},
    summary="Upload a sealed bid (multipart: `envelope`, as yiwang-seal made it)",
)
def bid_create(
    request: HttpRequest, code: str, data: Form[BidUploadIn], envelope: File[UploadedFile]
) -> Status[BidReceipt]:
    limit = settings.YIWANG_TRADING_ENVELOPE_MAX_MB * 1024 * 1024
    if (envelope.size or 0) > limit:
        raise ValidationFailed(_("The sealed file is larger than the platform accepts."), code="envelope_too_large")
    receipt = services.bid_submit(
        actor=acting_user(request),
        project=selectors.project_published(code),
        lot_number=data.lot,
        data=b"".join(envelope.chunks()),
        source_address=request.META.get("REMOTE_ADDR"),
        user_agent=request.headers.get("User-Agent", "")[:500],
    )
    return Status(201, receipt)


@router.get("/projects/{code}/my-bids", response={200: list[MyBidOut], **ERRORS}, summary="My bids on a project")
def my_bids(request: HttpRequest, code: str) -> list[Bid]:
    return list(selectors.bids_of_bidder(acting_user(request), selectors.project_published(code)))


@router.post("/bids/{bid_id}/withdraw", response={200: BidderReceiptOut, **ERRORS}, summary="Withdraw my bid")
def bid_withdraw(request: HttpRequest, bid_id: int) -> BidReceipt:
    actor = acting_user(request)
    return services.bid_withdraw(actor=actor, bid=selectors.bid_of_bidder(actor, bid_id))


@router.post("/bids/{bid_id}/decrypt", response={200: MyBidOut, **ERRORS}, summary="Decrypt my bid at the opening")
def bid_decrypt(request: HttpRequest, bid_id: int, data: BidDecryptIn) -> Bid:
    actor = acting_user(request)
    return services.bid_decrypt(actor=actor, bid=selectors.bid_of_bidder(actor, bid_id), content_key=data.content_key)


# --- the award notice -----------------------------------------------------------------------------


@router.get(
    "/projects/{code}/award-notice.pdf",
    response={200: None, **ERRORS},
    summary="中标通知书 as PDF (TBL §45): the winning bidder, the tenderer, the centre and the supervisor",
)
def award_notice_download(request: HttpRequest, code: str) -> HttpResponse:
    project, winners = selectors.award_notice_of(acting_user(request), code)
    response = HttpResponse(
        award_notice.award_notice_pdf(project, winners, selectors.award_record_live(project)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{project.code}-award-notice.pdf"'
    return response
