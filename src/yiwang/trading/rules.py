"""The statutory periods of tendering and procurement, each stated once with its article
(docs/trading.md §4). Calendar days where the law counts days (招标投标法 and its regulation), working
days on the platform's calendar where it counts working days (政府采购法 and its regulation). None of
them is a setting: the domain file names no local practice among them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from yiwang.calendar.workdays import add_working_days, working_days_between

if TYPE_CHECKING:
    from yiwang.trading.procedures import Procedure

BIDDING_DAYS = 20  # 招标投标法 §24; 政府采购法 §35
DOCUMENT_SALE_DAYS = 5  # 招标投标法实施条例 §16
DOCUMENT_SALE_WORKING_DAYS = 5  # 政府采购法实施条例 §31
CLARIFICATION_DAYS = 15  # 招标投标法 §23; 招标投标法实施条例 §21
OBJECTION_CUTOFF_DAYS = 10  # 招标投标法实施条例 §22
OBJECTION_ANSWER_DAYS = 3  # 招标投标法实施条例 §22, §54
MIN_BIDS = 3  # 招标投标法 §28; 招标投标法实施条例 §44
MAX_SECURITY_SHARE = Decimal("0.02")  # 招标投标法实施条例 §26
CANDIDATES_PUBLISH_DAYS = 3  # 招标投标法实施条例 §54: within 3 days of the report …
CANDIDATES_PUBLICITY_DAYS = 3  # … for at least 3 days
CONTRACT_DAYS = 30  # 招标投标法 §46; 政府采购法 §46
SECURITY_REFUND_DAYS = 5  # 招标投标法实施条例 §35, §57
COMPLAINT_DAYS = 10  # 招标投标法实施条例 §60
COMPLAINT_ACCEPT_WORKING_DAYS = 3  # 招标投标法实施条例 §61: accepted or not within 3 working days …
COMPLAINT_DECISION_WORKING_DAYS = 30  # … decided in writing within 30 working days of acceptance
PROCUREMENT_SUSPENSION_DAYS = 30  # 政府采购法 §57: a procurement suspended at most 30 days
MAX_CANDIDATES = 3  # 招标投标法实施条例 §53
# 政府采购 in working days
REPORT_WORKING_DAYS = 2  # 政府采购法实施条例 §43: the report to the purchaser
DECISION_WORKING_DAYS = 5  # §43: the purchaser decides
ANNOUNCEMENT_WORKING_DAYS = 2  # §43: notice of award and announcement
CONTRACT_PUBLISHED_WORKING_DAYS = 2  # §50
CHALLENGE_WORKING_DAYS = 7  # 政府采购法 §52 (质疑) …
CHALLENGE_ANSWER_WORKING_DAYS = 7  # … §53
PROCUREMENT_COMPLAINT_WORKING_DAYS = 15  # §55
SINGLE_SOURCE_PUBLICITY_WORKING_DAYS = 5  # 政府采购法实施条例 §38
SINGLE_SOURCE_ANSWER_WORKING_DAYS = 5  # 财政部令第74号 §40: objections answered after the publicity
INVITED_MIN_SUPPLIERS = 3  # 政府采购法 §34 (邀请招标: at least three suppliers at random)
# 电子招标投标办法 §31: bidders decrypt online at the opening within the time the documents set; this is
# the platform's default for that time (the tender documents of a real project state it).
DECRYPTION_WINDOW = timedelta(minutes=30)


def response_period_shortfall(procedure: Procedure, documents_from: date, deadline: datetime) -> int:
    """Days (or working days, as the method counts them) missing from the time the suppliers have to
    respond, from the day the documents are first issued to the deadline's day, the first day not counted
    (民法典 §201); 0 when long enough. The tenders' 20 days are ``bidding_period_shortfall``."""
    end = timezone.localdate(deadline)
    if procedure.response_working:
        counted = working_days_between(documents_from, end).working_days
    else:
        counted = (end - documents_from).days
    return max(0, procedure.response_days - counted)


def clarification_deadline(procedure: Procedure, now: datetime, deadline: datetime) -> datetime:
    """The deadline after a clarification that may affect the responses, issued at ``now``: the method's
    lead before the deadline (15 days for a tender: 招标投标法实施条例 §21; 3 working days for
    negotiation and quotation: 财政部令第74号 §29, §45; 5 days for consultation: 财库〔2014〕214号 §10),
    else the deadline moves to the end of that lead."""
    if procedure.clarification_working:
        if not procedure.clarification_days:
            return deadline
        last = working_day_due(timezone.localdate(now), procedure.clarification_days)
        earliest = timezone.make_aware(datetime.combine(last, timezone.localtime(deadline).time()))
    else:
        earliest = now + timedelta(days=procedure.clarification_days)
    return max(deadline, earliest)


