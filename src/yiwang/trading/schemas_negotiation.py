"""API bodies of the non-tender procurement methods: the single source, negotiation minutes, rounds of
sealed final quotes and the report's delivery to the purchaser."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class SingleSourceIn(Schema):
    credit_code: str = Field(..., max_length=18, description="the one supplier's unified social credit code")
    ground: str = Field(..., max_length=16, description="sole_supplier, emergency or continuation (政府采购法 §31)")
    reason: str = Field(..., max_length=5000, description="the reasons and the experts' opinion")


class SingleSourceOut(Schema):
    project: str = Field(..., alias="project.code")
    supplier: str = Field(..., alias="supplier.full_name")
    supplier_credit_code: str = Field(..., alias="supplier.credit_code")
    ground: str
    reason: str
    published_at: datetime
    ends_at: datetime


class NegotiationIn(Schema):
    bid: int = Field(..., description="the opened response of the supplier negotiated with")
    minutes: str = Field(..., max_length=20000)


class NegotiationOut(Schema):
    id: int
    bid: int = Field(..., alias="bid_id")
    supplier: str = Field(..., alias="bid.bidder.full_name")
    minutes: str
    recorded_at: datetime


class QuoteRoundIn(Schema):
    deadline: datetime = Field(..., description="with its time zone; 10 minutes to 30 days from now")
    note: str = Field("", max_length=5000, description="what the negotiation changed, sent to every supplier")


class FinalQuoteOut(Schema):
    id: int
    round: int = Field(..., alias="round.number")
    lot: int = Field(..., alias="bid.lot.number")
    status: str
    envelope_sm3: str
    submitted_at: datetime
    price: Decimal | None = Field(None, description="known once the supplier opens it after the deadline")


class QuoteRoundOut(Schema):
    number: int
    public_key: str = Field(..., description="seal the final quote for this key (`yiwang-seal seal --opening-key`)")
    deadline: datetime
    note: str
    called_at: datetime
    concluded_at: datetime | None


class FinalQuoteDecryptIn(Schema):
    content_key: str = Field(..., max_length=32, description="as `yiwang-seal unwrap` prints it")
