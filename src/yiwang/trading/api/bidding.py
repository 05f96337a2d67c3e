"""The bidder's sealed bids: upload, list, withdraw and decrypt at the opening."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, UploadedFile
from ninja.responses import Status

from yiwang.core.errors import ValidationFailed
from yiwang.core.shell import acting_user
from yiwang.trading import selectors, services
from yiwang.trading.api._common import ERRORS, router
from yiwang.trading.models import Bid, BidReceipt
from yiwang.trading.schemas import BidDecryptIn, BidderReceiptOut, BidUploadIn, MyBidOut


@router.post(
    "/projects/{code}/bids",
    response={201: BidderReceiptOut, **ERRORS},
    summary="Upload a sealed bid (multipart: `envelope`, as yiwang-seal made it)",
    operation_id="yiwang_trading_api_bid_create",
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


@router.get(
    "/projects/{code}/my-bids",
    response={200: list[MyBidOut], **ERRORS},
    summary="My bids on a project",
    operation_id="yiwang_trading_api_my_bids",
)
def my_bids(request: HttpRequest, code: str) -> list[Bid]:
    return list(selectors.bids_of_bidder(acting_user(request), selectors.project_published(code)))


@router.post(
    "/bids/{bid_id}/withdraw",
    response={200: BidderReceiptOut, **ERRORS},
    summary="Withdraw my bid",
    operation_id="yiwang_trading_api_bid_withdraw",
)
def bid_withdraw(request: HttpRequest, bid_id: int) -> BidReceipt:
    actor = acting_user(request)
    return services.bid_withdraw(actor=actor, bid=selectors.bid_of_bidder(actor, bid_id))


@router.post(
    "/bids/{bid_id}/decrypt",
    response={200: MyBidOut, **ERRORS},
    summary="Decrypt my bid at the opening",
    operation_id="yiwang_trading_api_bid_decrypt",
)
def bid_decrypt(request: HttpRequest, bid_id: int, data: BidDecryptIn) -> Bid:
    actor = acting_user(request)
    return services.bid_decrypt(actor=actor, bid=selectors.bid_of_bidder(actor, bid_id), content_key=data.content_key)
