"""Reads of the hall: the settings of a hall, a holder's place in the queue, the board of the display
(calls, windows, waiting and estimates per category) and the clerk's desk."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yiwang.core.process_copy import ProcessCopy
from yiwang.hall.models import (
    AT_WINDOW,
    AppointmentSlot,
    HallPolicy,
    QueueCategory,
    QueueStatus,
    QueueTicket,
    WindowDuty,
)
from yiwang.hall.rules import waiting_minutes

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.cases.models import Case
    from yiwang.organisation.models import Hall, Window

SERVICE_SAMPLE = 20  # finished tickets per category behind the estimate of minutes per person


def policy_of(hall: Hall) -> HallPolicy:
    """The hall's settings; the defaults until the centre saves its own. No query when the hall was read
    with ``select_related("…hall__policy")`` (``category_for_booking``)."""
    cached: HallPolicy | None = getattr(hall, "_policy", None)
    if cached is None:
        related = HallPolicy.hall.field.remote_field  # the hall's side of the one-to-one
        if related.is_cached(hall):
            cached = cast("HallPolicy | None", related.get_cached_value(hall)) or HallPolicy(hall=hall)
        else:
            cached = HallPolicy.objects.filter(hall=hall).first() or HallPolicy(hall=hall)
        hall._policy = cached  # type: ignore[attr-defined]
    return cached


def ahead_of(ticket: QueueTicket) -> int:
    """How many waiting tickets of the same category and day go before this one."""
    if ticket.status != QueueStatus.WAITING:
        return 0
    return QueueTicket.objects.filter(
        Q(priority__gt=ticket.priority)
        | Q(priority=ticket.priority, taken_at__lt=ticket.taken_at)
        | Q(priority=ticket.priority, taken_at=ticket.taken_at, pk__lt=ticket.pk),
        category_id=ticket.category_id,
        day=ticket.day,
        status=QueueStatus.WAITING,
    ).count()


def categories_of(hall: Hall) -> QuerySet[QueueCategory]:
    return QueueCategory.objects.filter(hall=hall).select_related("group").order_by("order", "prefix")


@dataclass
class CategoryBoard:
    category: QueueCategory
    waiting: int
    windows_open: int
    minutes_per_person: float
    estimate_minutes: int


def service_minutes(hall: Hall, now: datetime) -> dict[int, float]:
    """Mean minutes per person of each category's last finished tickets in the past week."""
    samples: dict[int, list[float]] = defaultdict(list)
    rows = (
        QueueTicket.objects.filter(
            hall=hall, status=QueueStatus.DONE, finished_at__gte=now - timedelta(days=7), started_at__isnull=False
        )
        .order_by("-finished_at")
        .values_list("category_id", "started_at", "finished_at")[:1000]
    )
    for category_id, started, finished in rows:
        if started and finished and len(samples[category_id]) < SERVICE_SAMPLE:
            samples[category_id].append((finished - started).total_seconds() / 60)
    return {category_id: sum(values) / len(values) for category_id, values in samples.items() if values}


def board(hall: Hall, now: datetime | None = None) -> list[CategoryBoard]:
    """Every category of the hall with its waiting count and estimate: four queries."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    categories = list(categories_of(hall))
    waiting = dict(
        QueueTicket.objects.filter(hall=hall, day=day, status=QueueStatus.WAITING)
        .order_by()
        .values_list("category_id")
        .annotate(n=Count("pk"))
    )
    open_windows = dict(
        WindowDuty.objects.filter(window__group__hall=hall, ended_at__isnull=True)
        .order_by()
        .values_list("window__group_id")
        .annotate(n=Count("pk"))
    )
    measured = service_minutes(hall, now)
    result = []
    for category in categories:
        minutes = measured.get(category.pk, float(category.service_minutes))
        windows = open_windows.get(category.group_id, 0)
        ahead = waiting.get(category.pk, 0)
        result.append(CategoryBoard(category, ahead, windows, minutes, waiting_minutes(ahead, minutes, windows)))
    return result


def estimate_for(ticket: QueueTicket, ahead: int, now: datetime | None = None) -> int:
    now = now or timezone.now()
    minutes = service_minutes(ticket.hall, now).get(ticket.category_id, float(ticket.category.service_minutes))
    windows = WindowDuty.objects.filter(window__group_id=ticket.category.group_id, ended_at__isnull=True).count()
    return waiting_minutes(ahead, minutes, windows)


def recent_calls(hall: Hall, day: date, limit: int = 8) -> list[QueueTicket]:
    """The newest calls and recalls of the day, for the display's list."""
    return list(
        QueueTicket.objects.filter(hall=hall, day=day, called_at__isnull=False)
        .exclude(status=QueueStatus.WAITING)
        .select_related("window", "category")
        .order_by("-called_at", "-pk")[:limit]
    )


def at_windows(hall: Hall, day: date) -> dict[int, QueueTicket]:
    """Window id → the number being called or served there."""
    return {
        t.window_id: t
        for t in QueueTicket.objects.filter(hall=hall, day=day, status__in=AT_WINDOW).select_related("category")
        if t.window_id is not None
    }


def windows_of(hall: Hall) -> list[Window]:
    from yiwang.organisation.selectors import windows_active

    return list(windows_active(halls=[hall]).select_related("group").order_by("group__theme", "number"))


def duty_of(user: User) -> WindowDuty | None:
    return (
        WindowDuty.objects.select_related("window__group__hall__centre")
        .filter(clerk=user, ended_at__isnull=True)
        .first()
    )


def at_my_window(user: User, window: Window) -> QueueTicket | None:
    return (
        QueueTicket.objects.filter(window=window, status__in=AT_WINDOW)
        .select_related("category", "hall")
        .prefetch_related("cases")
        .first()
    )


