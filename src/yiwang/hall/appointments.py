"""Appointments (预约): slots generated from the centre's plans on working days and released all at
once, booking without overbooking and against hoarding, cancelling, checking in (a queue number with
priority), missed appointments and reminders (docs/hall.md §2)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, NotFound, PermissionDenied
from yiwang.hall.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    HallPolicy,
    QueueCategory,
    QueueChannel,
    QueueTicket,
    SlotPlan,
)
from yiwang.hall.selectors import policy_of
from yiwang.hall.workflow import APPOINTMENT_WORKFLOW
from yiwang.notifications.messages import MessageTemplate, message_template_register

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.hall.services import Taken
    from yiwang.organisation.models import Hall

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a kiosk

message_template_register(
    "hall.booked",
    MessageTemplate(
        gettext_lazy("Appointment booked"),
        gettext_lazy(
            "Your appointment for {{ category }} at {{ hall }} on {{ day }} {{ start }}–{{ end }} is booked. "
            "Code: {{ code }}. Check in at the hall from {{ early }} minutes before."
        ),
    ),
)
message_template_register(
    "hall.reminder",
    MessageTemplate(
        gettext_lazy("Appointment reminder"),
        gettext_lazy(
            "Reminder: {{ category }} at {{ hall }} on {{ day }} {{ start }}–{{ end }}, code {{ code }}. "
            "If you cannot come, please cancel so that someone else can have the place."
        ),
    ),
)


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def slot_starts_at(slot: AppointmentSlot) -> datetime:
    return _at(slot.day, slot.start)


# --- slots -------------------------------------------------------------------------------------------


def slots_generate(*, hall: Hall | None = None, today: date | None = None) -> int:
    """Creates the slots of every plan for the working days up to the release horizon; a changed
    capacity is applied to future slots as long as it still holds their bookings. Idempotent."""
    from yiwang.calendar.workdays import is_working_day

    today = today or timezone.localdate()
    plans = SlotPlan.objects.select_related("category__hall")
    if hall is not None:
        plans = plans.filter(category__hall=hall)
    created = 0
    for plan in plans:
        policy = policy_of(plan.category.hall)
        for offset in range(policy.booking_days_ahead + 1):
            day = today + timedelta(days=offset)
            if str(day.isoweekday()) not in plan.weekdays or not is_working_day(day):
                continue
            released = _at(day - timedelta(days=policy.booking_days_ahead), policy.release_time)
            slot, made = AppointmentSlot.objects.get_or_create(
                category=plan.category, day=day, start=plan.start,
                defaults={"end": plan.end, "capacity": plan.capacity, "released_at": released},
            )  # fmt: skip
            created += made
            if not made and slot.capacity != plan.capacity:
                AppointmentSlot.objects.filter(pk=slot.pk, booked__lte=plan.capacity).update(capacity=plan.capacity)
    return created


def slots_open(category: QueueCategory, now: datetime | None = None) -> QuerySet[AppointmentSlot]:
    """Released slots of the category that have not started yet."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    return (
        AppointmentSlot.objects.filter(category=category, released_at__lte=now, day__gte=local.date())
        .exclude(day=local.date(), start__lte=local.time())
        .order_by("day", "start")
    )


@transaction.atomic
def slot_plan_save(
    *, actor: User | None, category: QueueCategory, start: time, end: time, capacity: int, weekdays: str = "12345"
) -> SlotPlan:
    """The centre's plan of a category's slots starting at ``start`` (created or changed), and its slots."""
    from yiwang.accounts.authz import authorize
    from yiwang.accounts.roles import Role

    if actor is not None:
        authorize(actor, {Role.CENTRE_ADMIN}, region=category.hall.centre.region)
    plan = SlotPlan.objects.filter(category=category, start=start).first() or SlotPlan(category=category, start=start)
    before = {"end": str(plan.end) if plan.pk else None, "capacity": plan.capacity if plan.pk else None}
    plan.end, plan.capacity, plan.weekdays = end, capacity, weekdays
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor, action="hall.slot_plan_save", target=plan,
        changes={"end": [before["end"], str(plan.end)], "capacity": [before["capacity"], plan.capacity]},
    )  # fmt: skip
    transaction.on_commit(lambda: slots_generate(hall=category.hall))
    return plan


