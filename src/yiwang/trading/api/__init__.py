"""API: public resource trading under /api/v1/trading/ — the same services and selectors as the pages.

Public (no account): published projects with their documents and opening key (to seal against), and
once the bids are closed the receipts with their Merkle proofs, the signed closing and opening record,
and the platform's public keys. Everything else acts as the logged-in account.

By capability, every operation on the one ``router`` of ``_common``: ``public`` (what anyone reads),
``keys`` (a party's public key), ``centre`` (the trading centre's steps up to the tender's end),
``evaluation`` (the committee, the candidates, the award and the contract), ``bidding`` (the bidder's
sealed bids) and ``award_notice`` (the 中标通知书 PDF). The operation ids are spelt out as they were when
this was one module (``yiwang_trading_api_<view>``): clients generate code from them. Callers import
from here: ``from yiwang.trading.api import router``.
"""

from yiwang.trading.api._common import ERRORS, router

# isort: off
# The modules register their operations in this order, which is the order of the OpenAPI document's paths
# (and of the API page) and of the URL patterns: keep it.
from yiwang.trading.api.public import (
    ocds_records,
    ocds_releases,
    platform_key_index,
    project_detail,
    project_index,
    receipt_index,
    receipt_proof,
)
from yiwang.trading.api.keys import key_register
from yiwang.trading.api.centre import (
    document_amend,
    notice_publish,
    objection_answer,
    objection_index,
    objection_raise,
    opening_conclude,
    opening_platform_fault,
    opening_start,
    project_cancel,
    project_close,
    project_create,
    project_terminate,
    share_submit,
)
from yiwang.trading.api.evaluation import (
    award,
    award_records,
    candidate_index,
    candidate_index_mine,
    candidates_publish,
    contract_sign,
    criteria_set,
    draw_create,
    draw_index,
    evaluation_report,
    evaluation_start,
    pick_answer,
    report_sign,
    scores_submit,
)
from yiwang.trading.api.bidding import bid_create, bid_decrypt, bid_withdraw, my_bids
from yiwang.trading.api.award_notice import award_notice_download
# isort: on

__all__ = [
    "ERRORS", "award", "award_notice_download", "award_records", "bid_create", "bid_decrypt", "bid_withdraw",
    "candidate_index", "candidate_index_mine", "candidates_publish", "contract_sign", "criteria_set",
    "document_amend", "draw_create", "draw_index", "evaluation_report", "evaluation_start", "key_register",
    "my_bids", "notice_publish", "objection_answer", "objection_index", "objection_raise", "ocds_records",
    "ocds_releases", "opening_conclude", "opening_platform_fault", "opening_start", "pick_answer",
    "platform_key_index", "project_cancel", "project_close", "project_create", "project_detail", "project_index",
    "project_terminate", "receipt_index", "receipt_proof", "report_sign", "router", "scores_submit",
    "share_submit",
]  # fmt: skip
