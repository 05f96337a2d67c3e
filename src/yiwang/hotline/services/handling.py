"""The handling unit's part: dispatch, signing for, returns and their review, the reply, and the
extensions of the reply time."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, raise_problems
from yiwang.core.fields import text_problems
from yiwang.hotline.models import Ticket, TicketStatus
from yiwang.hotline.rules import due_at
from yiwang.hotline.selectors import dispatch_suggestion, ticket_limit
from yiwang.hotline.services._common import (
    ANSWER_MAX,
    DISPATCH_ROLES,
    SUPERVISE_ROLES,
    _event,
    authorize_at,
    require_unit_officer,
    ticket_locked,
)
from yiwang.hotline.services.follow_up import _rating_link_prepare, _rating_link_send
from yiwang.hotline.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department


@transaction.atomic
def ticket_dispatch(*, actor: User | None, ticket: Ticket, unit: Department | None = None, note: str = "") -> Ticket:
    """派单: to the unit named, or to the dispatch catalogue's unit; the reply clock starts now."""
    ticket = ticket_locked(ticket)
    if actor is not None:
        authorize_at(actor, DISPATCH_ROLES, ticket.region)
    new = WORKFLOW.target(ticket.status, "dispatch")
    chosen = unit or dispatch_suggestion(ticket)
    if chosen is None:
        raise Conflict(_("The dispatch catalogue has no unit for this ticket: choose one."), code="no_dispatch_rule")
    old = ticket.status
    now = timezone.now()
    ticket.status, ticket.unit, ticket.dispatched_at = new, chosen, now
    ticket.due_at = due_at(now, ticket_limit(ticket), ticket.extension_days)
    ticket.save()
    _event(ticket, actor, "dispatch", old, note.strip(), by="hand" if unit else "catalogue")
    audit_record(actor=actor, action="hotline.dispatch", target=ticket, changes={"unit": [None, chosen.name]})
    return ticket


def return_window_hours() -> int:
    """How long after dispatch a unit may still ask to return a ticket (安阳: 24 hours)."""
    from django.conf import settings

    return int(getattr(settings, "YIWANG_HOTLINE_RETURN_HOURS", 24))


