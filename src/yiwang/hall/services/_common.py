"""Shared helpers of the queue's writes: the clerk's permission, the state table's check, the event row and the lock."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.hall.models import QueueEvent, QueueTicket
from yiwang.hall.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Hall

CLERK_ROLES = {Role.CLERK}
KIOSK_ROLES = {Role.CLERK, Role.CENTRE_ADMIN}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _event(ticket: QueueTicket, action: str, old: str, actor: User | None, **details: Any) -> None:
    QueueEvent.objects.create(
        ticket=ticket, action=action, from_status=old, to_status=ticket.status, window=ticket.window, actor=actor,
        details=details,
    )  # fmt: skip


def _authorize_clerk(actor: User, hall: Hall, roles: set[Role] = CLERK_ROLES) -> None:
    authorize(actor, roles, region=hall.centre.region)


def _step(ticket: QueueTicket, action: str) -> str:
    """Refuses a step the state table does not allow from the ticket's status; returns the old status."""
    WORKFLOW.require(ticket.status, action, number=ticket.number)
    return ticket.status


def _locked(ticket: QueueTicket) -> QueueTicket:
    return (
        QueueTicket.objects.select_for_update(of=("self",)).select_related("category", "hall__centre").get(pk=ticket.pk)
    )
