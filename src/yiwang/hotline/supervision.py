"""督办: reminders before and after the time limit, yellow and red cards per handling unit, and
supervision orders for overdue or repeatedly reported tickets (济南市12345市民服务热线条例 §28,
潍坊市12345政务服务便民热线条例 §26).

A sweep (``supervise``, every five minutes in a Huey worker) looks at the open tickets only, through
the (status, due time) index:

- **催办 before the limit, yellow card**: the reply is due within ``YIWANG_HOTLINE_YELLOW_HOURS``
  (24) — or within a quarter of the time the unit was given, for short limits (2 h urgent: the last
  30 minutes). The unit's officers are reminded.
- **催办 after the limit, red card, supervision order**: the reply is overdue (济南 §28(1), 潍坊
  §26(2)). The order is to be answered within ``YIWANG_HOTLINE_SUPERVISION_HOURS`` (24).
- **Repeated**: the same caller reported the same category ``YIWANG_HOTLINE_REPEAT_COUNT`` (3) times
  within ``YIWANG_HOTLINE_REPEAT_DAYS`` (30) and the newest is still open (济南 §28(2)).

Cards are unique per ticket, colour and due time, orders per ticket and reason while open, so a
sweep that runs twice (two workers, a retry) issues nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import users_with_role
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, raise_problems
from yiwang.hotline.models import (
    Card,
    CardColour,
    SupervisionOrder,
    SupervisionReason,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from yiwang.hotline.workflow import OPEN, WORKFLOW
from yiwang.notifications.messages import MessageTemplate, message_template_register
from yiwang.notifications.services import notify

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department


message_template_register(
    "hotline.remind",
    MessageTemplate(
        gettext_lazy("12345 ticket due soon"),
        gettext_lazy("Ticket {{ number }} ({{ category }}) is due at {{ due }}: please reply in time."),
    ),
)
message_template_register(
    "hotline.overdue",
    MessageTemplate(
        gettext_lazy("12345 ticket overdue"),
        gettext_lazy(
            "Ticket {{ number }} ({{ category }}) was due at {{ due }} and is overdue: your unit has a red card "
            "and a supervision order to answer by {{ answer_due }}."
        ),
    ),
)
message_template_register(
    "hotline.supervision",
    MessageTemplate(
        gettext_lazy("12345 supervision order"),
        gettext_lazy("Ticket {{ number }} ({{ category }}): {{ reason }}. Answer by {{ answer_due }}."),
    ),
)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def yellow_window(ticket: Ticket) -> timedelta:
    """How long before the due time the yellow card comes."""
    hours = timedelta(hours=_setting("YIWANG_HOTLINE_YELLOW_HOURS", 24))
    if ticket.dispatched_at is None or ticket.due_at is None:
        return hours
    return min(hours, (ticket.due_at - ticket.dispatched_at) / 4)


def _officers(unit: Department) -> list[User]:
    return users_with_role(roles={Role.HANDLER}, department=unit)


def _notify_unit(unit: Department, template: str, ticket: Ticket, **context: object) -> None:
    local_due = timezone.localtime(ticket.due_at).strftime("%Y-%m-%d %H:%M") if ticket.due_at else ""
    for officer in _officers(unit):
        notify(
            recipient=officer,
            template=template,
            context={"number": ticket.number, "category": ticket.category.name, "due": local_due, **context},
            link=f"/workbench/hotline/tickets/{ticket.number}/",
        )


def _card(ticket: Ticket, colour: str) -> Card | None:
    """The card, or None when this ticket already has one of this colour for this due time."""
    assert ticket.unit is not None and ticket.due_at is not None
    try:
        with transaction.atomic():
            return Card.objects.create(ticket=ticket, unit=ticket.unit, colour=colour, due_at=ticket.due_at)
    except IntegrityError:
        return None


def _order(ticket: Ticket, reason: str, actor: User | None = None, note: str = "") -> SupervisionOrder | None:
    assert ticket.unit is not None
    answer_due = timezone.now() + timedelta(hours=_setting("YIWANG_HOTLINE_SUPERVISION_HOURS", 24))
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                ticket=ticket, unit=ticket.unit, reason=reason, note=note, issued_by=actor, answer_due=answer_due
            )
    except IntegrityError:
        return None
    TicketEvent.objects.create(
        ticket=ticket, action="supervise", from_status=ticket.status, to_status=ticket.status, actor=actor,
        unit=ticket.unit, note=note or str(SupervisionReason(reason).label), details={"reason": reason},
    )  # fmt: skip
    audit_record(actor=actor, action="hotline.supervise", target=ticket, changes={"reason": [None, reason]})
    return order


@dataclass
class SweepReport:
    reminded: int = 0
    overdue: int = 0
    repeated: int = 0


def _open_with_unit() -> QuerySet[Ticket]:
    return Ticket.objects.filter(status__in=OPEN, due_at__isnull=False, unit__isnull=False).select_related(
        "unit", "category"
    )


def supervise(now: datetime | None = None) -> SweepReport:
    """One sweep over the open tickets (see the module's docstring)."""
    now = now or timezone.now()
    report = SweepReport()
    horizon = now + timedelta(hours=_setting("YIWANG_HOTLINE_YELLOW_HOURS", 24))
    for ticket in _open_with_unit().filter(due_at__gt=now, due_at__lte=horizon).exclude(_carded(CardColour.YELLOW)):
        assert ticket.due_at is not None and ticket.unit is not None
        if ticket.due_at - now > yellow_window(ticket):
            continue
        with transaction.atomic():
            if _card(ticket, CardColour.YELLOW) is None:
                continue
            TicketEvent.objects.create(
                ticket=ticket, action="remind", from_status=ticket.status, to_status=ticket.status,
                unit=ticket.unit, details={"due_at": ticket.due_at.isoformat()},
            )  # fmt: skip
            _notify_unit(ticket.unit, "hotline.remind", ticket)
        report.reminded += 1
    for ticket in _open_with_unit().filter(due_at__lte=now).exclude(_carded(CardColour.RED)):
        assert ticket.unit is not None
        with transaction.atomic():
            if _card(ticket, CardColour.RED) is None:
                continue
            TicketEvent.objects.create(
                ticket=ticket, action="overdue", from_status=ticket.status, to_status=ticket.status,
                unit=ticket.unit, details={"due_at": ticket.due_at.isoformat() if ticket.due_at else ""},
            )  # fmt: skip
            order = _order(ticket, SupervisionReason.OVERDUE)
            if order is not None:
                answer_due = timezone.localtime(order.answer_due).strftime("%Y-%m-%d %H:%M")
                _notify_unit(ticket.unit, "hotline.overdue", ticket, answer_due=answer_due)
        report.overdue += 1
    report.repeated = _repeated(now)
    return report


def _carded(colour: str) -> Exists:
    """The ticket already has a card of this colour for its present due time."""
    return Exists(Card.objects.filter(ticket=OuterRef("pk"), colour=colour, due_at=OuterRef("due_at")))


def _repeated(now: datetime) -> int:
    """Open tickets whose caller reported the same category again and again (济南 §28(2))."""
    since = now - timedelta(days=_setting("YIWANG_HOTLINE_REPEAT_DAYS", 30))
    times = _setting("YIWANG_HOTLINE_REPEAT_COUNT", 3)
    groups = (
        Ticket.objects.filter(created_at__gte=since)
        .exclude(caller_phone_digest="")
        .exclude(status=TicketStatus.MERGED)
        .order_by()
        .values("caller_phone_digest", "category")
        .annotate(times=Count("pk"), newest=Max("created_at"))
        .filter(times__gte=times)
    )
    issued = 0
    for group in groups:
        ticket = (
            _open_with_unit()
            .filter(caller_phone_digest=group["caller_phone_digest"], category=group["category"])
            .exclude(supervision_orders__reason=SupervisionReason.REPEATED)
            .order_by("-created_at")
            .first()
        )
        if ticket is None:
            continue
        note = _("Reported %(times)s times within %(days)s days.") % {
            "times": group["times"],
            "days": _setting("YIWANG_HOTLINE_REPEAT_DAYS", 30),
        }
        with transaction.atomic():
            order = _order(ticket, SupervisionReason.REPEATED, note=note)
            if order is not None:
                assert ticket.unit is not None
                _notify_unit(
                    ticket.unit, "hotline.supervision", ticket, reason=note,
                    answer_due=timezone.localtime(order.answer_due).strftime("%Y-%m-%d %H:%M"),
                )  # fmt: skip
                issued += 1
    return issued


@transaction.atomic
def supervision_order_issue(*, actor: User | None, ticket: Ticket, note: str) -> SupervisionOrder:
    """A supervisor orders the unit to act on an open ticket (济南 §28(4): 其他需要督办的事项)."""
    from yiwang.hotline.services import SUPERVISE_ROLES, authorize_at, ticket_locked

    raise_problems([] if note.strip() else [("note", _("Say what the unit must do."))])
    ticket = ticket_locked(ticket)
    if actor is not None:
        authorize_at(actor, SUPERVISE_ROLES, ticket.region)
    WORKFLOW.require(ticket.status, "supervise")
    order = _order(ticket, SupervisionReason.MANUAL, actor, note.strip()[:300])
    if order is None:
        raise Conflict(_("This ticket already has an open supervision order of the supervisor."), code="supervised")
    assert ticket.unit is not None
    _notify_unit(
        ticket.unit, "hotline.supervision", ticket, reason=note.strip(),
        answer_due=timezone.localtime(order.answer_due).strftime("%Y-%m-%d %H:%M"),
    )  # fmt: skip
    return order


@transaction.atomic
def supervision_order_answer(*, actor: User | None, order: SupervisionOrder, answer: str) -> SupervisionOrder:
    """The unit says what it did about the order."""
    from yiwang.hotline.services import require_unit_officer

    raise_problems([] if answer.strip() else [("answer", _("Write what your unit did."))])
    order = SupervisionOrder.objects.select_for_update().select_related("ticket", "unit").get(pk=order.pk)
    require_unit_officer(actor, order.ticket)
    if order.answered_at is not None:
        raise Conflict(_("This supervision order was already answered."), code="supervision_answered")
    order.answer, order.answered_by, order.answered_at = answer.strip(), actor, timezone.now()
    order.save()
    ticket = order.ticket
    TicketEvent.objects.create(
        ticket=ticket, action="supervision_answer", from_status=ticket.status, to_status=ticket.status,
        actor=actor, unit=order.unit, note=order.answer,
    )  # fmt: skip
    audit_record(actor=actor, action="hotline.supervision_answer", target=ticket, changes={"answered": [False, True]})
    return order


def cards_by_unit(
    *, start: datetime, end: datetime, units: QuerySet[Department] | None = None
) -> list[dict[str, object]]:
    """Yellow and red cards per unit issued in [start, end), most red first."""
    cards = Card.objects.filter(issued_at__gte=start, issued_at__lt=end)
    if units is not None:
        cards = cards.filter(unit__in=units)
    rows = (
        cards.order_by()
        .values("unit", "unit__name")
        .annotate(
            yellow=Count("pk", filter=Q(colour=CardColour.YELLOW)), red=Count("pk", filter=Q(colour=CardColour.RED))
        )
    )
    return sorted(
        ({"unit": r["unit__name"], "yellow": r["yellow"], "red": r["red"]} for r in rows),
        key=lambda r: (-int(r["red"]), -int(r["yellow"]), str(r["unit"])),
    )
