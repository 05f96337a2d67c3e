"""Writes of the queue (排队叫号): taking a number, the window duty, and every step at the window —
call next, recall, start, finish, no-show, transfer, link to a case. Each is one transaction with
its permission check, event and audit record (docs/hall.md §1)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.counters import counter_next
from yiwang.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from yiwang.core.identifiers import normalise_phone
from yiwang.core.personal_data import lookup_digest
from yiwang.hall.models import (
    AT_WINDOW,
    OPEN_STATUSES,
    QueueCategory,
    QueueChannel,
    QueueCounter,
    QueueEvent,
    QueueStatus,
    QueueTicket,
    WindowDuty,
)
from yiwang.hall.selectors import ahead_of, policy_of
from yiwang.hall.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Hall, Window

CLERK_ROLES = {Role.CLERK}
KIOSK_ROLES = {Role.CLERK, Role.CENTRE_ADMIN}
_PHONE = re.compile(r"^1\d{10}$")


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


# --- taking a number ------------------------------------------------------------------------------


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
    """``queue_take``'s writes inside the caller's transaction, which must be open (a check-in's): no
    savepoint of its own, so the counter's row is locked for two statements fewer. The new ticket and its
    holder's token (shown once); the caller counts the people ahead once committed."""
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
    serial = queue_serial_next(category, day)
    if category.daily_quota and serial > category.daily_quota:
        raise Conflict(
            _("All %(quota)s numbers of %(name)s for today have been taken.")
            % {"quota": category.daily_quota, "name": category.name},
            code="quota_reached",
        )
    token = secrets.token_urlsafe(16)
    ticket = QueueTicket.objects.create(
        hall=hall, category=category, day=day, serial=serial, number=f"{category.prefix}{serial:03d}",
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


# --- the window duty --------------------------------------------------------------------------------


@transaction.atomic
def duty_start(*, actor: User, window: Window, now: datetime | None = None) -> WindowDuty:
    """The clerk signs on at a window (and off any other); one clerk per window."""
    hall = window.group.hall
    _authorize_clerk(actor, hall)
    if not window.is_active:
        raise Conflict(_("Window %(number)s is not in service.") % {"number": window.number}, code="window_closed")
    now = now or timezone.now()
    current = WindowDuty.objects.select_for_update().filter(clerk=actor, ended_at__isnull=True).first()
    if current is not None:
        if current.window_id == window.pk:
            return current
        _duty_close(actor, current, now)
    try:
        with transaction.atomic():
            duty = WindowDuty.objects.create(window=window, clerk=actor, started_at=now)
    except IntegrityError:
        raise Conflict(
            _("Someone is already on duty at window %(number)s.") % {"number": window.number}, code="window_taken"
        ) from None
    audit_record(actor=actor, action="hall.duty_start", target=duty, changes={"window": [None, window.number]})
    return duty


def _duty_close(actor: User, duty: WindowDuty, now: datetime) -> None:
    if QueueTicket.objects.filter(window_id=duty.window_id, status__in=AT_WINDOW).exists():
        raise Conflict(_("Finish the number at your window first."), code="number_at_window")
    duty.ended_at = now
    duty.save(update_fields=["ended_at"])
    audit_record(actor=actor, action="hall.duty_end", target=duty, changes={"ended_at": [None, now.isoformat()]})


@transaction.atomic
def duty_end(*, actor: User, now: datetime | None = None) -> None:
    current = WindowDuty.objects.select_for_update().filter(clerk=actor, ended_at__isnull=True).first()
    if current is not None:
        _duty_close(actor, current, now or timezone.now())


def _duty_of(actor: User) -> WindowDuty:
    duty = (
        WindowDuty.objects.select_related("window__group__hall__centre")
        .filter(clerk=actor, ended_at__isnull=True)
        .first()
    )
    if duty is None:
        raise Conflict(_("Sign on at a window first."), code="not_on_duty")
    return duty


# --- at the window ----------------------------------------------------------------------------------


@transaction.atomic
def queue_call_next(*, actor: User, now: datetime | None = None) -> QueueTicket:
    """叫号: the first waiting number of the window's group — priority first, then the order of taking.
    The claim is a conditional update, so two windows never call the same number."""
    duty = _duty_of(actor)
    window = duty.window
    hall = window.group.hall
    _authorize_clerk(actor, hall)
    if QueueTicket.objects.filter(window=window, status__in=AT_WINDOW).exists():
        raise Conflict(_("Finish the number at your window first."), code="number_at_window")
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    waiting = QueueTicket.objects.filter(
        hall=hall, category__group_id=window.group_id, day=day, status=QueueStatus.WAITING
    ).order_by("-priority", "taken_at", "pk")
    for _attempt in range(5):
        candidate = waiting.values_list("pk", flat=True).first()
        if candidate is None:
            break
        try:
            with transaction.atomic():
                claimed = QueueTicket.objects.filter(pk=candidate, status=QueueStatus.WAITING).update(
                    status=WORKFLOW.target(QueueStatus.WAITING, "call"), called_at=now, window=window, clerk=actor
                )
        except IntegrityError:  # the same window called twice at once: the other call won
            raise Conflict(_("Finish the number at your window first."), code="number_at_window") from None
        if claimed:
            ticket = QueueTicket.objects.select_related("category", "window").get(pk=candidate)
            _event(ticket, "call", QueueStatus.WAITING, actor)
            audit_record(actor=actor, action="hall.call", target=ticket, changes={"window": [None, window.number]})
            _alert_next(ticket.category, day)
            return ticket
    raise NotFound(_("Nobody is waiting for this window."), code="queue_empty")


def _alert_next(category: QueueCategory, day: Any) -> None:
    """One SMS to a holder who left a number once only ``call_ahead`` people are ahead of them."""
    call_ahead = policy_of(category.hall).call_ahead
    if not call_ahead:
        return
    queue = QueueTicket.objects.filter(category=category, day=day, status=QueueStatus.WAITING).order_by(
        "-priority", "taken_at", "pk"
    )
    for position, ticket in enumerate(queue[: call_ahead + 1]):
        if ticket.alerted or not ticket.phone:
            continue
        QueueTicket.objects.filter(pk=ticket.pk).update(alerted=True)
        text = _("[Yiwang] Number %(number)s: %(ahead)s people ahead of you at %(category)s. Please come back.") % {
            "number": ticket.number, "ahead": position, "category": category.name,
        }  # fmt: skip
        phone = ticket.phone

        def send(phone: str = phone, text: str = text) -> None:
            from yiwang.core.sms import sms_send

            sms_send(phone=phone, text=text)

        transaction.on_commit(send)


def _at_my_window(actor: User, ticket: QueueTicket) -> QueueTicket:
    locked = _locked(ticket)
    _authorize_clerk(actor, locked.hall)
    if locked.status in AT_WINDOW and locked.clerk_id != actor.pk:
        raise PermissionDenied(_("This number is being served at another window."), code="other_window")
    return locked


@transaction.atomic
def queue_recall(*, actor: User, ticket: QueueTicket, now: datetime | None = None) -> QueueTicket:
    """重呼: the number is announced again (the display shows it as the newest call)."""
    ticket = _at_my_window(actor, ticket)
    old = _step(ticket, "recall")
    ticket.recalls += 1
    ticket.called_at = now or timezone.now()
    ticket.save(update_fields=["recalls", "called_at"])
    _event(ticket, "recall", old, actor)
    audit_record(
        actor=actor, action="hall.recall", target=ticket, changes={"recalls": [ticket.recalls - 1, ticket.recalls]}
    )
    return ticket


def _move(ticket: QueueTicket, action: str, actor: User, **fields: Any) -> QueueTicket:
    """A step of the state table at the clerk's own window: the new status and times, event and audit."""
    ticket = _at_my_window(actor, ticket)
    old = _step(ticket, action)
    ticket.status = WORKFLOW.target(old, action)
    for name, value in fields.items():
        setattr(ticket, name, value(ticket) if callable(value) else value)
    ticket.save(update_fields=["status", *fields])
    _event(ticket, action, old, actor)
    audit_record(actor=actor, action=f"hall.{action}", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def queue_start(*, actor: User, ticket: QueueTicket, now: datetime | None = None) -> QueueTicket:
    return _move(ticket, "start", actor, started_at=now or timezone.now())


@transaction.atomic
def queue_finish(*, actor: User, ticket: QueueTicket, now: datetime | None = None) -> QueueTicket:
    """办结: the visit is over; service time runs from the start (or the call, if nobody pressed start)."""
    return _move(
        ticket, "finish", actor, started_at=lambda t: t.started_at or t.called_at, finished_at=now or timezone.now()
    )


@transaction.atomic
def queue_no_show(*, actor: User, ticket: QueueTicket, now: datetime | None = None) -> QueueTicket:
    """过号: called and not come; the window is free for the next number."""
    return _move(ticket, "no_show", actor, finished_at=now or timezone.now())


@transaction.atomic
def queue_transfer(*, actor: User, ticket: QueueTicket, category: QueueCategory, note: str = "") -> QueueTicket:
    """转移: the person waits at another category's windows with the same slip, ahead of new arrivals."""
    ticket = _at_my_window(actor, ticket)
    old = _step(ticket, "transfer")
    if category.hall_id != ticket.hall_id:
        raise ValidationFailed(_("Transfer only to a category of the same hall."), code="other_hall")
    if category.pk == ticket.category_id and old == QueueStatus.WAITING:
        raise ValidationFailed(_("The number already waits in this category."), code="same_category")
    if not category.is_open:
        raise Conflict(_("%(name)s is not taking numbers today.") % {"name": category.name}, code="category_closed")
    source = ticket.category.name
    ticket.status = WORKFLOW.target(old, "transfer")
    ticket.category = category
    ticket.priority = 1
    ticket.transfers += 1
    ticket.window = None
    ticket.clerk = None
    ticket.called_at = None
    ticket.started_at = None
    ticket.alerted = False
    ticket.save(update_fields=[
        "status", "category", "priority", "transfers", "window", "clerk", "called_at", "started_at", "alerted",
    ])  # fmt: skip
    _event(ticket, "transfer", old, actor, source=source, to=category.name, note=note[:200])
    audit_record(actor=actor, action="hall.transfer", target=ticket, changes={"category": [source, category.name]})
    return ticket


@transaction.atomic
def queue_link_case(*, actor: User, ticket: QueueTicket, case_number: str) -> QueueTicket:
    """The visit is linked to a case handled in it: its waiting and service times reach the case, a
    rating of the visit reaches the case's department."""
    from yiwang.cases.selectors import case_by_number

    ticket = _locked(ticket)
    _authorize_clerk(actor, ticket.hall)
    if ticket.clerk_id not in (None, actor.pk):
        raise PermissionDenied(_("Only the clerk who served this number links it."), code="other_window")
    case = case_by_number(case_number.strip())
    if case is None:
        raise NotFound(_("No case has the number %(number)s.") % {"number": case_number.strip()[:40]})
    try:
        authorize(actor, CLERK_ROLES, region=case.region)
    except DomainError:
        raise PermissionDenied(_("This case is outside your area."), code="out_of_scope") from None
    ticket.cases.add(case)
    _event(ticket, "link_case", ticket.status, actor, case=case.number)
    audit_record(actor=actor, action="hall.link_case", target=ticket, changes={"case": [None, case.number]})
    return ticket


# --- configuration ------------------------------------------------------------------------------------

CATEGORY_FIELDS = ("name", "description", "is_open", "opens_at", "closes_at", "daily_quota", "service_minutes", "order")


@transaction.atomic
def queue_category_save(*, actor: User | None, hall: Hall, prefix: str, group_id: int, **fields: Any) -> QueueCategory:
    """Creates or changes the hall's category with this prefix (the centre administrator; ``None``:
    the system, e.g. the demo). Its windows must be of the same hall."""
    from yiwang.organisation.selectors import window_group_get

    if actor is not None:
        authorize(actor, {Role.CENTRE_ADMIN}, region=hall.centre.region)
    group = window_group_get(pk=group_id, hall=hall)
    if group is None:
        raise ValidationFailed(_("Choose a window group of this hall."), code="other_hall")
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"unknown category fields: {sorted(unknown)}")
    category = QueueCategory.objects.filter(hall=hall, prefix=prefix).first()
    before = {name: str(getattr(category, name)) for name in CATEGORY_FIELDS} if category else {}
    if category is None:
        category = QueueCategory(hall=hall, prefix=prefix)
    category.group = group
    for name, value in fields.items():
        setattr(category, name, value)
    category.full_clean()
    category.save()
    after = {name: str(getattr(category, name)) for name in CATEGORY_FIELDS}
    audit_record(
        actor=actor, action="hall.category_save", target=category,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )  # fmt: skip
    return category


POLICY_FIELDS = (
    "qr_rotate_seconds", "phone_daily_limit", "call_ahead", "booking_days_ahead", "release_time",
    "max_active_bookings", "no_show_limit", "no_show_window_days", "suspension_days", "check_in_early_minutes",
    "check_in_late_minutes",
)  # fmt: skip


@transaction.atomic
def hall_policy_save(*, actor: User | None, hall: Hall, **fields: Any) -> Any:
    """The hall's settings (the centre administrator of its area)."""
    from yiwang.hall.models import HallPolicy

    if actor is not None:
        authorize(actor, {Role.CENTRE_ADMIN}, region=hall.centre.region)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    policy = HallPolicy.objects.select_for_update().filter(hall=hall).first() or HallPolicy(hall=hall)
    before = {name: str(getattr(policy, name)) for name in POLICY_FIELDS}
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    after = {name: str(getattr(policy, name)) for name in POLICY_FIELDS}
    audit_record(
        actor=actor, action="hall.policy_save", target=policy,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )  # fmt: skip
    return policy
