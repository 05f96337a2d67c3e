"""Appointments: slots from plans on working days, release, booking limits, no overbooking under
parallel requests (PostgreSQL), cancel, check-in, missed, reminders."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from tests.parallel import at_once, require_postgresql
from tests.workflow_walk import walk
from yiwang.accounts.models import AccountKind
from yiwang.accounts.roles import Role
from yiwang.accounts.services import user_create
from yiwang.core.errors import Conflict, NotFound, PermissionDenied
from yiwang.hall import appointments as ap
from yiwang.hall.models import Appointment, AppointmentSlot, AppointmentStatus, QueueChannel, QueueTicket
from yiwang.hall.workflow import APPOINTMENT_WORKFLOW

TZ = timezone.get_default_timezone()
MONDAY = date(2026, 11, 23)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def person(n: int) -> Any:
    return user_create(
        username=f"p{n}", password="Pass-word-2026!", kind=AccountKind.NATURAL_PERSON, full_name=f"市民{n}"
    )


@pytest.fixture
def slot(cat: Any) -> AppointmentSlot:
    """A Wednesday 09:00-10:00 slot of 社会民生 (A) with 2 places, released the Wednesday before at 08:00."""
    ap.slot_plan_save(actor=None, category=cat["A"], start=time(9), end=time(10), capacity=2, weekdays="3")
    ap.slots_generate(today=MONDAY)
    return AppointmentSlot.objects.get(category=cat["A"], day=date(2026, 11, 25), start=time(9))


@pytest.mark.django_db
def test_slots_follow_plans_weekdays_working_days_and_release(cat: Any) -> None:
    ap.slot_plan_save(actor=None, category=cat["B"], start=time(9), end=time(11), capacity=4)
    created = ap.slots_generate(today=MONDAY)
    days = sorted(AppointmentSlot.objects.filter(category=cat["B"]).values_list("day", flat=True))
    # 7 days ahead from Monday 23 November: the weekdays only (Saturday 28 and Sunday 29 are not working days).
    assert days == [date(2026, 11, d) for d in (23, 24, 25, 26, 27, 30)] and created >= 6
    first = AppointmentSlot.objects.get(category=cat["B"], day=date(2026, 11, 30))
    assert timezone.localtime(first.released_at) == at(date(2026, 11, 23), 8)
    assert ap.slots_generate(today=MONDAY) == 0  # idempotent
    ap.slot_plan_save(actor=None, category=cat["B"], start=time(9), end=time(11), capacity=6)
    ap.slots_generate(today=MONDAY)
    assert set(AppointmentSlot.objects.filter(category=cat["B"]).values_list("capacity", flat=True)) == {6}


@pytest.mark.django_db
def test_booking_rules_and_bad_input_change_nothing(slot: AppointmentSlot, cat: Any, make_user: Any) -> None:
    me, other, third = person(1), person(2), person(3)
    with pytest.raises(Conflict) as early:
        ap.appointment_book(actor=me, slot=slot, now=at(date(2026, 11, 18), 7, 59))
    assert early.value.code == "slot_not_released" and "2026-11-18 08:00" in str(early.value.message)
    booked = ap.appointment_book(actor=me, slot=slot, now=at(MONDAY, 10))
    assert len(booked.code) == 8 and booked.status == AppointmentStatus.BOOKED
    with pytest.raises(Conflict) as twice:
        ap.appointment_book(actor=me, slot=slot, now=at(MONDAY, 10))
    # Against hoarding (docs/hall.md §2, Guangzhou's 预约取号难): one a day per person and category, and the
    # refusal says which rule, with its code — 超过限额, distinct from 已约满 below.
    assert twice.value.code == "already_booked" and str(twice.value.message).startswith("超过限额")
    ap.appointment_book(actor=other, slot=slot, now=at(MONDAY, 10))
    with pytest.raises(Conflict) as full:
        ap.appointment_book(actor=third, slot=slot, now=at(MONDAY, 10))
    assert full.value.code == "slot_full" and "已约满" in str(full.value.message)
    with pytest.raises(Conflict) as full_for_everyone:  # full is checked first: full whoever asks
        ap.appointment_book(actor=me, slot=slot.pk, now=at(MONDAY, 10))
    assert full_for_everyone.value.code == "slot_full"
    with pytest.raises(NotFound) as unknown:
        ap.appointment_book(actor=third, slot=slot.pk + 1000, now=at(MONDAY, 10))
    assert unknown.value.code == "unknown_slot"
    with pytest.raises(Conflict) as past:
        ap.appointment_book(actor=third, slot=slot, now=at(date(2026, 11, 25), 9, 1))
    assert past.value.code == "slot_past"
    with pytest.raises(PermissionDenied):
        ap.appointment_book(actor=make_user(Role.CLERK), slot=slot, now=at(MONDAY, 10))
    slot.refresh_from_db()
    assert slot.booked == 2 and Appointment.objects.count() == 2


@pytest.mark.django_db
def test_hoarding_limit_and_suspension_after_no_shows(cat: Any) -> None:
    for prefix in "ABCD":
        ap.slot_plan_save(actor=None, category=cat[prefix], start=time(9), end=time(10), capacity=5)
    ap.slots_generate(today=MONDAY)
    me = person(1)
    slots = [AppointmentSlot.objects.get(category=cat[p], day=date(2026, 11, 24)) for p in "ABCD"]
    for chosen in slots[:3]:
        ap.appointment_book(actor=me, slot=chosen, now=at(MONDAY, 10))
    with pytest.raises(Conflict) as hoard:
        ap.appointment_book(actor=me, slot=slots[3], now=at(MONDAY, 10))
    assert hoard.value.code == "too_many_bookings" and str(hoard.value.message).startswith("超过限额")
    assert ap.appointments_mark_missed(now=at(date(2026, 11, 24), 9, 16)) == 3  # 15 minutes of grace have passed
    later = AppointmentSlot.objects.get(category=cat["A"], day=date(2026, 11, 30))
    with pytest.raises(Conflict) as suspended:
        ap.appointment_book(actor=me, slot=later, now=at(date(2026, 11, 24), 12))
    assert suspended.value.code == "booking_suspended" and "2026-12-24" in str(suspended.value.message)


@pytest.mark.django_db
def test_one_booking_costs_ten_statements_and_a_full_slot_one(
    slot: AppointmentSlot, django_assert_num_queries: Any
) -> None:
    """The flash crowd's path (docs/performance.md, "Flash-crowd booking"): a booking reads the slot (1) —
    its category, hall and settings come from the process's copy — then in its transaction (a savepoint
    here, BEGIN and COMMIT in production) locks the person (1), reads their appointments for the limits
    (1), writes the appointment, its audit record with the actor's roles and its message (4), and takes
    the place last (1). Refused because the slot is full: the slot's read, nothing else read, written or
    locked."""
    ap.appointment_book(actor=person(9), slot=slot, now=at(MONDAY, 10))
    me, late = person(1), person(2)
    with django_assert_num_queries(10):
        ap.appointment_book(actor=me, slot=slot.pk, now=at(MONDAY, 10))
    with django_assert_num_queries(1), pytest.raises(Conflict, match="已约满"):
        ap.appointment_book(actor=late, slot=slot.pk, now=at(MONDAY, 10))


@pytest.mark.django_db
def test_a_booking_sees_a_closed_category_and_new_settings_at_once(slot: AppointmentSlot, cat: Any, hall: Any) -> None:
    """The categories, halls and settings a booking reads are the process's copy (core.process_copy),
    forgotten when any of them is saved: the next booking follows the change."""
    from yiwang.hall import services

    ap.appointment_book(actor=person(1), slot=slot, now=at(MONDAY, 10))
    services.queue_category_save(actor=None, hall=hall, prefix="A", group_id=cat["A"].group_id, is_open=False)
    with pytest.raises(Conflict) as closed:
        ap.appointment_book(actor=person(2), slot=slot, now=at(MONDAY, 10))
    assert closed.value.code == "category_closed"
    services.queue_category_save(actor=None, hall=hall, prefix="A", group_id=cat["A"].group_id, is_open=True)
    ap.slot_plan_save(actor=None, category=cat["B"], start=time(9), end=time(10), capacity=2, weekdays="3")
    ap.slots_generate(today=MONDAY)
    other = AppointmentSlot.objects.get(category=cat["B"], day=date(2026, 11, 25))
    services.hall_policy_save(actor=None, hall=hall, max_active_bookings=1)
    with pytest.raises(Conflict) as limit:
        ap.appointment_book(actor=Appointment.objects.get().account, slot=other, now=at(MONDAY, 10))
    assert limit.value.code == "too_many_bookings" and "最多同时持有 1 个" in str(limit.value.message)


@pytest.mark.django_db
def test_cancel_gives_the_place_back(slot: AppointmentSlot) -> None:
    me = person(1)
    booked = ap.appointment_book(actor=me, slot=slot, now=at(MONDAY, 10))
    with pytest.raises(PermissionDenied):
        ap.appointment_cancel(actor=person(2), appointment=booked, now=at(MONDAY, 11))
    ap.appointment_cancel(actor=me, appointment=booked, now=at(MONDAY, 11))
    slot.refresh_from_db()
    assert slot.booked == 0
    with pytest.raises(Conflict):
        ap.appointment_cancel(actor=me, appointment=booked, now=at(MONDAY, 11))


@pytest.mark.django_db
def test_check_in_window_gives_a_number_that_goes_first(slot: AppointmentSlot, cat: Any, hall: Any) -> None:
    from yiwang.hall import services

    booked = ap.appointment_book(actor=person(1), slot=slot, now=at(MONDAY, 10))
    wednesday = date(2026, 11, 25)
    walk_in = services.queue_take(category=cat["A"], channel=QueueChannel.PHONE, device="x", now=at(wednesday, 8, 35))
    with pytest.raises(Conflict) as early:
        ap.appointment_check_in(appointment=booked, now=at(wednesday, 8, 29))
    assert early.value.code == "check_in_window" and "08:30" in str(early.value.message)
    found = ap.appointment_by_code(hall, booked.code.lower())
    checked = ap.appointment_check_in(appointment=found, now=at(wednesday, 8, 40))
    ticket = checked.taken.ticket
    assert (ticket.channel, ticket.priority, checked.appointment.status) == (
        QueueChannel.APPOINTMENT, 1, AppointmentStatus.CHECKED_IN,
    )  # fmt: skip
    assert checked.taken.ahead == 0 and walk_in.ticket.number == "A001" and ticket.number == "A002"
    with pytest.raises(Conflict):
        ap.appointment_check_in(appointment=found, now=at(wednesday, 8, 41))


@pytest.mark.django_db
def test_a_check_in_past_the_quota_writes_nothing(slot: AppointmentSlot, cat: Any, hall: Any, clerks: Any) -> None:
    """The number is drawn last (issue 22): refused past the category's quota, the check-in leaves no
    ticket, event or audit record behind, and the appointment booked; the code checks in once a number is free."""
    from yiwang.audit.models import AuditRecord
    from yiwang.hall import services
    from yiwang.hall.models import QueueEvent

    booked = ap.appointment_book(actor=person(1), slot=slot, now=at(MONDAY, 10))
    wednesday = date(2026, 11, 25)
    cat["A"].daily_quota = 1
    cat["A"].save(update_fields=["daily_quota"])
    services.queue_take(category=cat["A"], channel=QueueChannel.PHONE, device="x", now=at(wednesday, 8, 35))
    tickets, events, records = QueueTicket.objects.count(), QueueEvent.objects.count(), AuditRecord.objects.count()
    with pytest.raises(Conflict) as full:
        ap.appointment_check_in_by_code(hall=hall, code=booked.code, actor=clerks[0], now=at(wednesday, 8, 40))
    assert full.value.code == "quota_reached"
    assert (QueueTicket.objects.count(), QueueEvent.objects.count(), AuditRecord.objects.count()) == (
        tickets, events, records,
    )  # fmt: skip
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED and booked.queue_ticket_id is None
    cat["A"].daily_quota = 2
    cat["A"].save(update_fields=["daily_quota"])
    checked = ap.appointment_check_in_by_code(hall=hall, code=booked.code, actor=clerks[0], now=at(wednesday, 8, 41))
    assert checked.taken.ticket.number == "A002" and checked.taken.ticket.serial == 2
    assert not QueueTicket.objects.filter(number__startswith="~").exists()


@pytest.mark.django_db
def test_every_status_and_step_of_the_appointments_table(slot: AppointmentSlot) -> None:
    """The appointments' table walked completely, each step in a transaction rolled back after; marking
    missed is a sweep that leaves anything but a booked appointment as it is."""
    me = person(1)
    booked = ap.appointment_book(actor=me, slot=slot, now=at(MONDAY, 10))
    wednesday = date(2026, 11, 25)
    steps = {
        "cancel": lambda a: ap.appointment_cancel(actor=me, appointment=a, now=at(wednesday, 8, 40)),
        "check_in": lambda a: ap.appointment_check_in(appointment=a, now=at(wednesday, 8, 40)),
        "miss": lambda a: ap.appointments_mark_missed(now=at(wednesday, 10)),
    }

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                Appointment.objects.filter(pk=booked.pk).update(status=status)
                steps[action](Appointment.objects.get(pk=booked.pk))
                return Appointment.objects.get(pk=booked.pk).status
            finally:
                transaction.set_rollback(True)

    assert set(steps) == set(APPOINTMENT_WORKFLOW.actions)
    walk(APPOINTMENT_WORKFLOW, AppointmentStatus.values, run, code="wrong_status", quiet={"miss"})


@pytest.mark.django_db
def test_one_reminder_within_the_day_before(slot: AppointmentSlot) -> None:
    from yiwang.notifications.models import Notification

    booked = ap.appointment_book(actor=person(1), slot=slot, now=at(MONDAY, 10))
    Appointment.objects.filter(pk=booked.pk).update(booked_at=at(MONDAY, 10))
    assert ap.appointments_remind(now=at(MONDAY, 12)) == 0  # two days ahead
    assert ap.appointments_remind(now=at(date(2026, 11, 24), 10)) == 1
    assert ap.appointments_remind(now=at(date(2026, 11, 24), 11)) == 0
    subjects = list(Notification.objects.filter(recipient=booked.account).values_list("subject", flat=True))
    assert len(subjects) == 2 and any("提醒" in s for s in subjects)


def in_parallel(calls: list[Any]) -> list[str]:
    """The calls at once (tests.parallel.at_once); the outcome of each: "ok", the refusal's code, or the
    unexpected exception."""
    return [
        "ok" if not isinstance(result, BaseException) else result.code if isinstance(result, Conflict) else repr(result)
        for result in at_once(calls)
    ]


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_never_overbook(demo_city: None) -> None:
    """Twenty people press 预约 on the last three places at once: exactly three succeed."""
    require_postgresql()
    from yiwang.hall.models import QueueCategory

    category = QueueCategory.objects.get(prefix="A")
    ap.slot_plan_save(actor=None, category=category, start=time(9), end=time(10), capacity=3, weekdays="3")
    ap.slots_generate(today=MONDAY)
    slot = AppointmentSlot.objects.get(category=category, day=date(2026, 11, 25))
    people = [person(n) for n in range(20)]
    outcomes = in_parallel(
        [lambda who=who: ap.appointment_book(actor=who, slot=slot, now=at(MONDAY, 10)) for who in people]
    )
    assert sorted(outcomes) == ["ok"] * 3 + ["slot_full"] * 17
    slot.refresh_from_db()
    assert slot.booked == 3 == Appointment.objects.filter(slot=slot).count()


@pytest.mark.django_db(transaction=True)
def test_a_crowd_on_the_last_places_is_served_first_come_first_served(demo_city: None) -> None:
    """Forty people press 预约 at once on a slot's five places: five get one and thirty-five are told 已约满;
    every refusal came back after all five appointments were written (the place is taken last, by the
    database, and refused only once none is left), and the refused leave nothing behind — no appointment,
    audit record or message (docs/hall.md §2)."""
    require_postgresql()
    from yiwang.audit.models import AuditRecord
    from yiwang.hall.models import QueueCategory
    from yiwang.notifications.models import Notification

    category = QueueCategory.objects.get(prefix="A")
    ap.slot_plan_save(actor=None, category=category, start=time(9), end=time(10), capacity=5, weekdays="3")
    ap.slots_generate(today=MONDAY)
    slot = AppointmentSlot.objects.get(category=category, day=date(2026, 11, 25))
    people = [person(n) for n in range(40)]
    answered: dict[int, datetime] = {}

    def book(who: Any) -> Any:
        try:
            return ap.appointment_book(actor=who, slot=slot.pk, now=at(MONDAY, 10))
        finally:
            answered[who.pk] = timezone.now()

    outcomes = in_parallel([lambda who=who: book(who) for who in people])
    assert sorted(outcomes) == ["ok"] * 5 + ["slot_full"] * 35
    slot.refresh_from_db()
    booked = Appointment.objects.filter(slot=slot)
    assert slot.booked == 5 == booked.count()
    assert AuditRecord.objects.filter(action="hall.book").count() == 5
    assert Notification.objects.filter(template="hall.booked").count() == 5
    last_written = max(booked.values_list("booked_at", flat=True))
    holders = set(booked.values_list("account_id", flat=True))
    assert all(last_written < at_ for pk, at_ in answered.items() if pk not in holders)


@pytest.mark.django_db(transaction=True)
def test_one_code_checked_in_at_two_kiosks_at_once_gets_one_number(demo_city: None, city: Any) -> None:
    """Ten appointments, each code scanned at two kiosks at the same moment: ten numbers, consecutive and
    distinct, and ten refusals with their code; no appointment holds two numbers."""
    require_postgresql()
    from yiwang.accounts.services import role_grant
    from yiwang.hall.models import QueueCategory

    category = QueueCategory.objects.get(prefix="A")
    ap.slot_plan_save(actor=None, category=category, start=time(9), end=time(10), capacity=10, weekdays="3")
    ap.slots_generate(today=MONDAY)
    slot = AppointmentSlot.objects.get(category=category, day=date(2026, 11, 25))
    booked = [ap.appointment_book(actor=person(n), slot=slot, now=at(MONDAY, 10)) for n in range(10)]
    kiosks = []
    for n in range(2):
        clerk = user_create(
            username=f"kiosk{n}", password="Pass-word-2026!", kind=AccountKind.STAFF, full_name="自助机"
        )
        role_grant(actor=None, user=clerk, role=Role.CLERK, region=city)
        kiosks.append(clerk)
    hall = category.hall
    wednesday = at(date(2026, 11, 25), 8, 40)

    def check_in(code: str, kiosk: Any) -> Any:
        return ap.appointment_check_in(appointment=ap.appointment_by_code(hall.pk, code), actor=kiosk, now=wednesday)

    outcomes = in_parallel([lambda a=a, k=k: check_in(a.code, k) for a in booked for k in kiosks])
    assert sorted(outcomes) == ["ok"] * 10 + ["wrong_status"] * 10
    tickets = QueueTicket.objects.filter(category=category, day=wednesday.date())
    assert sorted(tickets.values_list("number", flat=True)) == [f"A{n:03d}" for n in range(1, 11)]
    held = Appointment.objects.filter(slot=slot).values_list("queue_ticket", flat=True)
    assert len(set(held)) == 10 and None not in held


@pytest.mark.django_db(transaction=True)
def test_one_person_booking_in_parallel_passes_the_limit_once(demo_city: None) -> None:
    require_postgresql()
    from yiwang.hall.models import QueueCategory

    category = QueueCategory.objects.get(prefix="A")
    ap.slot_plan_save(actor=None, category=category, start=time(9), end=time(10), capacity=10, weekdays="3")
    ap.slots_generate(today=MONDAY)
    slot = AppointmentSlot.objects.get(category=category, day=date(2026, 11, 25))
    me = person(1)
    outcomes = in_parallel([lambda: ap.appointment_book(actor=me, slot=slot, now=at(MONDAY, 10))] * 8)
    assert sorted(outcomes) == ["already_booked"] * 7 + ["ok"]


@pytest.mark.django_db(transaction=True)
def test_parallel_phones_get_distinct_numbers_and_windows_distinct_calls(demo_city: None, city: Any) -> None:
    require_postgresql()
    from yiwang.accounts.services import role_grant
    from yiwang.hall import services
    from yiwang.hall.models import QueueCategory
    from yiwang.organisation.models import Window

    category = QueueCategory.objects.get(prefix="A")
    morning = at(MONDAY, 10)
    numbers: list[str] = []

    def take(n: int) -> None:
        numbers.append(
            services.queue_take(category=category, channel="phone", device=f"d{n}", now=morning).ticket.number
        )

    assert in_parallel([lambda n=n: take(n) for n in range(24)]) == ["ok"] * 24
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 25)]
    clerks = []
    for n, window in enumerate(Window.objects.filter(group=category.group)):
        clerk = user_create(username=f"clerk{n}", password="Pass-word-2026!", kind=AccountKind.STAFF, full_name="窗口")
        role_grant(actor=None, user=clerk, role=Role.CLERK, region=city)
        services.duty_start(actor=clerk, window=window, now=morning)
        clerks.append(clerk)
    called: list[int] = []

    def call(clerk: Any) -> None:
        for _round in range(3):
            with transaction.atomic():
                ticket = services.queue_call_next(actor=clerk, now=morning)
            called.append(ticket.pk)
            services.queue_finish(actor=clerk, ticket=ticket, now=morning)

    assert in_parallel([lambda clerk=clerk: call(clerk) for clerk in clerks]) == ["ok"] * len(clerks)
    assert len(called) == 3 * len(clerks) == len(set(called))
    assert QueueTicket.objects.filter(status="done").count() == len(called)
