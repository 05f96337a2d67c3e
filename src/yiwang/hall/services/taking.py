"""Taking a number (取号) at the kiosk or by phone, and the holder's own page and cancelling."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.counters import counter_next
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.core.identifiers import normalise_phone
from yiwang.core.personal_data import lookup_digest
from yiwang.hall.models import OPEN_STATUSES, QueueCategory, QueueChannel, QueueCounter, QueueTicket
from yiwang.hall.selectors import ahead_of, policy_of
from yiwang.hall.services._common import KIOSK_ROLES, _authorize_clerk, _digest, _event, _locked, _step
from yiwang.hall.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Hall

_PHONE = re.compile(r"^1\d{10}$")


def queue_serial_next(category: QueueCategory, day: Any) -> int:
    """The next serial of the category's day, drawn in the taking transaction (the counter row stays
    locked until it commits, so parallel takers get consecutive, distinct numbers)."""
    return counter_next(QueueCounter, what="queue numbers", category=category, day=day)


@dataclass(frozen=True)
class Taken:
    ticket: QueueTicket
    holder_token: str  # shown once: the holder's page /hall/q/<token>/
    ahead: int


def queue_take(
    *,
    category: QueueCategory,
    channel: str,
    actor: User | None = None,
    phone: str = "",
    device: str = "",
    account: User | None = None,
    priority: int = 0,
    now: datetime | None = None,
) -> Taken:
    """取号: a number of the category for today. The kiosk is a staff terminal; a phone takes without an
    account but only in the hall (the display's token, checked by the view) and within its limits. The
    people ahead are counted after the commit, so the day's counter row stays locked for the writes only."""
    with transaction.atomic():
        ticket, token = queue_take_within(
            category=category, channel=channel, actor=actor, phone=phone, device=device, account=account,
            priority=priority, now=now,
        )  # fmt: skip
        queue_ticket_number(ticket, at=now)  # last: the counter's row is locked from here to the commit
    return Taken(ticket=ticket, holder_token=token, ahead=ahead_of(ticket))


def queue_take_within(
    *,
    category: QueueCategory,
    channel: str,
    actor: User | None = None,
    phone: str = "",
    device: str = "",
    account: User | None = None,
    priority: int = 0,
    now: datetime | None = None,
) -> tuple[QueueTicket, str]:
    """``queue_take``'s writes inside the caller's transaction, which must be open (a check-in's). The
    ticket is written under a provisional number, and the category's day counter, whose row stays locked
    until the commit, is drawn by ``queue_ticket_number`` — called by the caller as its transaction's last
    writes but one or two, so that parallel takers queue for those and the commit only. The new ticket and
    its holder's token (shown once); the caller counts the people ahead once committed."""
    now = now or timezone.now()
    hall = category.hall
    if channel == QueueChannel.KIOSK:
        if actor is None:
            raise PermissionDenied()
        _authorize_clerk(actor, hall, KIOSK_ROLES)
    local = timezone.localtime(now)
    day = local.date()
    if not category.is_open:
        raise Conflict(_("%(name)s is not taking numbers today.") % {"name": category.name}, code="category_closed")
    if not category.opens_at <= local.time() < category.closes_at:
        raise Conflict(
            _("Numbers for %(name)s are given from %(start)s to %(end)s.")
            % {"name": category.name, "start": f"{category.opens_at:%H:%M}", "end": f"{category.closes_at:%H:%M}"},
            code="category_hours",
        )
    phone = normalise_phone(phone) if phone.strip() else ""
    if phone and not _PHONE.match(phone):
        raise ValidationFailed(
            _("Enter an 11-digit mobile number, or leave it empty."),
            details={
                "errors": [{"field": "phone", "message": _("Enter an 11-digit mobile number, or leave it empty.")}]
            },
        )
    phone_digest = lookup_digest(phone) if phone else ""
    device_digest = _digest(device) if device else ""
    if channel == QueueChannel.PHONE:
        _check_holder_limits(hall, category, day, phone_digest, device_digest)
    token = secrets.token_urlsafe(16)
    ticket = QueueTicket.objects.create(
        hall=hall, category=category, day=day, serial=0, number=_provisional_number(),
        channel=channel, priority=priority, taken_at=now, phone=phone, phone_digest=phone_digest,
        device_digest=device_digest, holder_token_digest=_digest(token), account=account,
    )  # fmt: skip
    # A new number is linked to no case yet: its (empty) list of cases as if prefetched, read by no query.
    setattr(ticket, "_prefetched_objects_cache", {"cases": ticket.cases.none()})  # noqa: B010
    _event(ticket, "take", "", actor, channel=channel)
    audit_record(
        actor=actor, action="hall.take", target=ticket, changes={"status": [None, ticket.status]},
        actor_name="" if actor else "phone",
    )  # fmt: skip
    return ticket, token


def queue_ticket_number(ticket: QueueTicket, *, at: datetime | None = None) -> QueueTicket:
    """Draws the ticket's serial from its category's day counter and sets its number, refusing one past
    the daily quota (the caller's transaction rolls back with the refusal). The counter's row stays
    locked until the commit (numbers distinct and gap-free), so this comes last in the transaction.
    The ticket is taken at the draw (``at``, now unless a caller's clock says otherwise): the queue goes
    by the time taken, and a serial drawn later than another's must not have been taken earlier."""
    category = ticket.category
    serial = queue_serial_next(category, ticket.day)
    if category.daily_quota and serial > category.daily_quota:
        raise Conflict(
            _("All %(quota)s numbers of %(name)s for today have been taken.")
            % {"quota": category.daily_quota, "name": category.name},
            code="quota_reached",
        )
    ticket.serial, ticket.number = serial, f"{category.prefix}{serial:03d}"
    ticket.taken_at = at or timezone.now()
    QueueTicket.objects.filter(pk=ticket.pk).update(
        serial=ticket.serial, number=ticket.number, taken_at=ticket.taken_at
    )
    return ticket


def _provisional_number() -> str:
    """A ticket's number until ``queue_ticket_number`` draws it in the same transaction: never committed,
    distinct from every real number (``~``) and, at 35 random bits, from the other takers' in flight."""
    return "~" + "".join(secrets.choice(_BASE32) for _ in range(7))


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def _check_holder_limits(hall: Hall, category: QueueCategory, day: Any, phone_digest: str, device_digest: str) -> None:
    """One waiting number per category and holder; at most ``phone_daily_limit`` numbers a day."""
    limit = policy_of(hall).phone_daily_limit
    for field, value in (("phone_digest", phone_digest), ("device_digest", device_digest)):
        if not value:
            continue
        mine = QueueTicket.objects.filter(hall=hall, day=day, **{field: value})
        if mine.filter(category=category, status__in=OPEN_STATUSES).exists():
            raise Conflict(
                _("You already have a number for %(name)s waiting.") % {"name": category.name}, code="already_waiting"
            )
        if mine.count() >= limit:
            raise Conflict(
                _("At most %(limit)s numbers a day can be taken by phone.") % {"limit": limit}, code="daily_limit"
            )


def holder_ticket(token: str) -> QueueTicket:
    found = (
        QueueTicket.objects.select_related("category", "window", "hall")
        .filter(holder_token_digest=_digest(token or ""))
        .first()
    )
    if found is None:
        raise NotFound(_("No queue number belongs to this link."))
    return found


@transaction.atomic
def queue_cancel(*, token: str) -> QueueTicket:
    """The holder gives up a waiting number (so the estimate of everyone behind improves)."""
    ticket = _locked(holder_ticket(token))
    old = _step(ticket, "cancel")
    ticket.status = WORKFLOW.target(old, "cancel")
    ticket.finished_at = timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    _event(ticket, "cancel", old, None)
    audit_record(actor=None, action="hall.cancel", target=ticket, changes={"status": [old, ticket.status]})
    return ticket
