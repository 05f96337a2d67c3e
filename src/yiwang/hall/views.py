"""Pages of the hall. Public: the display for the hall's screens, taking a number by phone after
scanning the display's QR code, the holder's page. Staff: the clerk's desk and the kiosk."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.selectors import user_has_role
from yiwang.core.errors import DomainError, PermissionDenied
from yiwang.core.middleware import client_ip
from yiwang.core.ratelimit import over_limit
from yiwang.core.shell import acting_user, acting_user_with, staff_required
from yiwang.hall import selectors, services
from yiwang.hall.models import QueueCategory, QueueChannel, QueueStatus, QueueTicket
from yiwang.hall.rules import hall_token, hall_token_valid
from yiwang.organisation.selectors import hall_get, halls_by_pk, window_get, windows_active

if TYPE_CHECKING:
    from yiwang.organisation.models import Hall

DEVICE_COOKIE = "yw_device"
TAKES_PER_HOUR_PER_ADDRESS = 30


def _hall(hall_id: int) -> Hall:
    hall = hall_get(pk=hall_id)
    if hall is None:
        raise Http404
    return hall


def _take_url(request: HttpRequest, hall: Hall) -> str:
    policy = selectors.policy_of(hall)
    token = hall_token(hall.pk, timezone.now(), policy.qr_rotate_seconds)
    return request.build_absolute_uri(reverse("hall_public:take", args=[hall.pk]) + f"?k={token}")


def _qr(url: str, scale: int = 5) -> str:
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, dark="#1f2328", light="#ffffff"))  # noqa: S308 (segno's own SVG)


# --- the display ----------------------------------------------------------------------------------


def _board_context(request: HttpRequest, hall: Hall) -> dict[str, Any]:
    now = timezone.now()
    day = timezone.localtime(now).date()
    calls = selectors.recent_calls(hall, day)
    current = selectors.at_windows(hall, day)
    take_url = _take_url(request, hall)
    return {
        "hall": hall,
        "now": now,
        "calls": calls,
        "latest": calls[0] if calls else None,
        "windows": [(w, current.get(w.pk)) for w in selectors.windows_of(hall)],
        "rows": selectors.board(hall, now),
        "qr": _qr(take_url, scale=4),
        "take_url": take_url,
    }


@require_GET
def display(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The LED/TV screen: polls its board every 3 s and keeps showing the last one through a blip."""
    hall = _hall(hall_id)
    return render(request, "hall/display.html", _board_context(request, hall))


@require_GET
def display_board(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = _hall(hall_id)
    response = render(request, "hall/_board.html", _board_context(request, hall))
    response["Cache-Control"] = "no-store"
    return response


# --- taking a number by phone ------------------------------------------------------------------------


def _device(request: HttpRequest) -> tuple[str, bool]:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if len(value) == 32 and value.isalnum():
        return value, False
    return secrets.token_hex(16), True


@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, hall_id: int) -> HttpResponse:
    """手机取号: only with the token of the display's QR code (someone in the hall), no app, no account."""
    hall = _hall(hall_id)
    policy = selectors.policy_of(hall)
    token = request.GET.get("k", "")[:32]
    device, new_device = _device(request)
    context: dict[str, Any] = {"hall": hall, "token": token, "error": "", "phone": ""}
    status = 200
    if not hall_token_valid(hall.pk, token, timezone.now(), policy.qr_rotate_seconds):
        context["expired"] = True
        status = 403
    elif request.method == "POST" and request.POST.get("appointment"):
        return _check_in_by_phone(request, hall, token)
    elif request.method == "POST":
        context["phone"] = request.POST.get("phone", "")[:20]
        category = QueueCategory.objects.filter(hall=hall, pk=_int(request.POST.get("category"))).first()
        if over_limit(f"hall:take:{client_ip(request) or 'unknown'}", TAKES_PER_HOUR_PER_ADDRESS, 3600):
            context["error"] = _("Too many numbers were taken from this network; please ask at the information desk.")
            status = 429
        elif category is None:
            context["error"] = _("Choose a business category.")
            status = 422
        else:
            try:
                taken = services.queue_take(
                    category=category, channel=QueueChannel.PHONE, phone=context["phone"], device=device,
                    account=request.user if request.user.is_authenticated else None,
                )  # fmt: skip
            except DomainError as error:
                context["error"] = str(error.message)
                status = error.status if error.status != 400 else 422
            else:
                moved = redirect("hall_public:holder", token=taken.holder_token)
                _set_device(moved, device)
                return moved
    context["rows"] = selectors.board(hall)
    if request.user.is_authenticated and not context.get("expired"):
        context["appointments"] = selectors.appointments_today(request.user, hall)
    response = render(request, "hall/take.html", context, status=status)
    if new_device:
        _set_device(response, device)
    return response


