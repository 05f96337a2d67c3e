"""API bodies of complaints, bid securities, e-supervision cards and the figures."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class ComplaintIn(Schema):
    subject: str = Field(..., max_length=16, description="documents, candidates, opening, award or other")
    request: str = Field(..., max_length=2000, description="明确的请求 (招标投标法实施条例 §60)")
    grounds: str = Field(..., max_length=5000)
    known_on: date = Field(..., description="the day the complainant learnt of the matter")
    objection: int | None = Field(None, description="the complainant's objection answered first, where needed")


class ComplaintOut(Schema):
    id: int
    project: str = Field(..., alias="project.code")
    subject: str
    status: str
    request: str
    grounds: str
    known_on: date
    filed_at: datetime
    accept_due: date
    accepted_at: datetime | None
    decide_due: date | None
    outcome: str
    decision: str
    decided_at: datetime | None


class ComplaintRefuseIn(Schema):
    reason: str = Field(..., max_length=2000)


class ComplaintDecisionIn(Schema):
    outcome: str = Field(..., max_length=16, description="upheld, partly_upheld or dismissed")
    decision: str = Field(..., max_length=5000)


class SuspensionOut(Schema):
    code: str
    suspended_at: datetime | None
    suspended_until: datetime | None


class SecurityIn(Schema):
    lot: int = Field(1, ge=1, le=99)
    credit_code: str = Field(..., max_length=18, description="the bidder's unified social credit code")
    amount: Decimal = Field(..., max_digits=16, decimal_places=2)
    form: str = Field(..., max_length=16, description="transfer, cheque, guarantee or insurance")
    reference: str = Field(..., max_length=64)


class SecurityOut(Schema):
    id: int
    lot: int = Field(..., alias="lot.number")
    bidder: str = Field(..., alias="bidder.credit_code")
    amount: Decimal
    form: str
    reference: str
    status: str
    received_at: datetime
    refund_due: date | None
    refunded_at: datetime | None
    interest: Decimal


class SecurityRefundIn(Schema):
    interest: Decimal = Field(Decimal(0), max_digits=12, decimal_places=2)


class SecurityForfeitIn(Schema):
    reason: str = Field(..., max_length=300)


class AlertOut(Schema):
    project: str = Field(..., alias="project.code")
    rule: str
    colour: str
    detail: str
    issued_at: datetime


class FigureRowOut(Schema):
    kind: str
    method: str
    projects: int
    budget: Decimal
    contracted: int
    contract_amount: Decimal
    savings_rate: float | None
    failed: int
    terminated: int
    average_bids: float | None


class TradingFiguresOut(Schema):
    start: date
    end: date
    rows: list[FigureRowOut]
    total: FigureRowOut
    complaints: int
    complaints_upheld: int
    yellow: int
    red: int


class TradingPeriodQuery(Schema):
    start: date
    end: date


class InvitationsIn(Schema):
    credit_codes: list[str] = Field(..., max_length=500, description="the companies, or the pool to draw from")
    count: int | None = Field(None, ge=3, le=500, description="draw this many at random (procurement must)")


class InvitationOut(Schema):
    rank: int
    company: str = Field(..., alias="company.credit_code")
    name: str = Field(..., alias="company.full_name")
    drawn: bool
