"""The life of a trading project, a bid, a complaint and a bid security, each as one table
(core.workflow; docs/trading.md §3). ``trading.services`` asks them before every change and refuses
anything else with 409 ``project_status`` / ``bid_status`` / ``complaint_status`` / ``security_status``;
a test walks every row."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.core.errors import Conflict
from yiwang.core.workflow import SAME, Transition, Workflow
from yiwang.trading.choices import BidStatus as B
from yiwang.trading.choices import ComplaintStatus as C
from yiwang.trading.choices import ProjectStatus as S
from yiwang.trading.choices import QuoteStatus as Q
from yiwang.trading.choices import SecurityStatus as G


def _project_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("A project that is %(status)s cannot take this step.") % {"status": S(status).label},
        code="project_status",
    )


def _bid_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("A bid that is %(status)s cannot take this step.") % {"status": B(status).label}, code="bid_status"
    )


# Every status before the contract from which a tender may still end.
_RUNNING = {
    S.DRAFT,
    S.BIDDING,
    S.PAUSED,
    S.CLOSED,
    S.OPENING,
    S.OPENED,
    S.EVALUATING,
    S.REPORTED,
    S.PUBLICITY,
    S.DELIVERED,
    S.AWARDED,
}

PROJECT: Workflow[str] = Workflow(
    S.values,
    [
        # 招标公告 with the documents: the bidding period starts (TBL §24).
        Transition("publish", {S.DRAFT}, S.BIDDING),
        # 澄清或者修改 (TBL §23): a new version of the documents; the deadline may move.
        Transition("amend", {S.BIDDING, S.PAUSED}, SAME),
        # An objection to the documents pauses the project until it is answered (TBL-R §22).
        Transition("pause", {S.BIDDING}, S.PAUSED),
        Transition("resume", {S.PAUSED}, S.BIDDING),
        # At the deadline: the receipts' Merkle root is signed and published.
        Transition("close", {S.BIDDING}, S.CLOSED),
        # 开标: fewer than three bids → no opening, the project fails (TBL §28, TBL-R §44).
        Transition("opening_start", {S.CLOSED}, (S.OPENING, S.FAILED)),
        # The decryption window over: the opening record is signed and published.
        Transition("opening_conclude", {S.OPENING}, S.OPENED),
        Transition("evaluate", {S.OPENED}, S.EVALUATING),
        # 最后报价 (docs/trading.md §4a): a round of sealed final quotes called and opened, during the
        # evaluation, for the methods that negotiate.
        Transition("quote_call", {S.EVALUATING}, SAME),
        Transition("quote_conclude", {S.EVALUATING}, SAME),
        # The report; where too few final quotes came in every lot, the procurement fails.
        Transition("report", {S.EVALUATING}, (S.REPORTED, S.FAILED)),
        # A tender publishes its candidates (TBL-R §54); a procurement delivers the report to the
        # purchaser, who decides within 5 working days (GPL-R §43).
        Transition("publicise", {S.REPORTED}, S.PUBLICITY),
        Transition("deliver", {S.REPORTED}, S.DELIVERED),
        Transition("award", {S.PUBLICITY, S.DELIVERED}, S.AWARDED),
        # The winner declines or will not sign (TBL-R §55, §74): its award is void, the next candidate may
        # be chosen.
        Transition("award_void", {S.AWARDED}, (S.PUBLICITY, S.DELIVERED)),
        Transition("contract", {S.AWARDED}, S.CONTRACTED),
        # The operator withdraws a project not yet published.
        Transition("cancel", {S.DRAFT}, S.CANCELLED),
        # 终止招标 (TBL-R §31): the tenderer ends a published tender before the award; the centre records
        # it, publishes the notice and the securities are refunded.
        Transition("terminate", _RUNNING - {S.DRAFT, S.AWARDED}, S.TERMINATED),
    ],
    refusal=_project_refusal,
)

BID: Workflow[str] = Workflow(
    B.values,
    [
        # Before the deadline (TBL §29): a new envelope replaces the live one, or the bid is withdrawn.
        Transition("replace", {B.SUBMITTED}, B.REPLACED),
        Transition("withdraw", {B.SUBMITTED}, B.WITHDRAWN),
        # At the opening the bidder decrypts its own bid (电子招标投标办法 §31) …
        Transition("decrypt", {B.SUBMITTED}, B.OPENED),
        # … or fails to: its own fault counts as withdrawal; a platform fault is recorded as such …
        Transition("decrypt_fail", {B.SUBMITTED}, (B.FAILED_BIDDER, B.FAILED_PLATFORM)),
        # … and only then do k custodians' shares open it.
        Transition("recover", {B.FAILED_PLATFORM}, B.OPENED),
        # A lot with fewer than three bids is not opened (TBL-R §44): its bids go back sealed.
        Transition("return", {B.SUBMITTED}, B.RETURNED),
    ],
    refusal=_bid_refusal,
)


def _complaint_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("A complaint that is %(status)s cannot take this step.") % {"status": C(status).label},
        code="complaint_status",
    )


# 投诉 (招标投标法实施条例 §61): accepted or not within 3 working days, decided within 30 of acceptance;
# the complainant may withdraw until the decision.
COMPLAINT: Workflow[str] = Workflow(
    C.values,
    [
        Transition("accept", {C.FILED}, C.ACCEPTED),
        Transition("refuse", {C.FILED}, C.REFUSED),
        Transition("decide", {C.ACCEPTED}, C.DECIDED),
        Transition("withdraw", {C.FILED, C.ACCEPTED}, C.WITHDRAWN),
    ],
    refusal=_complaint_refusal,
)


def _security_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("A bid security that is %(status)s cannot take this step.") % {"status": G(status).label},
        code="security_status",
    )


# 投标保证金: refunded with interest once released (招标投标法实施条例 §57), or forfeited where the
# law says (§74: the winner refuses the contract).
SECURITY: Workflow[str] = Workflow(
    G.values,
    [
        Transition("refund", {G.HELD}, G.REFUNDED),
        Transition("forfeit", {G.HELD}, G.FORFEITED),
    ],
    refusal=_security_refusal,
)


def _quote_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("A final quote that is %(status)s cannot take this step.") % {"status": Q(status).label},
        code="quote_status",
    )


# 最后报价: sealed until the round's deadline, then opened by the supplier with its own key, or lapsed
# (the supplier leaves the round) when the round is concluded without it.
QUOTE: Workflow[str] = Workflow(
    Q.values,
    [
        Transition("replace", {Q.SUBMITTED}, SAME),
        Transition("decrypt", {Q.SUBMITTED}, Q.OPENED),
        Transition("lapse", {Q.SUBMITTED}, Q.LAPSED),
    ],
    refusal=_quote_refusal,
)