def _set_device(response: HttpResponse, device: str) -> None:
    from django.conf import settings

    response.set_cookie(
        DEVICE_COOKIE, device, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip


def _int(value: Any) -> int:
    """A posted id, or 0 (no row has it) when it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _holder_context(ticket: QueueTicket) -> dict[str, Any]:
    ahead = selectors.ahead_of(ticket)
    return {
        "ticket": ticket,
        "ahead": ahead,
        "estimate": selectors.estimate_for(ticket, ahead) if ticket.status == QueueStatus.WAITING else 0,
        "waiting": ticket.status == QueueStatus.WAITING,
        "at_window": ticket.status in (QueueStatus.CALLED, QueueStatus.SERVING),
    }


@require_GET
def holder(request: HttpRequest, token: str) -> HttpResponse:
    """The holder's number, place and estimate; the status part refreshes itself every 10 s."""
    ticket = services.holder_ticket(token)
    template = "hall/_holder_status.html" if request.GET.get("part") == "status" else "hall/holder.html"
    response = render(request, template, {**_holder_context(ticket), "token": token})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token in the address never leaves the site
    return response


@require_POST
def holder_cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket = services.queue_cancel(token=token)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Number %(number)s is cancelled.") % {"number": ticket.number})
    return redirect("hall_public:holder", token=token)


# --- the clerk's desk --------------------------------------------------------------------------------


def _clerk(request: HttpRequest) -> Any:
    return acting_user_with(request, services.CLERK_ROLES)


@require_GET
@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    """窗口叫号: sign on at a window, then call, recall, serve, transfer and link each number to its cases."""
    user = _clerk(request)
    duty = selectors.duty_of(user)
    context: dict[str, Any] = {"duty": duty}
    if duty is None:
        halls = list(selectors.halls_for(user))
        context["windows"] = list(
            windows_active(halls=halls).select_related("group__hall").order_by("group__hall", "group__theme", "number")
        )
    else:
        hall = duty.window.group.hall
        day = timezone.localdate()
        context.update(
            current=selectors.at_my_window(user, duty.window),
            rows=[row for row in selectors.board(hall) if row.category.group_id == duty.window.group_id],
            categories=list(selectors.categories_of(hall).filter(is_open=True)),
            served=selectors.served_today(user, day),
            display_url=reverse("hall_public:display", args=[hall.pk]),
        )
    return render(request, "hall/desk.html", context)


@require_POST
@staff_required
def duty(request: HttpRequest) -> HttpResponse:
    user = _clerk(request)
    try:
        if request.POST.get("action") == "end":
            services.duty_end(actor=user)
            messages.success(request, _("You have signed off."))
        else:
            window = window_get(pk=_int(request.POST.get("window")))
            if window is None:
                raise Http404
            services.duty_start(actor=user, window=window)
            messages.success(request, _("You are on duty at window %(number)s.") % {"number": window.number})
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("hall:desk")


def _transfer(request: HttpRequest, user: Any, ticket: QueueTicket) -> object:
    target = get_object_or_404(QueueCategory, pk=_int(request.POST.get("category")), hall=ticket.hall)
    return services.queue_transfer(actor=user, ticket=ticket, category=target, note=request.POST.get("note", ""))


# The steps on a number at the window, by the actions of the queue's table (hall.workflow); linking a case
# changes no status, and calling the next number (no number chosen yet) is a step of its own.
DESK_STEPS: dict[str, Callable[[HttpRequest, Any, QueueTicket], object]] = {
    "recall": lambda request, user, ticket: services.queue_recall(actor=user, ticket=ticket),
    "start": lambda request, user, ticket: services.queue_start(actor=user, ticket=ticket),
    "finish": lambda request, user, ticket: services.queue_finish(actor=user, ticket=ticket),
    "no_show": lambda request, user, ticket: services.queue_no_show(actor=user, ticket=ticket),
    "transfer": _transfer,
    "link": lambda request, user, ticket: services.queue_link_case(
        actor=user, ticket=ticket, case_number=request.POST.get("case_number", "")
    ),
}


@require_POST
@staff_required
def desk_act(request: HttpRequest, action: str) -> HttpResponse:
    user = _clerk(request)
    try:
        if action == "call":
            ticket = services.queue_call_next(actor=user)
            messages.success(request, _("Calling %(number)s.") % {"number": ticket.number})
            return redirect("hall:desk")
        step = DESK_STEPS.get(action)
        if step is None:
            raise PermissionDenied()
        ticket = get_object_or_404(
            QueueTicket.objects.select_related("hall__centre"), pk=_int(request.POST.get("ticket"))
        )
        step(request, user, ticket)
        messages.success(request, _("Done: %(number)s.") % {"number": ticket.number})
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("hall:desk")


# --- the kiosk ----------------------------------------------------------------------------------------

KIOSK_SLIP = "hall_kiosk_slip"


@require_http_methods(["GET", "POST"])
@staff_required
def kiosk(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The hall's kiosk (a terminal signed in with a clerk's account): one big button per category."""
    user = acting_user(request)
    hall = _hall(hall_id)
    if not user_has_role(user=user, roles=services.KIOSK_ROLES):
        raise PermissionDenied()
    status = 200
    if request.method == "POST" and "code" in request.POST:
        from yiwang.hall.appointments import appointment_check_in_by_code

        try:
            taken = appointment_check_in_by_code(hall=hall, code=request.POST.get("code", ""), actor=user).taken
        except DomainError as error:
            messages.error(request, str(error.message))
            status = 409 if error.status == 409 else 404
        else:
            request.session[KIOSK_SLIP] = {"ticket": taken.ticket.pk, "token": taken.holder_token}
            return redirect("hall:slip", hall_id=hall.pk)
    elif request.method == "POST":
        category = get_object_or_404(QueueCategory, hall=hall, pk=_int(request.POST.get("category")))
        try:
            taken = services.queue_take(category=category, channel=QueueChannel.KIOSK, actor=user)
        except DomainError as error:
            messages.error(request, str(error.message))
            status = 409
        else:
            request.session[KIOSK_SLIP] = {"ticket": taken.ticket.pk, "token": taken.holder_token}
            return redirect("hall:slip", hall_id=hall.pk)
    return render(request, "hall/kiosk.html", {"hall": hall, "rows": selectors.board(hall)}, status=status)


@require_GET
@staff_required
def slip(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The printed slip: the number, the people ahead, and a QR code to follow the queue on a phone."""
    slip_data = request.session.pop(KIOSK_SLIP, None)
    if not slip_data:
        return redirect("hall:kiosk", hall_id=hall_id)
    ticket = get_object_or_404(QueueTicket.objects.select_related("category", "hall"), pk=slip_data["ticket"])
    url = request.build_absolute_uri(reverse("hall_public:holder", args=[slip_data["token"]]))
    context = {**_holder_context(ticket), "qr": _qr(url, scale=3), "hall": ticket.hall}
    return render(request, "hall/slip.html", context)


def _check_in_by_phone(request: HttpRequest, hall: Hall, token: str) -> HttpResponse:
    """签到 on the phone, in the hall (the caller already passed the display's token check)."""
    from yiwang.hall.appointments import appointment_check_in
    from yiwang.hall.models import Appointment

    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
    appointment = get_object_or_404(
        Appointment, pk=_int(request.POST.get("appointment")), account=request.user, slot__category__hall=hall
    )
    try:
        checked = appointment_check_in(appointment=appointment, actor=acting_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(f"{reverse('hall_public:take', args=[hall.pk])}?k={token}")
    return redirect("hall_public:holder", token=checked.taken.holder_token)


# --- appointments -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def book(request: HttpRequest, hall_id: int) -> HttpResponse:
    """预约: the released slots of the hall's categories for the coming days, with the places left."""
    from yiwang.hall.appointments import appointment_book
    from yiwang.hall.models import AppointmentSlot

    hall = _hall(hall_id)
    status = 200
    if request.method == "POST":
        slot = get_object_or_404(AppointmentSlot, pk=_int(request.POST.get("slot")), category__hall=hall)
        try:
            appointment = appointment_book(actor=acting_user(request), slot=slot)
        except DomainError as error:
            messages.error(request, str(error.message))
            status = error.status if error.status != 400 else 422
        else:
            messages.success(request, _("Booked. Your appointment code is %(code)s.") % {"code": appointment.code})
            return redirect("hall_public:appointments")
    context = {"hall": hall, "groups": selectors.bookable_slots(hall), "policy": selectors.policy_of(hall)}
    return render(request, "hall/book.html", context, status=status)


@require_GET
@login_required
def my_appointments(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "hall/appointments.html",
        {"appointments": selectors.appointments_of(user), "halls": list(halls_by_pk()[:20])},
    )


@require_POST
@login_required
def appointment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    from yiwang.hall.appointments import appointment_cancel as cancel
    from yiwang.hall.models import Appointment

    appointment = get_object_or_404(Appointment, pk=pk, account=request.user)
    try:
        cancel(actor=acting_user(request), appointment=appointment)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The appointment is cancelled; the place is free for someone else."))
    return redirect("hall_public:appointments")
