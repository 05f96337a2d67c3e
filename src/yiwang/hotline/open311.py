"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2/, so civic-issue
apps can submit and follow tickets. Services are the leaves of the category tree (service_code = the
category code). Errors use Open311's own format: a list of {"code", "description"}. Reading is
public and shows no caller data; submitting needs an API key of scope hotline:submit."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.api_keys import api_key_for
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.masking import mask_text
from yiwang.hotline import services
from yiwang.hotline.models import Category, Ticket, TicketChannel, TicketKind, TicketStatus
from yiwang.hotline.selectors import category_leaves

CLOSED = (TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.MERGED)
MAX_REQUESTS = 200


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


def _leaves() -> list[Category]:
    return category_leaves()


def _service(category: Category) -> dict[str, Any]:
    group = category.parent.name if category.parent else ""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or f"{group}：{category.name}" if group else category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": group,
    }


@require_GET
def services_list(request: HttpRequest) -> JsonResponse:
    return JsonResponse([_service(c) for c in _leaves()], safe=False)


@require_GET
def service_definition(request: HttpRequest, code: str) -> JsonResponse:
    if code not in {c.code for c in _leaves()}:
        return _error(404, _("Unknown service_code."))
    return JsonResponse({"service_code": code, "attributes": []})


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _request(ticket: Ticket) -> dict[str, Any]:
    closed = ticket.status in CLOSED
    return {
        "service_request_id": ticket.number,
        "status": "closed" if closed else "open",
        "status_notes": ticket.get_status_display(),
        "service_name": ticket.category.name,
        "service_code": ticket.category.code,
        "description": mask_text(ticket.description),
        "agency_responsible": ticket.unit.name if ticket.unit else "",
        "service_notice": "",
        "requested_datetime": _when(ticket.created_at),
        "updated_datetime": _when(ticket.closed_at or ticket.replied_at or ticket.dispatched_at or ticket.created_at),
        "expected_datetime": _when(ticket.due_at),
        "address": ticket.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(ticket.latitude) if ticket.latitude is not None else None,
        "long": float(ticket.longitude) if ticket.longitude is not None else None,
        "media_url": "",
    }


def _tickets() -> Any:
    return Ticket.objects.select_related("category", "unit").exclude(channel="").order_by("-created_at")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_endpoint(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _submit(request)
    tickets = _tickets()
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        return JsonResponse([_request(t) for t in tickets.filter(number__in=ids[:MAX_REQUESTS])], safe=False)
    if code := request.GET.get("service_code", "").strip():
        tickets = tickets.filter(category__code__in=code.split(","))
    status = request.GET.get("status", "").strip()
    if status == "open":
        tickets = tickets.exclude(status__in=CLOSED)
    elif status == "closed":
        tickets = tickets.filter(status__in=CLOSED)
    elif status:
        return _error(400, _("status is open or closed."))
    for name, lookup in (("start_date", "created_at__gte"), ("end_date", "created_at__lte")):
        if raw := request.GET.get(name, "").strip():
            parsed = parse_datetime(raw)
            if parsed is None:
                return _error(
                    400, _("%(name)s must be a W3C date-time, e.g. 2026-11-01T00:00:00+08:00.") % {"name": name}
                )
            tickets = tickets.filter(**{lookup: parsed})
    return JsonResponse([_request(t) for t in tickets[:MAX_REQUESTS]], safe=False)


def _submit(request: HttpRequest) -> JsonResponse:
    data = request.POST
    key = api_key_for(data.get("api_key", ""))
    if key is None:
        return _error(403, _("A valid api_key is required."))
    if "hotline:submit" not in key.scopes:
        return _error(403, _("This api_key may not submit requests."))
    code = data.get("service_code", "").strip()
    if code not in {c.code for c in _leaves()}:
        return _error(404, _("Unknown service_code."))
    if not (data.get("lat") and data.get("long")) and not data.get("address_string", "").strip():
        return _error(400, _("A location is required: lat and long, or address_string."))
    name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p).strip()
    token = secrets.token_urlsafe(16)
    intake = services.Intake(
        channel=TicketChannel.OPEN311,
        kind=TicketKind.HELP,
        category_code=code,
        description=data.get("description", ""),
        address=data.get("address_string", ""),
        latitude=data.get("lat", ""),
        longitude=data.get("long", ""),
        caller_name=name,
        caller_phone=data.get("phone", ""),
        anonymous=not data.get("phone", "").strip(),
        wants_reply=bool(data.get("phone", "").strip()),
    )
    try:
        ticket, _created = services.ticket_create_keyed(actor=None, intake=intake, api_key=key, open311_token=token)
    except ValidationFailed as failed:
        errors = (failed.details or {}).get("errors", [])
        return JsonResponse(
            [{"code": 400, "description": f"{e['field']}: {e['message']}"} for e in errors], status=400, safe=False
        )
    except DomainError as failed:
        return _error(400, str(failed.message))
    return JsonResponse(
        [{"service_request_id": ticket.number, "token": token, "service_notice": "", "account_id": None}],
        status=201,
        safe=False,
    )


@require_GET
def request_detail(request: HttpRequest, number: str) -> JsonResponse:
    ticket = _tickets().filter(number=number).first()
    if ticket is None:
        return _error(404, _("No request has this id."))
    return JsonResponse([_request(ticket)], safe=False)


@require_GET
def token_detail(request: HttpRequest, token: str) -> JsonResponse:
    ticket = Ticket.objects.filter(open311_token=token).values_list("number", flat=True).first()
    if ticket is None:
        return _error(404, _("No request has this token."))
    return JsonResponse([{"service_request_id": ticket, "token": token}], safe=False)