@transaction.atomic
def ticket_sign(*, actor: User | None, ticket: Ticket) -> Ticket:
    """签收: the unit acknowledges the ticket."""
    ticket = ticket_locked(ticket)
    require_unit_officer(actor, ticket)
    old = ticket.status
    ticket.status, ticket.signed_at = WORKFLOW.target(old, "sign"), timezone.now()
    ticket.save()
    _event(ticket, actor, "sign", old)
    audit_record(actor=actor, action="hotline.sign", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def ticket_return_request(*, actor: User | None, ticket: Ticket, reason: str) -> Ticket:
    """退单: only when it is not the unit's duty, within the window after dispatch, and never once the
    dispatcher designated the unit after reviewing a return (潍坊 §22)."""
    raise_problems([] if reason.strip() else [("reason", _("Say why this is not your unit's duty."))])
    ticket = ticket_locked(ticket)
    require_unit_officer(actor, ticket)
    new = WORKFLOW.target(ticket.status, "return_request")
    if ticket.unit_designated:
        raise Conflict(
            _("The dispatcher designated your unit after reviewing a return: it can no longer be returned."),
            code="return_not_allowed",
        )
    assert ticket.dispatched_at is not None
    hours = return_window_hours()
    if timezone.now() - ticket.dispatched_at > timedelta(hours=hours):
        raise Conflict(
            _("A ticket can be returned only within %(hours)s hours of dispatch.") % {"hours": hours},
            code="return_window_passed",
        )
    old = ticket.status
    ticket.status, ticket.return_reason = new, reason.strip()[:300]
    ticket.save()
    _event(ticket, actor, "return_request", old, reason.strip())
    audit_record(actor=actor, action="hotline.return_request", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def ticket_return_review(
    *, actor: User | None, ticket: Ticket, approve: bool, note: str = "", unit: Department | None = None
) -> Ticket:
    """The dispatcher reviews a return. Approved: the ticket goes to ``unit`` (or waits for dispatch);
    refused: it stays with the unit. Either way the unit that ends up with it may not return it again."""
    raise_problems([] if note.strip() else [("note", _("Give the reason of the review."))])
    ticket = ticket_locked(ticket)
    if actor is not None:
        authorize_at(actor, DISPATCH_ROLES, ticket.region)
    WORKFLOW.require(ticket.status, "return_review")
    old, previous = ticket.status, ticket.unit
    now = timezone.now()
    if approve and unit is None:
        ticket.status = WORKFLOW.target(old, "return_review", to=TicketStatus.NEW)
        ticket.unit, ticket.due_at, ticket.dispatched_at = None, None, None
        ticket.unit_designated = False
    else:
        if approve:
            assert unit is not None
            ticket.unit, ticket.dispatched_at = unit, now
            ticket.due_at = due_at(now, ticket_limit(ticket), ticket.extension_days)
        back = TicketStatus.SIGNED if ticket.signed_at and not approve else TicketStatus.DISPATCHED
        ticket.status = WORKFLOW.target(old, "return_review", to=back)
        ticket.unit_designated = True
    ticket.save()
    _event(
        ticket, actor, "return_review", old, note.strip(), approved=approve,
        from_unit=previous.name if previous else "", to_unit=ticket.unit.name if ticket.unit else "",
    )  # fmt: skip
    audit_record(actor=actor, action="hotline.return_review", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def ticket_reply(*, actor: User | None, ticket: Ticket, answer: str) -> Ticket:
    """答复: the unit's result, told to the caller and reviewed by the centre."""
    raise_problems(
        text_problems(answer, "answer", max_length=ANSWER_MAX, multiline=True)
        or ([] if answer.strip() else [("answer", _("Write what was done and the result."))])
    )
    ticket = ticket_locked(ticket)
    require_unit_officer(actor, ticket)
    old = ticket.status
    ticket.status, ticket.answer, ticket.replied_at = WORKFLOW.target(old, "reply"), answer.strip(), timezone.now()
    token = _rating_link_prepare(ticket)
    ticket.save()
    if token:
        phone = ticket.caller_phone
        transaction.on_commit(lambda: _rating_link_send(phone, ticket.number, token))
    _event(
        ticket, actor, "reply", old, answer.strip(), on_time=bool(ticket.due_at and ticket.replied_at <= ticket.due_at)
    )
    audit_record(actor=actor, action="hotline.reply", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def extension_request(*, actor: User | None, ticket: Ticket, days: int, reason: str) -> Any:
    """延期申请 by the unit, for an open ticket; one at a time."""
    from yiwang.hotline.models import ExtensionRequest

    problems = [] if reason.strip() else [("reason", _("Say why more time is needed."))]
    if not 1 <= days <= 30:
        problems.append(("days", _("Ask for 1 to 30 working days.")))
    raise_problems(problems)
    ticket = ticket_locked(ticket)
    require_unit_officer(actor, ticket)
    WORKFLOW.require(ticket.status, "extension_request")
    if ticket.extensions.filter(approved__isnull=True).exists():
        raise Conflict(_("An extension request of this ticket is waiting for a decision."), code="extension_pending")
    request = ExtensionRequest.objects.create(ticket=ticket, days=days, reason=reason.strip(), requested_by=actor)
    _event(ticket, actor, "extension_request", ticket.status, reason.strip(), days=days)
    audit_record(actor=actor, action="hotline.extension_request", target=ticket, changes={"days": [None, days]})
    return request


@transaction.atomic
def extension_decide(*, actor: User | None, request: Any, approve: bool, note: str = "") -> Any:
    """The supervisor approves (the due time moves by the working days) or refuses."""
    from yiwang.hotline.models import ExtensionRequest

    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    ticket = ticket_locked(request.ticket)
    if actor is not None:
        authorize_at(actor, SUPERVISE_ROLES, ticket.region)
    if request.approved is not None:
        raise Conflict(_("This extension request was already decided."), code="extension_decided")
    WORKFLOW.require(ticket.status, "extension_decide")
    request.approved, request.decided_by, request.decided_at = approve, actor, timezone.now()
    request.decision_note = note.strip()[:300]
    request.save()
    if approve:
        ticket.extension_days += request.days
        assert ticket.dispatched_at is not None
        ticket.due_at = due_at(ticket.dispatched_at, ticket_limit(ticket), ticket.extension_days)
        ticket.save()
    _event(ticket, actor, "extension_decide", ticket.status, note.strip(), approved=approve, days=request.days)
    audit_record(actor=actor, action="hotline.extension_decide", target=ticket, changes={"approved": [None, approve]})
    return request
