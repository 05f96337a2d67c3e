"""Reads of the trading context. What the public may see is published projects and, once the bids are
closed, who bid and the receipts (招标投标法 §22: before that not even the number of bidders is told);
prices only after the opening. Bidders see their own bids; the centre and the supervisor their region's.

By capability: ``projects`` (published projects and the staff's, documents, events, deadlines, and who
is the tenderer or a supervisor), ``bids`` (bids, receipts and their proofs, platform and party keys),
``evaluation`` (expert draws, candidates, dissents, the award, its records and notice), ``complaints``
(objections, complaints, bid securities, the e-supervision's cards) and ``negotiation`` (single sources,
negotiations, rounds of final quotes). Callers import from here: ``from yiwang.trading import selectors``
or ``from yiwang.trading.selectors import is_tenderer``.
"""

from yiwang.trading.selectors.bids import (
    CLOSED_OR_LATER,
    bid_for_scoring,
    bid_of_bidder,
    bidder_key,
    bids_closed,
    bids_of_bidder,
    bids_opened,
    bids_public,
    custodian_candidates,
    custodians_named,
    is_custodian,
    keys_of,
    platform_keys,
    prices_public,
    receipt_proof,
    receipts_public,
)
from yiwang.trading.selectors.complaints import (
    alert_counts,
    alerts_for_staff,
    complaint_for,
    complaints_for,
    objection_get,
    objections_of,
    objections_of_raiser,
    securities_of,
    security_for_staff,
)
from yiwang.trading.selectors.evaluation import (
    AWARDED,
    DrawView,
    award_notice_of,
    award_record_live,
    award_records_of,
    award_winners,
    candidate_get,
    candidates_for,
    candidates_public,
    contracts_of,
    dissents_of,
    draws_of,
    may_see_award_notice,
)
from yiwang.trading.selectors.negotiation import (
    final_prices,
    final_quote_of_bidder,
    negotiations_for,
    quote_round_open,
    quote_rounds_for,
    quote_rounds_of,
    quoting_bids_of,
    result_challengeable,
    single_source_of,
)
from yiwang.trading.selectors.projects import (
    STAFF_ROLES,
    UNPUBLISHED,
    company_by_credit_code,
    criteria_of,
    documents_of,
    events_of,
    invitations_of,
    is_tenderer,
    next_deadline,
    project_for_staff,
    project_published,
    projects_for_staff,
    projects_published,
    supervises,
    supervisor_in,
)

__all__ = [
    "AWARDED", "CLOSED_OR_LATER", "STAFF_ROLES", "UNPUBLISHED", "DrawView",
    "alert_counts", "alerts_for_staff", "award_notice_of", "award_record_live", "award_records_of", "award_winners",
    "bid_for_scoring", "bid_of_bidder", "bidder_key", "bids_closed", "bids_of_bidder", "bids_opened", "bids_public",
    "candidate_get", "candidates_for", "candidates_public", "company_by_credit_code", "complaint_for",
    "complaints_for", "contracts_of", "criteria_of", "custodian_candidates", "custodians_named", "dissents_of",
    "documents_of", "draws_of", "events_of", "final_prices", "final_quote_of_bidder", "invitations_of",
    "is_custodian", "is_tenderer", "keys_of", "may_see_award_notice", "negotiations_for", "next_deadline",
    "objection_get", "objections_of", "objections_of_raiser", "platform_keys", "prices_public", "project_for_staff",
    "project_published", "projects_for_staff", "projects_published", "quote_round_open", "quote_rounds_for",
    "quote_rounds_of", "quoting_bids_of", "receipt_proof", "receipts_public", "result_challengeable",
    "securities_of", "security_for_staff", "single_source_of", "supervises", "supervisor_in",
]  # fmt: skip