def served_today(user: User, day: date, limit: int = 20) -> list[QueueTicket]:
    return list(
        QueueTicket.objects.filter(clerk=user, day=day, status__in=(QueueStatus.DONE, QueueStatus.NO_SHOW))
        .select_related("category")
        .prefetch_related("cases")
        .order_by("-finished_at")[:limit]
    )


def halls_for(user: User) -> QuerySet[Hall]:
    """The halls in the clerk's (or centre administrator's) area."""
    from yiwang.accounts.authz import scope_filter
    from yiwang.accounts.roles import Role
    from yiwang.organisation.selectors import halls_by_pk

    return scope_filter(
        halls_by_pk(),
        user,
        {Role.CLERK, Role.CENTRE_ADMIN},
        department_field=None,
        region_field="centre__region",
    )


def tickets_visible(user: User) -> QuerySet[QueueTicket]:
    """Queue tickets of the halls in the clerk's or centre administrator's area."""
    return QueueTicket.objects.filter(hall__in=halls_for(user).values("pk"))


@dataclass
class CategorySlots:
    category: QueueCategory
    slots: list[Any]


def bookable_slots(hall: Hall, now: datetime | None = None) -> list[CategorySlots]:
    """The hall's released, not yet begun slots by category (two queries)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    slots = (
        AppointmentSlot.objects.filter(category__hall=hall, category__is_open=True, released_at__lte=now)
        .filter(Q(day__gt=local.date()) | Q(day=local.date(), start__gt=local.time()))
        .select_related("category")
        .order_by("category__order", "day", "start")
    )
    grouped: dict[int, CategorySlots] = {}
    for slot in slots:
        slot.left = slot.capacity - slot.booked  # type: ignore[attr-defined]
        grouped.setdefault(slot.category_id, CategorySlots(slot.category, [])).slots.append(slot)
    return list(grouped.values())


def slot_get(pk: int) -> AppointmentSlot | None:
    """The slot alone: what says whether it can still be booked (one narrow query; get(), not first(), for
    no ORDER BY through the slot's, the category's and the hall's orderings)."""
    try:
        return AppointmentSlot.objects.get(pk=pk)
    except AppointmentSlot.DoesNotExist:
        return None


def _categories_for_booking() -> dict[int, QueueCategory]:
    return {category.pk: category for category in QueueCategory.objects.select_related("hall__policy")}


# Every category with its hall and the hall's settings, as every booking reads them: one copy per process
# (core.process_copy), forgotten when a category, a hall or its settings are saved (hall.receivers).
BOOKING_CATEGORIES = ProcessCopy("hall-booking-categories", _categories_for_booking)


def category_for_booking(pk: int) -> QueueCategory:
    """The category with its hall and the hall's settings (``policy_of`` then reads none), from the
    process's copy; read from the database if it is newer than the copy. Shared: read it, never change it."""
    found = BOOKING_CATEGORIES.get().get(pk)
    if found is None:
        found = QueueCategory.objects.select_related("hall__policy").get(pk=pk)
    return found


def appointments_of(user: User) -> list[Any]:
    from yiwang.hall.models import Appointment

    return list(
        Appointment.objects.filter(account=user)
        .select_related("slot__category__hall", "queue_ticket")
        .order_by("-slot__day", "-slot__start")[:50]
    )


def appointments_today(user: User, hall: Hall) -> list[Any]:
    from yiwang.hall.models import Appointment, AppointmentStatus

    return list(
        Appointment.objects.filter(
            account=user, status=AppointmentStatus.BOOKED, slot__category__hall=hall, slot__day=timezone.localdate()
        )
        .select_related("slot__category")
        .order_by("slot__start")
    )


def appointments_upcoming(user: User) -> list[Any]:
    from yiwang.hall.models import Appointment, AppointmentStatus

    return list(
        Appointment.objects.filter(account=user, status=AppointmentStatus.BOOKED, slot__day__gte=timezone.localdate())
        .select_related("slot__category__hall")
        .order_by("slot__day", "slot__start")[:5]
    )


# --- visits (a finished queue number is a window visit) for the ratings of 好差评 -------------------------


def visit_get(*, pk: int | str, clerk: User | None = None) -> QueueTicket | None:
    """A visit by id (only one served by ``clerk``, when given)."""
    visits = QueueTicket.objects.filter(pk=pk)
    return (visits.filter(clerk=clerk) if clerk is not None else visits).first()


def visit_for_rating(*, pk: int) -> QueueTicket:
    """A visit read again with what its rating names: the window and its group, the category and its
    group, the hall and its centre, the clerk and the holder's account. ``QueueTicket.DoesNotExist`` if gone."""
    return (
        QueueTicket.objects.select_related("window__group", "category__group", "hall__centre", "clerk", "account")
        .filter(pk=pk)
        .get()
    )


def visit_cases(*, visit: QueueTicket) -> list[Case]:
    """The cases linked to the visit, with their department, region and implementation."""
    return list(visit.cases.select_related("department", "region", "implementation"))


def visit_latest_done(*, clerk: User, day: date, excluding: QuerySet[Any, Any]) -> QueueTicket | None:
    """The clerk's latest visit finished on ``day`` but those whose ids ``excluding`` yields (a query of ids,
    run as a subquery), with its category and window."""
    return (
        QueueTicket.objects.filter(clerk=clerk, status=QueueStatus.DONE, day=day)
        .exclude(pk__in=excluding)
        .select_related("category", "window")
        .order_by("-finished_at")
        .first()
    )


def visits_generated_done() -> QuerySet[QueueTicket]:
    """The finished visits of the generated history (``demo.history.hall`` writes them without a holder token)."""
    return QueueTicket.objects.filter(status=QueueStatus.DONE, holder_token_digest__isnull=True)
