"""What anyone reads without an account: published projects, receipts and their proofs, platform keys, OCDS."""

from typing import Any

from django.http import HttpRequest
from ninja import Query
from ninja.pagination import paginate

from yiwang.core.api_support import Pagination
from yiwang.trading import ocds, selectors
from yiwang.trading.api._common import ERRORS, router
from yiwang.trading.models import BidReceipt, TradingProject
from yiwang.trading.schemas import (
    BidReceiptPublicOut,
    PlatformKeyOut,
    ReceiptProofOut,
    TradingProjectDetail,
    TradingProjectFilter,
    TradingProjectSummary,
)


@router.get(
    "/projects",
    response={200: list[TradingProjectSummary], **ERRORS},
    auth=None,
    summary="交易信息: projects",
    operation_id="yiwang_trading_api_project_index",
)
@paginate(Pagination)
def project_index(request: HttpRequest, filters: Query[TradingProjectFilter]) -> object:
    return selectors.projects_published(kind=filters.kind or "", status=filters.status or "", query=filters.q)


@router.get(
    "/projects/{code}",
    response={200: TradingProjectDetail, **ERRORS},
    auth=None,
    summary="One project (public)",
    operation_id="yiwang_trading_api_project_detail",
)
def project_detail(request: HttpRequest, code: str) -> TradingProject:
    return selectors.project_published(code)


@router.get(
    "/projects/{code}/receipts",
    response={200: list[BidReceiptPublicOut], **ERRORS},
    auth=None,
    summary="Every receipt, once the bids are closed",
    operation_id="yiwang_trading_api_receipt_index",
)
def receipt_index(request: HttpRequest, code: str) -> list[BidReceipt]:
    return list(selectors.receipts_public(selectors.project_published(code)))


@router.get(
    "/projects/{code}/receipts/{sequence}/proof",
    response={200: ReceiptProofOut, **ERRORS},
    auth=None,
    summary="A receipt's inclusion proof under the closing's Merkle root",
    operation_id="yiwang_trading_api_receipt_proof",
)
def receipt_proof(request: HttpRequest, code: str, sequence: int) -> dict[str, Any]:
    project = selectors.project_published(code)
    receipt, proof, size = selectors.receipt_proof(project, sequence)
    return {"receipt": receipt, "index": sequence - 1, "tree_size": size, "proof": proof, "root": project.closing.root}


@router.get(
    "/platform-keys",
    response={200: list[PlatformKeyOut]},
    auth=None,
    summary="Keys that sign receipts",
    operation_id="yiwang_trading_api_platform_key_index",
)
def platform_key_index(request: HttpRequest) -> list[Any]:
    return list(selectors.platform_keys())


@router.get(
    "/ocds/releases/{code}",
    response={200: dict[str, Any], **ERRORS},
    auth=None,
    summary="OCDS 1.1 release package of a published project",
    operation_id="yiwang_trading_api_ocds_releases",
)
def ocds_releases(request: HttpRequest, code: str) -> dict[str, Any]:
    return ocds.release_package(selectors.project_published(code))


@router.get(
    "/ocds/records/{code}",
    response={200: dict[str, Any], **ERRORS},
    auth=None,
    summary="OCDS 1.1 record package (releases and the compiled release) of a published project",
    operation_id="yiwang_trading_api_ocds_records",
)
def ocds_records(request: HttpRequest, code: str) -> dict[str, Any]:
    return ocds.record_package(selectors.project_published(code))
