"""The caller's say: the rating link sent with the reply, and the follow-up (回访) that closes a
ticket or sends it back to be redone."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import NotFound, raise_problems
from yiwang.core.fields import text_problems
from yiwang.hotline.models import Ticket, TicketStatus
from yiwang.hotline.rules import due_at
from yiwang.hotline.selectors import ticket_limit
from yiwang.hotline.services._common import FOLLOW_UP_ROLES, _event, authorize_at, ticket_locked
from yiwang.hotline.services.publishing import reply_propose
from yiwang.hotline.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def _rating_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _rating_link_prepare(ticket: Ticket) -> str:
    """A caller who left a number gets a rating link with the reply; only its digest is kept, and a
    new reply (after a redo) replaces it."""
    if ticket.anonymous or not ticket.caller_phone:
        ticket.rating_token_digest = None
        return ""
    token = secrets.token_urlsafe(16)
    ticket.rating_token_digest = _rating_digest(token)
    return token


def _rating_link_send(phone: str, number: str, token: str) -> None:
    from django.conf import settings

    from yiwang.core.sms import sms_send

    link = f"{settings.YIWANG_PUBLIC_URL.rstrip('/')}/12345/rate/{token}/"
    text = _("[12345] Your request %(number)s was answered. Please tell us how it went: %(link)s") % {
        "number": number,
        "link": link,
    }
    sms_send(phone=phone, text=text)


def ticket_by_rating_token(token: str) -> Ticket | None:
    """The replied ticket a rating link is for (None once it is rated, closed or redone)."""
    if not token or len(token) > 64:
        return None
    return (
        Ticket.objects.filter(rating_token_digest=_rating_digest(token), status=TicketStatus.REPLIED)
        .select_related("category", "unit")
        .first()
    )


@transaction.atomic
def ticket_rate_by_link(*, token: str, satisfaction: str, solved: bool | None, note: str = "") -> Ticket:
    """The caller's own rating from the SMS link counts as the follow-up: satisfied or basically
    satisfied closes the ticket; dissatisfied sends it back to be redone (济南 §27)."""
    from yiwang.hotline.models import Satisfaction

    ticket = ticket_by_rating_token(token)
    if ticket is None:
        raise NotFound(_("This rating link is no longer valid: the request was already rated."), code="not_found")
    return ticket_follow_up(
        actor=None, ticket=ticket, satisfaction=satisfaction, solved=solved, note=note,
        redo=satisfaction == Satisfaction.DISSATISFIED, via="sms",
    )  # fmt: skip


@transaction.atomic
def ticket_follow_up(
    *,
    actor: User | None,
    ticket: Ticket,
    satisfaction: str,
    solved: bool | None,
    note: str = "",
    reached: bool = True,
    redo: bool = False,
    via: str = "phone",
) -> Ticket:
    """回访 (济南 §27): every replied ticket is followed up; the ticket is closed, or — the caller being
    dissatisfied — sent back to the unit to be redone with a new reply time."""
    from yiwang.hotline.models import FollowUp, Satisfaction

    problems = []
    if reached and satisfaction not in Satisfaction.values:
        problems.append(("satisfaction", _("Record whether the caller is satisfied.")))
    if redo and satisfaction != Satisfaction.DISSATISFIED:
        problems.append(("redo", _("Only a dissatisfied caller's ticket is sent back to be redone.")))
    problems += text_problems(note, "note", max_length=500, multiline=True)
    raise_problems(problems)
    ticket = ticket_locked(ticket)
    if actor is not None:
        authorize_at(actor, FOLLOW_UP_ROLES, ticket.region)
    action = "redo" if redo else "follow_up"
    new = WORKFLOW.target(ticket.status, action)
    FollowUp.objects.create(
        ticket=ticket, satisfaction=satisfaction if reached else "", solved=solved if reached else None,
        reached=reached, note=note.strip(), by=actor, via=via,
    )  # fmt: skip
    old = ticket.status
    now = timezone.now()
    ticket.rating_token_digest = None
    ticket.status = new
    if redo:
        ticket.replied_at, ticket.dispatched_at = None, now
        ticket.extension_days = 0
        ticket.due_at = due_at(now, ticket_limit(ticket))
    else:
        ticket.closed_at = now
    ticket.save()
    if not redo:
        reply_propose(ticket)  # 回复公开, where the caller agreed
    _event(ticket, actor, action, old, note.strip(), satisfaction=satisfaction, solved=solved, reached=reached)
    audit_record(actor=actor, action=f"hotline.{action}", target=ticket, changes={"status": [old, ticket.status]})
    return ticket
