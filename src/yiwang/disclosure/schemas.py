"""API bodies of information disclosure. Limits and choices are checked by the services (one answer for
every entry point); the bodies only give the shapes, and refuse fields they do not know — a fee typed
by hand, say — with a 422 and its code."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from yiwang.disclosure import selectors
from yiwang.disclosure.choices import ClockEventKind

PUBLIC_NOTES = frozenset(
    {ClockEventKind.CORRECTION_REQUESTED, ClockEventKind.CORRECTED, ClockEventKind.EXTENDED, ClockEventKind.FEE_NOTICE}
)


class DisclosureStrict(Schema):
    model_config = ConfigDict(extra="forbid")


class DisclosureItemOut(Schema):
    id: int
    index_number: str | None
    title: str
    body: str = Field(..., alias="body.name")
    body_id: int
    category: str = Field(..., alias="category.name")
    kind: str
    document_number: str
    formed_on: date
    published_at: datetime | None
    issued_on: date | None
    repealed_on: date | None
    status: str
    due_on: date
    late: bool


class DisclosureItemDetailOut(DisclosureItemOut):
    text: str
    channels: list[str]
    source_url: str

    @staticmethod
    def resolve_channels(obj: object) -> list[str]:
        return [c.channel for c in obj.channels.all()]  # type: ignore[attr-defined]


class DisclosureCategoryOut(Schema):
    id: int
    name: str
    parent_id: int | None
    active: bool


class DisclosureGuideOut(Schema):
    office: str
    address: str
    hours: str
    phone: str
    text: str
    updated_at: datetime


class DisclosureCatalogueOut(Schema):
    body_id: int
    body: str
    categories: list[DisclosureCategoryOut]
    guide: DisclosureGuideOut | None


class DisclosureItemIn(DisclosureStrict):
    body_id: int = Field(..., ge=1, le=2**31 - 1)
    category_id: int = Field(..., ge=1, le=2**31 - 1)
    kind: str = "general"
    title: str
    text: str = ""
    document_number: str = ""
    formed_on: date
    issued_on: date | None = None
    channels: list[str] = Field(default_factory=lambda: ["website"], max_length=5)


class DisclosureReviewIn(DisclosureStrict):
    decision: str
    note: str = ""


class DisclosureRepealIn(DisclosureStrict):
    repealed_on: date


class DisclosureReasonIn(DisclosureStrict):
    reason: str


class DisclosureRequestIn(DisclosureStrict):
    """A request in the account's own name: no name or ID number here — they are the account's."""

    body_id: int = Field(..., ge=1, le=2**31 - 1)
    description: str
    delivery: str = "online"
    phone: str = ""
    address: str = ""
    purpose: str = ""
    form: str = ""
    requester_kind: str = Field(
        "", description="for a company account: company, research, public_interest, legal_service or other"
    )


class DisclosureRequestOut(Schema):
    id: int
    number: str
    body: str = Field(..., alias="body.name")
    body_id: int
    requester_kind: str
    channel: str
    description: str
    delivery: str
    received_on: date
    status: str
    due_on: date | None
    replied_on: date | None
    fee_method: str
    fee: Decimal


class DisclosureRunOut(Schema):
    first: date
    last: date
    state: str = Field(..., description="start, counted, paused, rest, waiting, voided or beyond_cap")
    reason: str
    working_days: int


class DisclosureClockOut(Schema):
    start: date | None
    due: date | None
    limit: int
    counted: int
    paused: int
    extension: int
    waiting: bool
    pausing: str
    on_time: bool | None
    provisional: bool
    runs: list[DisclosureRunOut]


class DisclosureEventOut(Schema):
    """An event as the requester may read it: the office's own notes (a consultation's letter and answer)
    stay with the office; what is addressed to the requester (what to correct, why the extension, how the
    fee was computed) is shown."""

    kind: str
    on: date
    until: date | None
    days: int | None
    party: str
    note: str

    @staticmethod
    def resolve_note(obj: Any) -> str:
        return str(obj.note) if obj.kind in PUBLIC_NOTES else ""


class DisclosureReplyOut(Schema):
    outcome: str
    ground: str
    where_public: str
    public_item_id: int | None
    other_body: str
    text: str
    delivery: str
    fee_method: str
    fee: Decimal
    replied_on: date
    on_time: bool
    extended: bool


class DisclosureAppealOut(Schema):
    id: int
    kind: str
    after_reconsideration: bool
    authority: str
    case_number: str
    filed_on: date
    outcome: str
    decided_on: date | None


class DisclosureRequestDetailOut(DisclosureRequestOut):
    """Read from the request through the selectors: the clock recomputed with its days."""

    clock: DisclosureClockOut
    events: list[DisclosureEventOut]
    reply: DisclosureReplyOut | None
    appeals: list[DisclosureAppealOut]

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return selectors.events_of(obj)

    @staticmethod
    def resolve_clock(obj: Any) -> dict[str, Any]:
        clock = selectors.clock_of(obj)
        return {**clock.__dict__, "on_time": clock.on_time, "runs": [run.__dict__ for run in clock.runs()]}

    @staticmethod
    def resolve_reply(obj: Any) -> Any:
        return selectors.reply_of(obj)

    @staticmethod
    def resolve_appeals(obj: Any) -> list[Any]:
        return selectors.appeals_of(obj)


class DisclosureCorrectionRequestIn(DisclosureStrict):
    what: str
    period: int = Field(15, ge=-32768, le=32767)


class DisclosureTextIn(DisclosureStrict):
    text: str


class DisclosureNoteIn(DisclosureStrict):
    note: str


class DisclosureConsultationIn(DisclosureStrict):
    party: str = Field(..., description="third_party (§32) or other_body (§34)")
    party_name: str
    note: str = ""


class DisclosureFeeIn(DisclosureStrict):
    method: str = Field(..., description="by_count or by_pages: the amount is computed, never sent")


class DisclosureExtensionIn(DisclosureStrict):
    days: int = Field(..., ge=-32768, le=32767)
    reason: str


class DisclosureReplyIn(DisclosureStrict):
    outcome: str
    ground: str = ""
    text: str
    delivery: str
    where_public: str = ""
    public_item_id: int | None = Field(None, ge=1, le=2**31 - 1)
    other_body: str = ""


class DisclosureAppealIn(DisclosureStrict):
    kind: str
    authority: str
    filed_on: date
    case_number: str = ""
    after_reconsideration: bool = False


class DisclosureAppealDecisionIn(DisclosureStrict):
    outcome: str
    decided_on: date
