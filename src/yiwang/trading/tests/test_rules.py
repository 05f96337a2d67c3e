"""The statutory periods, each against its article (docs/trading.md §4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from yiwang.trading import rules
from yiwang.trading.models import TradingMethod
from yiwang.trading.procedures import PROCEDURES

pytestmark = pytest.mark.django_db  # the working-day calendar reads the administrators' table

TZ = ZoneInfo("Asia/Shanghai")
NOTICE = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def test_the_bidding_period_is_at_least_20_days_from_the_first_issue() -> None:
    """招标投标法 §24."""
    issued = NOTICE.date()
    assert rules.bidding_period_shortfall(issued, NOTICE + timedelta(days=20)) == 0
    assert rules.bidding_period_shortfall(issued, NOTICE + timedelta(days=19, hours=14)) == 1  # 23:00 on day 19
    assert rules.bidding_period_shortfall(issued, NOTICE + timedelta(days=5)) == 15


def test_documents_are_on_sale_five_days_both_ends_counted() -> None:
    """招标投标法实施条例 §16."""
    assert rules.document_sale_shortfall(date(2026, 3, 2), date(2026, 3, 6)) == 0
    assert rules.document_sale_shortfall(date(2026, 3, 2), date(2026, 3, 5)) == 1


def test_procurement_documents_count_working_days_with_make_up_days() -> None:
    """政府采购法实施条例 §31, on the working-day calendar: 2026's National Day holiday (1–7 October) and
    its make-up Saturday, 10 October."""
    assert rules.procurement_sale_shortfall(date(2026, 9, 28), date(2026, 10, 7)) == 2  # Mon–Wed only
    assert rules.procurement_sale_shortfall(date(2026, 9, 28), date(2026, 10, 8)) == 1
    assert rules.procurement_sale_shortfall(date(2026, 9, 28), date(2026, 10, 9)) == 0
    assert rules.procurement_sale_shortfall(date(2026, 10, 8), date(2026, 10, 12)) == 1  # Sat 10 Oct counts
    assert rules.procurement_sale_shortfall(date(2026, 10, 8), date(2026, 10, 13)) == 0


def test_a_clarification_that_affects_bids_moves_a_deadline_less_than_15_days_away() -> None:
    """招标投标法 §23; 招标投标法实施条例 §21."""
    tender = PROCEDURES[TradingMethod.OPEN_TENDER]
    deadline = NOTICE + timedelta(days=25)
    early = NOTICE + timedelta(days=5)
    late = NOTICE + timedelta(days=12, hours=3)
    assert rules.clarification_deadline(tender, early, deadline) == deadline
    assert rules.clarification_deadline(tender, late, deadline) == late + timedelta(days=15)


def test_a_negotiation_counts_its_periods_in_working_days_with_make_up_days() -> None:
    """财政部令第74号 §29: three working days from the documents to the responses, and a clarification three
    working days before the deadline — counted on the calendar, where 2026's National Day holiday runs to
    7 October and Saturday 10 October is a working day (调休)."""
    negotiation = PROCEDURES[TradingMethod.COMPETITIVE_NEGOTIATION]
    holiday = datetime(2026, 10, 7, 10, 0, tzinfo=TZ)
    assert rules.response_period_shortfall(negotiation, holiday.date(), datetime(2026, 10, 10, 9, 30, tzinfo=TZ)) == 0
    assert rules.response_period_shortfall(negotiation, holiday.date(), datetime(2026, 10, 9, 9, 30, tzinfo=TZ)) == 1
    moved = rules.clarification_deadline(negotiation, holiday, datetime(2026, 10, 9, 9, 30, tzinfo=TZ))
    assert moved == datetime(2026, 10, 10, 9, 30, tzinfo=TZ)  # the make-up Saturday, same hour
    consultation = PROCEDURES[TradingMethod.COMPETITIVE_CONSULTATION]  # 财库〔2014〕214号 §10: ten days
    assert rules.response_period_shortfall(consultation, date(2026, 10, 1), datetime(2026, 10, 11, 9, tzinfo=TZ)) == 0
    assert rules.response_period_shortfall(consultation, date(2026, 10, 2), datetime(2026, 10, 11, 9, tzinfo=TZ)) == 1


def test_a_single_source_is_published_five_working_days() -> None:
    """政府采购法实施条例 §38: from the day after publication, five working days, to 24:00 of the last."""
    published = datetime(2026, 9, 30, 15, 0, tzinfo=TZ)
    assert rules.single_source_publicity_ends(published) == datetime(2026, 10, 14, 0, 0, tzinfo=TZ)


def test_objections_to_the_documents_close_ten_days_before_the_deadline() -> None:
    """招标投标法实施条例 §22: raised up to 10 days before the deadline, answered within 3 days."""
    deadline = NOTICE + timedelta(days=20)
    assert rules.objection_window_open(deadline - timedelta(days=10), deadline)
    assert not rules.objection_window_open(deadline - timedelta(days=10) + timedelta(seconds=1), deadline)
    assert rules.objection_answer_due(NOTICE) == NOTICE + timedelta(days=3)


def test_the_bid_security_is_at_most_two_percent_of_the_estimate() -> None:
    """招标投标法实施条例 §26."""
    assert rules.security_cap(Decimal("19500000.00")) == Decimal("390000.00")
    assert rules.security_cap(Decimal("333.33")) == Decimal("6.67")


def test_candidates_contract_and_complaint_periods() -> None:
    """招标投标法实施条例 §54 (publish within 3 days, for 3 days), 招标投标法 §46 (contract in 30 days),
    实施条例 §60 (complaint within 10 days)."""
    assert rules.candidates_publish_by(NOTICE) == NOTICE + timedelta(days=3)
    # 民法典 §201, §203: from the next day, the last day ending at 24:00 — published 3-2 09:00, open until 3-5 24:00.
    ends = rules.candidates_publicity_ends(NOTICE)
    assert timezone.localtime(ends).date() == timezone.localdate(NOTICE) + timedelta(days=4)
    assert timezone.localtime(ends).time() == datetime.min.time()
    assert rules.contract_due(NOTICE) == NOTICE + timedelta(days=30)
    assert rules.complaint_window_open(NOTICE, NOTICE + timedelta(days=10))
    assert not rules.complaint_window_open(NOTICE, NOTICE + timedelta(days=10, seconds=1))


def test_procurement_periods_are_working_days() -> None:
    """政府采购法实施条例 §43 and 政府采购法 §52: over the 2026 National Day holiday."""
    assert rules.working_day_due(date(2026, 9, 30), rules.REPORT_WORKING_DAYS) == date(2026, 10, 9)
    assert rules.working_day_due(date(2026, 9, 30), rules.CHALLENGE_WORKING_DAYS) == date(2026, 10, 15)


def test_a_challenge_is_answered_within_seven_working_days() -> None:
    """政府采购法 §53: 7 working days (not the 3 calendar days of 招标投标法实施条例 §22), to the end of the
    last one; received on Thursday 2026-09-24, the National Day holiday (10-01 to 10-08) not counted."""
    received = datetime(2026, 9, 24, 15, 0, tzinfo=TZ)
    assert rules.objection_answer_due(received) == received + timedelta(days=3)
    due = rules.objection_answer_due(received, procurement=True)
    last = rules.working_day_due(received.date(), 7)
    assert timezone.localtime(due) == datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=TZ)
    assert last > date(2026, 10, 8)  # the holiday week is skipped