def single_source_publicity_ends(published: datetime) -> datetime:
    """The end of the single-source publicity: five working days after the day it is published, to
    24:00 of the last (政府采购法实施条例 §38)."""
    last = working_day_due(timezone.localdate(published), SINGLE_SOURCE_PUBLICITY_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def bidding_period_shortfall(documents_from: date, deadline: datetime) -> int:
    """Days missing from the bidding period (招标投标法 §24: from the day documents are first issued to
    the deadline's day at least 20 days, counted in local dates); 0 when the period is long enough."""
    return max(0, BIDDING_DAYS - (timezone.localdate(deadline) - documents_from).days)


def document_sale_shortfall(documents_from: date, documents_until: date) -> int:
    """Days missing from the document sale (招标投标法实施条例 §16: at least 5 days, both ends counted)."""
    return max(0, DOCUMENT_SALE_DAYS - ((documents_until - documents_from).days + 1))


def procurement_sale_shortfall(documents_from: date, documents_until: date) -> int:
    """Working days missing from a procurement's document period (政府采购法实施条例 §31: ≥ 5 working
    days from the first day, both ends counted, on the platform's calendar with 调休)."""
    counted = working_days_between(documents_from - timedelta(days=1), documents_until).working_days
    return max(0, DOCUMENT_SALE_WORKING_DAYS - counted)


def objection_window_open(now: datetime, deadline: datetime, *, tender: bool = True) -> bool:
    """An objection to a tender's documents is taken until 10 days before the deadline (招标投标法实施条例
    §22); a challenge to a non-tender procurement's documents, whose response period may be 3 working days,
    until the deadline (政府采购法 §52 counts from when the supplier knew; no earlier cutoff)."""
    if not tender:
        return now < deadline
    return now <= deadline - timedelta(days=OBJECTION_CUTOFF_DAYS)


def objection_answer_due(received: datetime, *, procurement: bool = False) -> datetime:
    """The answer is due within 3 days of receipt (招标投标法实施条例 §22, §54); a procurement's challenge
    (质疑) within 7 working days, to the end of the last one (政府采购法 §53)."""
    if procurement:
        last = working_day_due(timezone.localdate(received), CHALLENGE_ANSWER_WORKING_DAYS)
        return timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return received + timedelta(days=OBJECTION_ANSWER_DAYS)


def security_cap(estimate: Decimal) -> Decimal:
    """The largest bid security: 2% of the estimate (招标投标法实施条例 §26), to the fen."""
    return (estimate * MAX_SECURITY_SHARE).quantize(Decimal("0.01"))


def candidates_publish_by(report_received: datetime) -> datetime:
    return report_received + timedelta(days=CANDIDATES_PUBLISH_DAYS)


def candidates_publicity_ends(published: datetime) -> datetime:
    """The end of a publicity of at least 3 days (招标投标法实施条例 §54), counted as 民法典 §201, §203
    count days: from the day after publication, ending at 24:00 of the last day (local time)."""
    last_day = timezone.localdate(published) + timedelta(days=CANDIDATES_PUBLICITY_DAYS)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def contract_due(award_notice: datetime) -> datetime:
    return award_notice + timedelta(days=CONTRACT_DAYS)


def complaint_window_open(known: datetime, now: datetime) -> bool:
    return now <= known + timedelta(days=COMPLAINT_DAYS)


def end_of_day(day: date) -> datetime:
    """24:00 of ``day``, local time (a period's last day counts whole: 民法典 §203)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def working_days_after(moment: datetime, working_days: int) -> datetime:
    """24:00 of the ``working_days``-th working day after ``moment``'s day (政府采购 periods)."""
    return working_days_after_day(timezone.localdate(moment), working_days)


def working_days_after_day(day: date, working_days: int) -> datetime:
    return end_of_day(working_day_due(day, working_days))


def working_day_due(start: date, working_days: int) -> date:
    """The last day of a period of ``working_days`` working days after ``start`` (政府采购 periods)."""
    return add_working_days(start, working_days).date
