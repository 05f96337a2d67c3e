"""Writes of the trading context (docs/trading.md), by capability: ``registration`` (supervision
assignments, registered keys, projects and lots), ``notices`` (the notice with the documents, the opening
key and its shares, clarifications and amendments), ``bidding`` (sealed bids, receipts, the closing with
its Merkle root), ``opening`` (decryption by the bidders, a platform fault and the custodians' shares,
the signed opening record), ``lifecycle`` (objections that pause, cancelling, terminating), ``complaints``
(to the supervisor, suspension, decisions), ``securities`` (bid securities and their refunds),
``award`` (the award, its signed record, a voided award, the contracts per lot),
``single_source`` (the one supplier published first), ``negotiation`` (minutes and sealed final quotes)
and ``supervision`` (the e-supervision sweep that issues cards; imported by its task, not from here);
``_common`` holds the shared helpers. Callers import from here."""

from yiwang.trading.services.award import award, award_void, contract_sign
from yiwang.trading.services.bidding import (
    bid_submit,
    bid_withdraw,
    bidder_key_of,
    project_close,
    projects_close_due,
)
from yiwang.trading.services.complaints import (
    complaint_accept,
    complaint_decide,
    complaint_due,
    complaint_file,
    complaint_refuse,
    complaint_withdraw,
    project_suspend,
    suspension_lift,
)
from yiwang.trading.services.draw import draw_make, draw_ranking, draw_verify, pick_of_token, pick_respond
from yiwang.trading.services.evaluation import (
    CriterionIn,
    candidates_publish,
    criteria_set,
    evaluation_report,
    evaluation_start,
    report_deliver,
    report_sign,
    scores_submit,
)
from yiwang.trading.services.experts import expert_register, expert_relation_declare, expert_sanction
from yiwang.trading.services.invitations import invitation_ranking, invitations_make, pool_digest
from yiwang.trading.services.lifecycle import objection_answer, objection_raise, project_cancel, project_terminate
from yiwang.trading.services.negotiation import (
    final_quote_decrypt,
    final_quote_submit,
    negotiation_record,
    quote_round_call,
    quote_round_conclude,
)
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
from yiwang.trading.services.securities import security_record, security_refund
from yiwang.trading.services.single_source import single_source_publish

__all__ = [
    "OPERATOR_ROLES",
    "CriterionIn",
    "LotIn",
    "award",
    "award_void",
    "bid_decrypt",
    "bid_submit",
    "bid_withdraw",
    "bidder_key_of",
    "candidates_publish",
    "complaint_accept",
    "complaint_decide",
    "complaint_due",
    "complaint_file",
    "complaint_refuse",
    "complaint_withdraw",
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
    "final_quote_decrypt",
    "final_quote_submit",
    "invitation_ranking",
    "invitations_make",
    "negotiation_record",
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
    "pool_digest",
    "project_cancel",
    "project_close",
    "project_register",
    "project_suspend",
    "project_terminate",
    "projects_close_due",
    "quote_round_call",
    "quote_round_conclude",
    "report_deliver",
    "report_sign",
    "scores_submit",
    "security_record",
    "security_refund",
    "share_submit",
    "single_source_publish",
    "supervision_assign",
    "supervision_of",
    "suspension_lift",
]
