"""The disclosure context's tables, split by capability; the pure values live in ``choices``."""

from yiwang.disclosure.models.activity import DisclosureComplaint, OfficeYear, PublicResponse, WorkMeeting
from yiwang.disclosure.models.proactive import (
    CatalogueCategory,
    ConfidentialityReview,
    DisclosureGuide,
    IndexCounter,
    ItemAttachment,
    ItemChannel,
    ProactiveItem,
)
from yiwang.disclosure.models.requests import (
    Appeal,
    ClockEvent,
    DisclosureRequest,
    RedactionArea,
    ReleasedDocument,
    Reply,
    RequestCounter,
)
from yiwang.disclosure.models.supervision import DisclosureAlert

__all__ = [
    "Appeal",
    "CatalogueCategory",
    "ClockEvent",
    "ConfidentialityReview",
    "DisclosureAlert",
    "DisclosureComplaint",
    "DisclosureGuide",
    "DisclosureRequest",
    "IndexCounter",
    "ItemAttachment",
    "ItemChannel",
    "OfficeYear",
    "ProactiveItem",
    "PublicResponse",
    "RedactionArea",
    "ReleasedDocument",
    "Reply",
    "RequestCounter",
    "WorkMeeting",
]
