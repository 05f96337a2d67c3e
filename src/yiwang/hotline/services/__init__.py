"""Writes of the hotline: intake from every channel, resolving at first contact, dispatch by the
catalogue or by hand, merging duplicates. Each is one transaction with its permission check, audit
record and history entry (docs/hotline.md).

By capability: ``intake`` (tickets from every channel, first-contact answers, duplicates),
``catalogue`` (categories and the dispatch catalogue), ``handling`` (dispatch, the unit's steps,
extensions), ``follow_up`` (rating links and 回访), ``attachments``; ``_common`` holds what they share.
Every name is importable from this package as before."""

from yiwang.hotline.services._common import (
    ANSWER_MAX,
    DESCRIPTION_MAX,
    DISPATCH_ROLES,
    FOLLOW_UP_ROLES,
    INTAKE_ROLES,
    OPEN_FOR_UNIT,
    SUPERVISE_ROLES,
    UNIT_ROLES,
    _event,
    authorize_at,
    require_unit_officer,
    ticket_locked,
)
from yiwang.hotline.services.attachments import CHANNEL_ATTACH_HOURS, MAX_ATTACHMENTS, ticket_attach
from yiwang.hotline.services.catalogue import CATALOGUE_ROLES, category_upsert, dispatch_rule_add
from yiwang.hotline.services.follow_up import (
    _rating_digest,
    _rating_link_prepare,
    _rating_link_send,
    ticket_by_rating_token,
    ticket_follow_up,
    ticket_rate_by_link,
)
from yiwang.hotline.services.handling import (
    extension_decide,
    extension_request,
    return_window_hours,
    ticket_dispatch,
    ticket_reply,
    ticket_return_request,
    ticket_return_review,
    ticket_sign,
)
from yiwang.hotline.services.intake import (
    _PHONE,
    Intake,
    _coordinate,
    intake_problems,
    region_by_code,
    ticket_create,
    ticket_create_keyed,
    ticket_merge,
    ticket_number_next,
    ticket_resolve,
)

__all__ = [
    "ANSWER_MAX",
    "CATALOGUE_ROLES",
    "CHANNEL_ATTACH_HOURS",
    "DESCRIPTION_MAX",
    "DISPATCH_ROLES",
    "FOLLOW_UP_ROLES",
    "INTAKE_ROLES",
    "MAX_ATTACHMENTS",
    "OPEN_FOR_UNIT",
    "SUPERVISE_ROLES",
    "UNIT_ROLES",
    "_PHONE",
    "Intake",
    "_coordinate",
    "_event",
    "_rating_digest",
    "_rating_link_prepare",
    "_rating_link_send",
    "authorize_at",
    "category_upsert",
    "dispatch_rule_add",
    "extension_decide",
    "extension_request",
    "intake_problems",
    "region_by_code",
    "require_unit_officer",
    "return_window_hours",
    "ticket_attach",
    "ticket_by_rating_token",
    "ticket_create",
    "ticket_create_keyed",
    "ticket_dispatch",
    "ticket_follow_up",
    "ticket_locked",
    "ticket_merge",
    "ticket_number_next",
    "ticket_rate_by_link",
    "ticket_reply",
    "ticket_resolve",
    "ticket_return_request",
    "ticket_return_review",
    "ticket_sign",
]