# --- booking -----------------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def appointment_book(*, actor: User, slot: AppointmentSlot | int, now: datetime | None = None) -> Appointment:
    """预约: one place of the slot (or the slot's id), first come first served.

    Refused from one read of the slot alone, before anything is written or locked: a slot not yet
    released, begun, or already full (已约满: full for everyone, whoever asks) — most of a flash crowd,
    who come after the places are gone. Then the category with its hall and settings (closed: refused),
    and one transaction: the person's row is locked and their limits checked (超过限额; two parallel
    bookings of one person cannot both pass), the appointment, its audit record and its message are
    written, and the place is taken last, by a conditional update — never more bookings than places,
    whatever runs in parallel. The slot's row stays locked only from that update to the commit, so a
    crowd on one slot queues for the least time (docs/hall.md §2; docs/performance.md, "Flash-crowd
    booking")."""
    from yiwang.accounts.choices import AccountKind
    from yiwang.hall.selectors import category_for_booking, slot_get

    now = now or timezone.now()
    if not actor.is_authenticated or actor.kind not in (AccountKind.NATURAL_PERSON, AccountKind.LEGAL_PERSON):
        raise PermissionDenied(_("Appointments are made with a personal or company account."))
    found = slot_get(slot if isinstance(slot, int) else slot.pk)
    if found is None:
        raise NotFound(code="unknown_slot")
    slot = found
    if now < slot.released_at:
        raise Conflict(
            _("This slot can be booked from %(time)s.")
            % {"time": timezone.localtime(slot.released_at).strftime("%Y-%m-%d %H:%M")},
            code="slot_not_released",
        )
    if now >= slot_starts_at(slot):
        raise Conflict(_("This slot has already begun; choose a later one."), code="slot_past")
    if slot.booked >= slot.capacity:  # as read a moment ago: places are only taken below
        raise _slot_full()
    slot.category = category = category_for_booking(slot.category_id)
    policy = policy_of(category.hall)
    if not category.is_open:
        raise Conflict(_("%(name)s is not taking numbers today.") % {"name": category.name}, code="category_closed")
    for _attempt in range(5):
        try:
            return _book(actor, slot, policy, now)
        except IntegrityError:  # the appointment code was drawn twice: try again with another
            continue
    raise Conflict(_("Please try again."), code="code_collision")  # pragma: no cover - 32^8 codes


def _slot_full() -> Conflict:
    return Conflict(_("This slot is fully booked; choose another one."), code="slot_full")


def _check_limits(actor: User, slot: AppointmentSlot, policy: HallPolicy, now: datetime) -> None:
    """Against hoarding (Guangzhou's 预约取号难; docs/hall.md §2): suspended after too many no-shows; one
    appointment per person, category and day; at most ``max_active_bookings`` future ones — an account is
    one person, its ID number and its mobile number each unique, so these are per person and per phone.
    One query, by the person's index: their booked and missed appointments (a handful), sorted out here."""
    today = timezone.localtime(now).date()
    since = (now - timedelta(days=policy.no_show_window_days)).date()
    rows = list(
        Appointment.objects.filter(account=actor, status__in=(AppointmentStatus.BOOKED, AppointmentStatus.MISSED))
        .order_by()
        .values_list("status", "slot__day", "slot__category_id")
    )
    missed = sorted(
        (day for status, day, _c in rows if status == AppointmentStatus.MISSED and day >= since), reverse=True
    )
    if policy.no_show_limit and len(missed) >= policy.no_show_limit:
        until = missed[0] + timedelta(days=policy.suspension_days)
        if today <= until:
            raise Conflict(
                _("You missed %(n)s appointments without cancelling; you can book again after %(day)s.")
                % {"n": len(missed), "day": until.isoformat()},
                code="booking_suspended",
            )
    active = [(day, category) for status, day, category in rows if status == AppointmentStatus.BOOKED and day >= today]
    if (slot.day, slot.category_id) in active:
        raise Conflict(
            _("Over the limit: one appointment a day per person for %(name)s, and you have one for this day.")
            % {"name": slot.category.name},
            code="already_booked",
        )
    if len(active) >= policy.max_active_bookings:
        raise Conflict(
            _("Over the limit: you may hold at most %(n)s appointments; cancel one or wait until it has passed.")
            % {"n": policy.max_active_bookings},
            code="too_many_bookings",
        )


