"""What every step of a ticket shares: the staff roles, the area check, locking a ticket and the
history entry. Which step may be taken from which status is the table's (``hotline.workflow``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.hotline.models import Ticket, TicketEvent
from yiwang.hotline.workflow import OPEN

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Region


DESCRIPTION_MAX = ANSWER_MAX = 5000
INTAKE_ROLES = {Role.HOTLINE_AGENT, Role.DISPATCHER}
DISPATCH_ROLES = {Role.DISPATCHER}
UNIT_ROLES = {Role.HANDLER}
SUPERVISE_ROLES = {Role.SUPERVISOR}
FOLLOW_UP_ROLES = {Role.HOTLINE_AGENT, Role.SUPERVISOR}
OPEN_FOR_UNIT = OPEN  # the name callers knew; defined once, in the table's module


def authorize_at(actor: User, roles: set[Role], region: Region | None) -> None:
    """A staff role covering the ticket's area; a ticket without an area needs only the role."""
    if region is not None:
        authorize(actor, roles, region=region)
    elif not user_has_role(user=actor, roles=roles):
        raise PermissionDenied()


def _event(ticket: Ticket, actor: User | None, action: str, old: str, note: str = "", **details: Any) -> None:
    TicketEvent.objects.create(
        ticket=ticket, action=action, from_status=old, to_status=ticket.status, actor=actor, unit=ticket.unit,
        note=note, details=details,
    )  # fmt: skip


def ticket_locked(ticket: Ticket) -> Ticket:
    found = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("category", "region", "unit")
        .filter(pk=ticket.pk)
        .first()
    )
    if found is None:
        raise NotFound(code="not_found")
    return found


def require_unit_officer(actor: User | None, ticket: Ticket) -> None:
    if actor is not None:
        if ticket.unit is None:
            raise PermissionDenied(code="out_of_scope")
        authorize(actor, UNIT_ROLES, department=ticket.unit)
