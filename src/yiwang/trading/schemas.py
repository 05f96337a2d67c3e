"""The request and response bodies of /api/v1/trading/ (``trading.api``), named apart from other
contexts' (the OpenAPI document has one namespace). No postponed annotations: django-ninja resolves
these models when the routes are declared."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from ninja import Field, Schema

from yiwang.trading import selectors
from yiwang.trading.models import ProjectKind, ProjectStatus, TradingProject


class TradingLotOut(Schema):
    number: int
    title: str
    estimate: Decimal
    bid_security: Decimal
    failed: bool


class TradingProjectSummary(Schema):
    code: str
    ocid: str = ""
    title: str
    kind: ProjectKind
    method: str
    status: ProjectStatus
    region: str = Field(..., alias="region.name")
    budget: Decimal
    published_at: datetime | None
    bid_deadline: datetime | None

    @staticmethod
    def resolve_ocid(obj: TradingProject) -> str:
        return f"{settings.YIWANG_TRADING_OCID_PREFIX}-{obj.code}"


class TenderDocumentOut(Schema):
    version: int
    kind: str
    title: str
    body: str
    file_name: str
    sm3: str
    affects_bids: bool
    deadline_before: datetime | None
    deadline_after: datetime | None
    published_at: datetime


class BidClosingOut(Schema):
    receipts: int
    bids: int = Field(..., alias="live_bids")
    root: str
    content: str
    signature: str
    platform_key: str = Field(..., alias="key.fingerprint")
    closed_at: datetime


class OpeningRecordOut(Schema):
    started_at: datetime
    window_ends: datetime
    platform_fault: bool
    platform_fault_note: str
    concluded_at: datetime | None
    content: str
    signature: str


class OpenedBidOut(Schema):
    lot: int = Field(..., alias="lot.number")
    bidder: str = Field(..., alias="bidder.full_name")
    credit_code: str = Field(..., alias="bidder.credit_code")
    ciphertext_sm3: str
    status: str
    price: Decimal | None


class ProjectEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    note: str
    at: datetime


class TradingProjectDetail(TradingProjectSummary):
    evaluation_method: str
    qualification: str
    documents_from: date | None
    documents_until: date | None
    opening_public_key: str = ""
    lots: list[TradingLotOut]
    documents: list[TenderDocumentOut] = []
    closing: BidClosingOut | None = None
    opening: OpeningRecordOut | None = None
    bids: list[OpenedBidOut] = []
    events: list[ProjectEventOut] = []

    @staticmethod
    def resolve_lots(obj: TradingProject) -> list[Any]:
        return list(obj.lots.all())

    @staticmethod
    def resolve_opening_public_key(obj: TradingProject) -> str:
        key = getattr(obj, "opening_key", None)
        return key.public_key if key else ""

    @staticmethod
    def resolve_documents(obj: TradingProject) -> list[Any]:
        return list(selectors.documents_of(obj))

    @staticmethod
    def resolve_closing(obj: TradingProject) -> Any:
        return getattr(obj, "closing", None)

    @staticmethod
    def resolve_opening(obj: TradingProject) -> Any:
        opening = getattr(obj, "opening", None)
        return opening if opening is not None and opening.concluded_at else None

    @staticmethod
    def resolve_bids(obj: TradingProject) -> list[Any]:
        return selectors.bids_public(obj)

    @staticmethod
    def resolve_events(obj: TradingProject) -> list[Any]:
        return list(selectors.events_of(obj))


class TradingProjectFilter(Schema):
    kind: ProjectKind | None = None
    status: ProjectStatus | None = None
    q: str = Field("", max_length=100, description="words of the title or the code")


class BidReceiptPublicOut(Schema):
    sequence: int
    action: str
    content: str = Field(..., description="the signed content, canonical JSON: a leaf of the closing's tree")
    signature: str
    platform_key: str = Field(..., alias="key.fingerprint")
    received_at: datetime


class ReceiptProofOut(Schema):
    receipt: BidReceiptPublicOut
    index: int
    tree_size: int
    proof: list[str] = Field(..., description="RFC 9162 audit path (SM3; leaf 0x00‖content, node 0x01‖l‖r)")
    root: str


class PlatformKeyOut(Schema):
    region: str = Field(..., alias="region.code")
    public_key: str
    fingerprint: str
    created_at: datetime
    retired_at: datetime | None


class PartyKeyIn(Schema):
    purpose: str = Field(..., max_length=16, description="bidder | custodian")
    public_key: str = Field(..., max_length=140, description="SM2 public key, 128 hex digits (04 prefix allowed)")


class PartyKeyOut(Schema):
    purpose: str
    public_key: str
    fingerprint: str
    created_at: datetime


class TradingLotIn(Schema):
    title: str = Field(..., max_length=200)
    estimate: Decimal = Field(..., max_digits=16, decimal_places=2)
    bid_security: Decimal = Field(Decimal(0), max_digits=16, decimal_places=2)


class TradingProjectIn(Schema):
    region: str = Field(..., max_length=12, description="region code")
    kind: str = Field(..., max_length=16)
    method: str = Field(..., max_length=16)
    evaluation_method: str = Field(..., max_length=16)
    title: str = Field(..., max_length=200)
    budget: Decimal = Field(..., max_digits=16, decimal_places=2)
    lots: list[TradingLotIn] = Field(..., max_length=99)
    tenderer_department: int | None = None
    state_funded: bool = False
    qualification: str = Field("", max_length=5000)


class TenderNoticeIn(Schema):
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=50_000)
    documents_from: date
    documents_until: date
    bid_deadline: datetime = Field(..., description="with its offset, to the second")
    custodians: list[str] = Field(..., max_length=9, description="usernames of the opening key's custodians")
    threshold: int = Field(3, ge=1, le=9)


class TenderAmendIn(Schema):
    kind: str = Field(..., max_length=16, description="clarification | amendment")
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=50_000)
    affects_bids: bool = False


class PlatformFaultIn(Schema):
    bids: list[int] = Field(..., max_length=1000)
    note: str = Field(..., max_length=500)


class OpeningConcludeIn(Schema):
    abandon_recovery: bool = Field(False, description="give up bids struck by a platform fault (withdrawn, no fault)")


class KeyShareIn(Schema):
    share: str = Field(..., max_length=64, description="the custodian's share, as `yiwang-seal share` prints it")


class ObjectionIn(Schema):
    text: str = Field(..., max_length=5000)
    subject: str = Field("documents", max_length=16, description="documents (TBL-R §22) | candidates (§54)")


class ObjectionOut(Schema):
    id: int
    subject: str
    text: str
    raised_at: datetime
    answer_due: datetime
    answer: str
    answered_at: datetime | None


class ObjectionAnswerIn(Schema):
    answer: str = Field(..., max_length=5000)


class TradingReasonIn(Schema):
    reason: str = Field(..., max_length=500)


class CriterionInSchema(Schema):
    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=16, description="technical | commercial | price")
    max_score: Decimal = Field(..., max_digits=5, decimal_places=2)


class CriterionOut(Schema):
    id: int
    order: int
    name: str
    kind: str
    max_score: Decimal


class DrawIn(Schema):
    specialty: str = Field(..., max_length=16)
    count: int = Field(..., ge=1, le=49)
    representatives: int = Field(0, ge=0, le=16)


class DrawOut(Schema):
    id: int
    specialty: str
    count: int
    representatives: int
    pool_digest: str
    exclusions_digest: str
    salt_commitment: str
    seed: str = Field("", description="revealed with the salt when the evaluation starts")
    salt: str = Field("", description="revealed when the evaluation starts; SM3(salt) = salt_commitment")
    drawn_at: datetime
    verified: bool = False
    exclusions: dict[str, int] = {}
    picks: list[str] = Field(default_factory=list, description="each pick's status in rank order (names sealed)")


class PickAnswerIn(Schema):
    answer: str = Field(..., pattern="^(confirm|decline)$")


class ScoresIn(Schema):
    points: dict[int, Decimal] = Field(..., description="criterion id → points (every non-price criterion)")


class CandidateOut(Schema):
    id: int
    lot: int = Field(..., alias="lot.number")
    rank: int
    bidder: str = Field(..., alias="bid.bidder.full_name")
    price: Decimal | None = Field(None, description="the evaluated price: the bid's, or the last final quote")
    total: Decimal | None
    awarded: bool


class ContractIn(Schema):
    amount: Decimal = Field(..., max_digits=16, decimal_places=2)
    signed_on: date
    lot: int | None = Field(
        None, ge=1, le=999, description="the lot's number; may be left out where one lot is awarded"
    )


class AwardRecordOut(Schema):
    content: str = Field(..., description="canonical JSON, as signed")
    signature: str = Field(..., description="SM2 over the content, hex")
    platform_key: str = Field(..., alias="key.fingerprint")
    signed_at: datetime
    voided_at: datetime | None


class BidderReceiptOut(Schema):
    """What the bidder keeps: the signed content names the bid's digests and a random receipt id — no
    sequence number, which would tell how many bids came before (招标投标法 §22)."""

    bid: int = Field(..., alias="bid_id")
    action: str
    content: str
    signature: str
    platform_key: str = Field(..., alias="key.fingerprint")
    received_at: datetime
    ciphertext_sm3: str = Field(..., alias="bid.ciphertext_sm3")


class MyBidOut(Schema):
    id: int
    lot: int = Field(..., alias="lot.number")
    status: str
    ciphertext_sm3: str
    size: int
    submitted_at: datetime
    price: Decimal | None
    opening_note: str


class BidUploadIn(Schema):
    lot: int = Field(1, ge=1, le=99)


class BidDecryptIn(Schema):
    content_key: str = Field(..., max_length=32, description="as `yiwang-seal unwrap` prints it")


class ReportSignIn(Schema):
    dissent: str = Field("", max_length=2000, description="the member's dissent and its reasons, if any")