@transaction.atomic
def _book(actor: User, slot: AppointmentSlot, policy: HallPolicy, now: datetime) -> Appointment:
    from yiwang.accounts.selectors import user_lock

    user_lock(user=actor)  # serialises this person's bookings
    _check_limits(actor, slot, policy, now)
    appointment = Appointment.objects.create(slot=slot, account=actor, code=_new_code())
    audit_record(actor=actor, action="hall.book", target=appointment, changes={"slot": [None, str(slot)]})
    _notify(appointment, "hall.booked")
    # The place, last: the database decides (booked < capacity), and the slot's row is locked from here
    # to the commit only. Refused, the transaction is rolled back with everything written above.
    if not AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1):
        raise _slot_full()
    return appointment


def _notify(appointment: Appointment, template: str) -> None:
    from yiwang.notifications.services import notify

    slot = appointment.slot
    notify(
        recipient=appointment.account,
        template=template,
        context={
            "category": slot.category.name, "hall": slot.category.hall.name, "day": slot.day.isoformat(),
            "start": f"{slot.start:%H:%M}", "end": f"{slot.end:%H:%M}", "code": appointment.code,
            "early": policy_of(slot.category.hall).check_in_early_minutes,
        },
        link="/hall/appointments/",
    )  # fmt: skip


def _locked(appointment: Appointment) -> Appointment:
    """The appointment read again under its row lock, with what the steps read: the slot, its category,
    hall (its settings, its centre's region for the kiosk's authorisation) and the person."""
    return _lockable().get(pk=appointment.pk)


def _lockable() -> QuerySet[Appointment]:
    return Appointment.objects.select_for_update(of=("self",)).select_related(
        "slot__category__hall__centre__region", "slot__category__hall__policy", "account"
    )


