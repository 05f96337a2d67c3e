"""Writes of the trading context (docs/trading.md), by capability: ``registration`` (supervision
assignments, registered keys, projects and lots), ``notices`` (the notice with the documents, the opening
key and its shares, clarifications and amendments), ``bidding`` (sealed bids, receipts, the closing with
its Merkle root), ``opening`` (decryption by the bidders, a platform fault and the custodians' shares,
the signed opening record) and ``lifecycle`` (objections that pause, cancelling, terminating);
``_common`` holds the shared helpers. Callers import from here."""

from yiwang.trading.services.bidding import (
    bid_submit,
    bid_withdraw,
    bidder_key_of,
    project_close,
    projects_close_due,
)
from yiwang.trading.services.draw import draw_make, draw_ranking, draw_verify, pick_of_token, pick_respond
from yiwang.trading.services.evaluation import (
    CriterionIn,
    award,
    candidates_publish,
    contract_sign,
    criteria_set,
    evaluation_report,
    evaluation_start,
    report_sign,
    scores_submit,
)
from yiwang.trading.services.experts import expert_register, expert_relation_declare, expert_sanction
from yiwang.trading.services.lifecycle import objection_answer, objection_raise, project_cancel, project_terminate
from yiwang.trading.services.notices import document_amend, notice_publish
from yiwang.trading.services.opening import (
    bid_decrypt,
    opening_conclude,
    opening_platform_fault,
    opening_start,
    share_submit,
)
from yiwang.trading.services.registration import (
    OPERATOR_ROLES,
    LotIn,
    operating_refused,
    party_key_register,
    project_register,
    supervision_assign,
    supervision_of,
)

__all__ = [
    "OPERATOR_ROLES",
    "CriterionIn",
    "LotIn",
    "award",
    "bid_decrypt",
    "bid_submit",
    "bid_withdraw",
    "bidder_key_of",
    "candidates_publish",
    "contract_sign",
    "criteria_set",
    "document_amend",
    "draw_make",
    "draw_ranking",
    "draw_verify",
    "evaluation_report",
    "evaluation_start",
    "expert_register",
    "expert_relation_declare",
    "expert_sanction",
    "notice_publish",
    "objection_answer",
    "objection_raise",
    "opening_conclude",
    "opening_platform_fault",
    "opening_start",
    "operating_refused",
    "party_key_register",
    "pick_of_token",
    "pick_respond",
    "project_cancel",
    "project_close",
    "project_register",
    "project_terminate",
    "projects_close_due",
    "report_sign",
    "scores_submit",
    "share_submit",
    "supervision_assign",
    "supervision_of",
]
