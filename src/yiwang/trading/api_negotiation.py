"""API: the non-tender procurement methods under /api/v1/trading/ (docs/trading.md §4a) — the single
source named and published, the panel's minutes, rounds of sealed final quotes, and the report delivered to
the purchaser; the same services and selectors as the pages."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, UploadedFile
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.core.api_support import ErrorOut
from yiwang.core.errors import NotFound, ValidationFailed
from yiwang.core.shell import acting_user
from yiwang.trading import selectors, services
from yiwang.trading.schemas import TradingProjectDetail
from yiwang.trading.schemas_negotiation import (
    FinalQuoteDecryptIn,
    FinalQuoteOut,
    NegotiationIn,
    NegotiationOut,
    QuoteRoundIn,
    QuoteRoundOut,
    SingleSourceIn,
    SingleSourceOut,
)
from yiwang.trading.services.negotiation import QUOTE_MAX_BYTES

router = Router(tags=["trading"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


@router.post(
    "/projects/{code}/single-source",
    response={201: SingleSourceOut, **ERRORS},
    summary="Name and publish the single source (政府采购法实施条例 §38)",
)
def single_source_publish(request: HttpRequest, code: str, data: SingleSourceIn) -> Status[Any]:
    actor = acting_user(request)
    project = selectors.project_for_staff(actor, code)
    supplier = selectors.company_by_credit_code(data.credit_code)
    if supplier is None:
        raise NotFound(_("No registered company has this unified social credit code."), code="no_such_company")
    publicity = services.single_source_publish(
        actor=actor, project=project, supplier=supplier, ground=data.ground, reason=data.reason
    )
    return Status(201, publicity)


@router.get(
    "/projects/{code}/single-source",
    response={200: SingleSourceOut, **ERRORS},
    auth=None,
    summary="The single-source publicity (public)",
)
def single_source_read(request: HttpRequest, code: str) -> Any:
    publicity = selectors.single_source_of(selectors.project_published(code))
    if publicity is None:
        raise NotFound(_("This project names no single source."), code="not_found")
    return publicity


@router.post(
    "/projects/{code}/negotiations",
    response={201: NegotiationOut, **ERRORS},
    summary="Record the panel's negotiation with one supplier (政府采购法 §38(4))",
)
def negotiation_record(request: HttpRequest, code: str, data: NegotiationIn) -> Status[Any]:
    actor = acting_user(request)
    project = selectors.project_published(code)
    bid = selectors.bids_opened(project).filter(pk=data.bid).first()
    if bid is None:
        raise NotFound(_("This project has no opened response with this number."), code="not_found")
    return Status(201, services.negotiation_record(actor=actor, bid=bid, minutes=data.minutes))


@router.get(
    "/projects/{code}/negotiations",
    response={200: list[NegotiationOut], **ERRORS},
    summary="The minutes I may read: my own as a supplier, all as the panel, the centre or the supervisor",
)
def negotiation_index(request: HttpRequest, code: str) -> list[Any]:
    return list(selectors.negotiations_for(acting_user(request), selectors.project_published(code)))


@router.post(
    "/projects/{code}/quote-rounds",
    response={201: QuoteRoundOut, **ERRORS},
    summary="Call for sealed final quotes (最后报价)",
)
def quote_round_call(request: HttpRequest, code: str, data: QuoteRoundIn) -> Status[Any]:
    actor = acting_user(request)
    project = selectors.project_for_staff(actor, code)
    return Status(201, services.quote_round_call(actor=actor, project=project, deadline=data.deadline, note=data.note))


@router.get(
    "/projects/{code}/quote-rounds",
    response={200: list[QuoteRoundOut], **ERRORS},
    summary="The rounds of final quotes, for the suppliers in them, the panel, the centre and the supervisor",
)
def quote_round_index(request: HttpRequest, code: str) -> list[Any]:
    project = selectors.project_published(code)
    return selectors.quote_rounds_for(acting_user(request), project)


@router.post(
    "/projects/{code}/quote-rounds/conclusion",
    response={200: QuoteRoundOut, **ERRORS},
    summary="Conclude the round: quotes not opened lapse",
)
def quote_round_conclude(request: HttpRequest, code: str) -> Any:
    actor = acting_user(request)
    return services.quote_round_conclude(actor=actor, project=selectors.project_for_staff(actor, code))


@router.post(
    "/bids/{bid_id}/final-quotes",
    response={201: FinalQuoteOut, **ERRORS},
    summary="Upload my sealed final quote (multipart: `envelope`, as yiwang-seal made it, price only)",
)
def final_quote_submit(request: HttpRequest, bid_id: int, envelope: File[UploadedFile]) -> Status[Any]:
    actor = acting_user(request)
    if (envelope.size or 0) > QUOTE_MAX_BYTES:
        raise ValidationFailed(_("The sealed quote is larger than the platform accepts."), code="envelope_too_large")
    bid = selectors.bid_of_bidder(actor, bid_id)
    return Status(201, services.final_quote_submit(actor=actor, bid=bid, data=b"".join(envelope.chunks())))


@router.post(
    "/final-quotes/{quote_id}/decrypt",
    response={200: FinalQuoteOut, **ERRORS},
    summary="Open my final quote after the round's deadline",
)
def final_quote_decrypt(request: HttpRequest, quote_id: int, data: FinalQuoteDecryptIn) -> Any:
    actor = acting_user(request)
    quote = selectors.final_quote_of_bidder(actor, quote_id)
    return services.final_quote_decrypt(actor=actor, quote=quote, content_key=data.content_key)


@router.post(
    "/projects/{code}/report/delivery",
    response={200: TradingProjectDetail, **ERRORS},
    summary="Deliver the evaluation report to the purchaser (政府采购法实施条例 §43)",
)
def report_deliver(request: HttpRequest, code: str) -> Any:
    actor = acting_user(request)
    services.report_deliver(actor=actor, project=selectors.project_for_staff(actor, code))
    return selectors.project_published(code)