@transaction.atomic
def appointment_cancel(*, actor: User, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """The person gives the place back, up to the slot's start."""
    appointment = _locked(appointment)
    if appointment.account_id != actor.pk:
        raise PermissionDenied()
    old = appointment.status
    new = APPOINTMENT_WORKFLOW.target(old, "cancel")
    now = now or timezone.now()
    if now >= slot_starts_at(appointment.slot):
        raise Conflict(_("The slot has begun; it can no longer be cancelled."), code="slot_past")
    appointment.status = new
    appointment.cancelled_at = now
    appointment.save(update_fields=["status", "cancelled_at"])
    AppointmentSlot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    audit_record(actor=actor, action="hall.cancel_booking", target=appointment, changes={"status": [old, new]})
    return appointment


def appointment_by_code(hall: Hall | int, code: str) -> Appointment:
    """The hall's (or the hall id's) appointment with this code."""
    return _with_code(Appointment.objects.all(), hall, code)


def _with_code(appointments: QuerySet[Appointment], hall: Hall | int, code: str) -> Appointment:
    """The hall's appointment with the code as typed or scanned (case and spaces aside); 404 if none."""
    found = appointments.filter(code=code.strip().upper()[:8], slot__category__hall=hall).order_by("pk").first()
    if found is None:
        raise NotFound(_("No appointment of this hall has the code %(code)s.") % {"code": code.strip()[:8]})
    return found


@dataclass(frozen=True)
class CheckedIn:
    appointment: Appointment
    taken: Taken


def appointment_check_in(
    *, appointment: Appointment, actor: User | None = None, now: datetime | None = None
) -> CheckedIn:
    """签到: within the check-in window around the slot's start, a queue number that goes first. By the
    person on their phone, or at a kiosk signed in by the hall's own staff. The people ahead are counted
    after the commit: the day's counter row stays locked for the writes only."""
    from yiwang.hall.selectors import ahead_of
    from yiwang.hall.services import Taken

    with transaction.atomic():
        appointment, ticket, token = _check_in(_locked(appointment), actor, now)
    return CheckedIn(appointment, Taken(ticket=ticket, holder_token=token, ahead=ahead_of(ticket)))


def appointment_check_in_by_code(*, hall: Hall | int, code: str, actor: User, now: datetime | None = None) -> CheckedIn:
    """签到 at the hall's kiosk by the appointment's code (its QR code): the appointment found and locked
    in one statement, then as ``appointment_check_in``. An unknown code, or another hall's, is 404."""
    from yiwang.hall.selectors import ahead_of
    from yiwang.hall.services import Taken

    with transaction.atomic():
        appointment, ticket, token = _check_in(_with_code(_lockable(), hall, code), actor, now)
    return CheckedIn(appointment, Taken(ticket=ticket, holder_token=token, ahead=ahead_of(ticket)))


def _check_in(
    appointment: Appointment, actor: User | None, given_now: datetime | None
) -> tuple[Appointment, QueueTicket, str]:
    """The check-in's writes, on the appointment read under its row lock (``given_now``: a caller's clock)."""
    from yiwang.accounts.authz import authorize
    from yiwang.hall.services import KIOSK_ROLES, queue_take_within, queue_ticket_number

    now = given_now or timezone.now()

    if actor is not None and actor.pk != appointment.account_id:
        authorize(actor, KIOSK_ROLES, region=appointment.slot.category.hall.centre.region)
    new = APPOINTMENT_WORKFLOW.target(appointment.status, "check_in")
    slot = appointment.slot
    policy = policy_of(slot.category.hall)
    start = slot_starts_at(slot)
    opens = start - timedelta(minutes=policy.check_in_early_minutes)
    closes = start + timedelta(minutes=policy.check_in_late_minutes)
    if not opens <= now <= closes:
        raise Conflict(
            _("Check-in for this appointment is open from %(opens)s to %(closes)s.")
            % {
                "opens": timezone.localtime(opens).strftime("%H:%M"),
                "closes": timezone.localtime(closes).strftime("%H:%M"),
            },
            code="check_in_window",
        )
    ticket, token = queue_take_within(
        category=slot.category, channel=QueueChannel.APPOINTMENT, actor=actor, account=appointment.account,
        priority=1, now=now,
    )  # fmt: skip
    appointment.status = new
    appointment.checked_in_at = now
    appointment.queue_ticket = ticket
    appointment.save(update_fields=["status", "checked_in_at", "queue_ticket"])
    # The number last: the category's day counter stays locked from its draw to the commit.
    queue_ticket_number(ticket, at=given_now)
    audit_record(
        actor=actor, action="hall.check_in", target=appointment, changes={"queue_ticket": [None, ticket.number]}
    )
    return appointment, ticket, token


# --- periodic ----------------------------------------------------------------------------------------


def appointments_mark_missed(now: datetime | None = None) -> int:
    """Booked appointments whose check-in window has closed become missed (爽约)."""
    now = now or timezone.now()
    count = 0
    local = timezone.localtime(now)
    candidates = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, slot__day__lte=local.date()
    ).select_related("slot__category__hall")
    for appointment in candidates:
        closes = slot_starts_at(appointment.slot) + timedelta(
            minutes=policy_of(appointment.slot.category.hall).check_in_late_minutes
        )
        if now > closes:
            count += Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.BOOKED).update(
                status=APPOINTMENT_WORKFLOW.target(AppointmentStatus.BOOKED, "miss")
            )
    return count


def appointments_remind(now: datetime | None = None) -> int:
    """One reminder (inbox and SMS) within the 24 hours before the slot, unless booked within the last
    two hours before it (the booking message said it all)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    count = 0
    candidates = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, reminded_at__isnull=True, slot__day__gte=local.date(),
        slot__day__lte=(local + timedelta(days=1)).date(),
    ).select_related("slot__category__hall", "account")  # fmt: skip
    for appointment in candidates:
        start = slot_starts_at(appointment.slot)
        if not now < start <= now + timedelta(hours=24) or appointment.booked_at > start - timedelta(hours=2):
            continue
        with transaction.atomic():
            if Appointment.objects.filter(pk=appointment.pk, reminded_at__isnull=True).update(reminded_at=now):
                _notify(appointment, "hall.reminder")
                count += 1
    return count
