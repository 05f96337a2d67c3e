"""Every step at the window: call next, recall, start, finish, no-show, transfer, link to a case."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from yiwang.hall.models import AT_WINDOW, QueueCategory, QueueStatus, QueueTicket
from yiwang.hall.selectors import policy_of
from yiwang.hall.services._common import CLERK_ROLES, _authorize_clerk, _event, _locked, _step
from yiwang.hall.services.duty import _duty_of
from yiwang.hall.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User


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
