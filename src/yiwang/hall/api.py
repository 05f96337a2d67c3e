"""API: the hall under /api/v1/hall/ — the board of a hall (public, for other screens and apps), taking
a number (a kiosk's staff account), the window duty and every step at the window."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.accounts.selectors import user_has_role
from yiwang.core.api_support import ErrorOut, LocalTime
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.core.shell import acting_user, acting_user_with
from yiwang.hall import selectors, services
from yiwang.hall.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    QueueCategory,
    QueueChannel,
    QueueStatus,
    QueueTicket,
    WindowDuty,
)
from yiwang.organisation.selectors import hall_get, window_get

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Hall

router = Router(tags=["hall"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


class CategoryRowOut(Schema):
    prefix: str
    name: str
    is_open: bool
    waiting: int
    windows_open: int = Field(..., description="windows of the category's group with a clerk on duty")
    estimate_minutes: int = Field(..., description="people waiting × minutes per person ÷ windows on duty")


class CallOut(Schema):
    number: str
    window: str | None
    status: QueueStatus
    called_at: datetime | None


class BoardOut(Schema):
    hall: str
    categories: list[CategoryRowOut]
    calls: list[CallOut]


class QueueTicketOut(Schema):
    id: int
    number: str
    category: str = Field(..., alias="category.prefix")
    status: QueueStatus
    channel: QueueChannel
    taken_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    window: str | None = Field(None, alias="window.number")
    recalls: int
    transfers: int
    cases: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_cases(obj: QueueTicket) -> list[str]:
        return [case.number for case in obj.cases.all()]


class TakenOut(Schema):
    ticket: QueueTicketOut
    ahead: int
    holder_url: str = Field(..., description="the holder's page (place, estimate, cancel); shown once")


class TakeIn(Schema):
    category: str = Field(..., max_length=2, description="the category's prefix")


class DutyIn(Schema):
    window: int = Field(..., description="window id")


class DutyOut(Schema):
    window: int = Field(..., alias="window_id")
    number: str = Field(..., alias="window.number")
    started_at: datetime


class TransferIn(Schema):
    category: str = Field(..., max_length=2, description="prefix of the category to wait in")
    note: str = Field("", max_length=200)


class LinkIn(Schema):
    case_number: str = Field(..., max_length=40)


def _hall(hall_id: int) -> "Hall":
    hall = hall_get(pk=hall_id)
    if hall is None:
        raise Http404
    return hall


@router.get(
    "/halls/{hall_id}/board",
    response={200: BoardOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="A hall's board",
)
def board(request: HttpRequest, hall_id: int) -> BoardOut:
    hall = _hall(hall_id)
    rows = selectors.board(hall)
    calls = selectors.recent_calls(hall, timezone.localdate())
    return BoardOut(
        hall=hall.name,
        categories=[
            CategoryRowOut(
                prefix=r.category.prefix, name=r.category.name, is_open=r.category.is_open,
                waiting=r.waiting, windows_open=r.windows_open, estimate_minutes=r.estimate_minutes,
            )
            for r in rows
        ],
        calls=[
            CallOut(number=t.number, window=t.window.number if t.window else None, status=QueueStatus(t.status),
                    called_at=t.called_at)
            for t in calls
        ],
    )  # fmt: skip


@router.post("/halls/{hall_id}/tickets", response={201: TakenOut, **ERRORS}, summary="Take a number (kiosk)")
def take(request: HttpRequest, hall_id: int, payload: TakeIn) -> Status[dict[str, object]]:
    hall = _hall(hall_id)
    category = QueueCategory.objects.filter(hall=hall, prefix=payload.category.upper()).first()
    if category is None:
        raise NotFound(code="unknown_category")
    taken = services.queue_take(category=category, channel=QueueChannel.KIOSK, actor=acting_user(request))
    url = request.build_absolute_uri(f"/hall/q/{taken.holder_token}/")
    return Status(201, {"ticket": taken.ticket, "ahead": taken.ahead, "holder_url": url})


def _clerk(request: HttpRequest) -> "User":
    return acting_user_with(request, services.CLERK_ROLES)


@router.post("/duty", response={200: DutyOut, **ERRORS}, summary="Sign on at a window")
def duty_start(request: HttpRequest, payload: DutyIn) -> WindowDuty:
    user = _clerk(request)
    window = window_get(pk=payload.window)
    if window is None:
        raise Http404
    return services.duty_start(actor=user, window=window)


@router.delete("/duty", response={204: None, **ERRORS}, summary="Sign off")
def duty_end(request: HttpRequest) -> Status[None]:
    services.duty_end(actor=_clerk(request))
    return Status(204, None)


@router.post("/call-next", response={200: QueueTicketOut, **ERRORS}, summary="Call the next number to my window")
def call_next(request: HttpRequest) -> QueueTicket:
    return services.queue_call_next(actor=_clerk(request))


def _ticket(user: "User", ticket_id: int) -> QueueTicket:
    ticket = (
        selectors.tickets_visible(user)
        .select_related("category", "window", "hall__centre")
        .prefetch_related("cases")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise NotFound()
    return ticket


@router.get("/tickets/{ticket_id}", response={200: QueueTicketOut, **ERRORS}, summary="A queue ticket")
def ticket_detail(request: HttpRequest, ticket_id: int) -> QueueTicket:
    return _ticket(_clerk(request), ticket_id)


@router.post("/tickets/{ticket_id}/transfer", response={200: QueueTicketOut, **ERRORS}, summary="Transfer")
def transfer(request: HttpRequest, ticket_id: int, payload: TransferIn) -> QueueTicket:
    user = _clerk(request)
    ticket = _ticket(user, ticket_id)
    category = QueueCategory.objects.filter(hall_id=ticket.hall_id, prefix=payload.category.upper()).first()
    if category is None:
        raise NotFound(code="unknown_category")
    services.queue_transfer(actor=user, ticket=ticket, category=category, note=payload.note)
    return _ticket(user, ticket_id)


@router.post("/tickets/{ticket_id}/cases", response={200: QueueTicketOut, **ERRORS}, summary="Link to a case")
def link_case(request: HttpRequest, ticket_id: int, payload: LinkIn) -> QueueTicket:
    user = _clerk(request)
    services.queue_link_case(actor=user, ticket=_ticket(user, ticket_id), case_number=payload.case_number)
    return _ticket(user, ticket_id)


@router.post("/tickets/{ticket_id}/{action}", response={200: QueueTicketOut, **ERRORS}, summary="A step at the window")
def ticket_act(request: HttpRequest, ticket_id: int, action: str) -> QueueTicket:
    """``recall``, ``start``, ``finish`` or ``no-show`` (no body)."""
    user = _clerk(request)
    ticket = _ticket(user, ticket_id)
    steps = {
        "recall": services.queue_recall, "start": services.queue_start, "finish": services.queue_finish,
        "no-show": services.queue_no_show,
    }  # fmt: skip
    if action not in steps:
        raise NotFound(code="unknown_action")
    steps[action](actor=user, ticket=ticket)
    return _ticket(user, ticket_id)


# --- appointments -------------------------------------------------------------------------------------


class SlotOut(Schema):
    id: int
    category: str = Field(..., alias="category.prefix")
    day: date
    start: LocalTime
    end: LocalTime
    capacity: int
    booked: int


class AppointmentOut(Schema):
    id: int
    code: str
    status: AppointmentStatus
    hall: str = Field(..., alias="slot.category.hall.name")
    category: str = Field(..., alias="slot.category.name")
    day: date = Field(..., alias="slot.day")
    start: LocalTime = Field(..., alias="slot.start")
    end: LocalTime = Field(..., alias="slot.end")
    queue_number: str | None = Field(None, alias="queue_ticket.number")


class BookIn(Schema):
    slot: int


class CheckInIn(Schema):
    code: str = Field(..., max_length=8)


@router.get(
    "/halls/{hall_id}/slots",
    response={200: list[SlotOut], 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Open slots",
)
def slots(request: HttpRequest, hall_id: int) -> list[AppointmentSlot]:
    """Released slots that have not begun, with their places and bookings (public)."""
    return [slot for group in selectors.bookable_slots(_hall(hall_id)) for slot in group.slots]


@router.get("/appointments", response={200: list[AppointmentOut], **ERRORS}, summary="My appointments")
def my_appointments(request: HttpRequest) -> list[Appointment]:
    return selectors.appointments_of(acting_user(request))


@router.post("/appointments", response={201: AppointmentOut, **ERRORS}, summary="Book a slot")
def book(request: HttpRequest, payload: BookIn) -> Status[Appointment]:
    from yiwang.hall.appointments import appointment_book

    return Status(201, appointment_book(actor=acting_user(request), slot=payload.slot))


@router.delete("/appointments/{appointment_id}", response={200: AppointmentOut, **ERRORS}, summary="Cancel")
def cancel(request: HttpRequest, appointment_id: int) -> Appointment:
    from yiwang.hall.appointments import appointment_cancel

    user = acting_user(request)
    appointment = Appointment.objects.filter(pk=appointment_id, account=user).first()
    if appointment is None:
        raise NotFound()
    return appointment_cancel(actor=user, appointment=appointment)


@router.post("/halls/{hall_id}/check-in", response={201: TakenOut, **ERRORS}, summary="Check in by code (kiosk)")
def check_in(request: HttpRequest, hall_id: int, payload: CheckInIn) -> Status[dict[str, object]]:
    from yiwang.hall.appointments import appointment_check_in_by_code

    user = acting_user(request)
    if not user_has_role(user=user, roles=services.KIOSK_ROLES):
        raise PermissionDenied()
    # An unknown hall has no appointment: 404.
    taken = appointment_check_in_by_code(hall=hall_id, code=payload.code, actor=user).taken
    url = request.build_absolute_uri(f"/hall/q/{taken.holder_token}/")
    return Status(201, {"ticket": taken.ticket, "ahead": taken.ahead, "holder_url": url})
