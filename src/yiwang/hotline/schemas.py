"""The hotline API's ticket schemas: what a ticket is sent and read as, and one body per handling step."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from yiwang.accounts.selectors import user_from_principal
from yiwang.core.masking import mask_phone
from yiwang.hotline import selectors
from yiwang.hotline.models import Ticket, TicketChannel, TicketKind, TicketStatus, Urgency


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None = Field(None, alias="parent.code")
    time_limit_hours: int | None


class TicketIn(Schema):
    channel: TicketChannel = TicketChannel.PHONE
    kind: TicketKind
    category: str = Field(..., max_length=20, description="code of a leaf of the category tree")
    description: str = Field(..., max_length=5000)
    address: str = Field("", max_length=200)
    region: str = Field("", max_length=12, description="area code (district or street)")
    latitude: str = Field("", max_length=20)
    longitude: str = Field("", max_length=20)
    urgency: Urgency = Urgency.NORMAL
    caller_name: str = Field("", max_length=60)
    caller_phone: str = Field("", max_length=20)
    anonymous: bool = False
    wants_reply: bool = True


class TicketSummary(Schema):
    number: str
    status: TicketStatus
    kind: TicketKind
    channel: TicketChannel
    category: str = Field(..., alias="category.name")
    urgency: Urgency
    unit: str | None = Field(None, alias="unit.name")
    created_at: datetime
    due_at: datetime | None


class LearnedOut(Schema):
    unit_id: int
    unit: str
    confidence: float
    words: list[str]


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    digest: str = Field(..., description="SM3 of the content")
    uploaded_at: datetime


class TicketDetail(TicketSummary):
    description: str
    address: str
    region: str | None = Field(None, alias="region.name")
    anonymous: bool
    caller_name: str
    caller_phone: str = Field("", description="masked")
    answer: str
    merged_into: str | None = Field(None, alias="merged_into.number")
    duplicates: list[str] = Field(
        default_factory=list, description="possible duplicates: same caller, or same place and category"
    )
    attachments: list[AttachmentOut] = Field(default_factory=list)
    suggested_unit: str | None = Field(None, description="the dispatch catalogue's unit")
    learned: list[LearnedOut] = Field(
        default_factory=list, description="the classifier's top 3 units with confidence and the words that drove it"
    )

    @staticmethod
    def resolve_attachments(obj: Ticket) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_caller_phone(obj: Ticket) -> str:
        return mask_phone(obj.caller_phone) if obj.caller_phone else ""

    @staticmethod
    def resolve_duplicates(obj: Ticket, context: dict[str, Any]) -> list[str]:
        request = (context or {}).get("request")
        viewer = None if getattr(request, "api_key", None) is not None else getattr(request, "user", None)
        return [t.number for t in selectors.duplicates_of(obj, user_from_principal(principal=viewer))]

    @staticmethod
    def resolve_learned(obj: Ticket) -> list[LearnedOut]:
        if obj.status != TicketStatus.NEW:
            return []
        from yiwang.hotline.learning import suggestions_for

        return [
            LearnedOut(unit_id=s.unit.pk, unit=s.unit.name, confidence=s.confidence, words=list(s.words))
            for s in suggestions_for(obj)
        ]

    @staticmethod
    def resolve_suggested_unit(obj: Ticket) -> str | None:
        if obj.status != TicketStatus.NEW:
            return None
        unit = selectors.dispatch_suggestion(obj)
        return unit.name if unit else None


# One body per step of a ticket (POST /tickets/{number}/actions/<step>): what each step reads, under the
# names and limits the single catch-all body had, so that clients send what they always sent.


class TicketDispatchIn(Schema):
    unit: int | None = Field(None, description="a department id; empty = the dispatch catalogue's unit")
    note: str = Field("", max_length=2000)


class TicketResolveIn(Schema):
    answer: str = Field("", max_length=5000, description="the answer given at first contact")
    article: int | None = Field(None, description="the knowledge-base article used")


class TicketMergeIn(Schema):
    into: str = Field("", max_length=24, description="the number of the ticket to merge into")


class TicketSignIn(Schema):
    """Signing for a ticket needs nothing but the ticket (an empty object)."""


class TicketReturnIn(Schema):
    reason: str = Field("", max_length=300, description="why it is not the unit's duty")


class TicketReviewReturnIn(Schema):
    approve: bool = Field(False, description="approve the return")
    note: str = Field("", max_length=2000, description="the reason of the review")
    unit: int | None = Field(None, description="approved: the department it goes to; empty = back to dispatch")


class TicketReplyIn(Schema):
    answer: str = Field("", max_length=5000, description="what was done and the result")


class TicketExtendIn(Schema):
    days: int = Field(0, description="working days")
    reason: str = Field("", max_length=300)


class TicketDecideExtensionIn(Schema):
    approve: bool = Field(False, description="approve the waiting extension request")
    note: str = Field("", max_length=2000)


class TicketFollowUpIn(Schema):
    satisfaction: str = Field("", description="satisfied, basically, dissatisfied")
    solved: bool | None = Field(None, description="was the problem solved")
    reached: bool = Field(True, description="was the caller reached")
    redo: bool = Field(False, description="send a dissatisfied caller's ticket back to be redone")
    note: str = Field("", max_length=2000)


class TicketSuperviseIn(Schema):
    note: str = Field("", max_length=2000, description="what the unit must do")


class TicketAnswerSupervisionIn(Schema):
    answer: str = Field("", max_length=5000, description="what the unit did about the open supervision order")
