"""The endpoints under /open311/v2/. Each answers in the format its extension asks for; an unknown
format, an unknown path, a method the resource does not take and a lost database all answer in
Open311's error format too (XML when the format is unknown), never with an HTML page.

Submitting goes through the hotline's own intake (``services.ticket_create_keyed``), which checks
every field; this module only checks the api_key and translates the service's problems into
Open311's parameter names and statuses: 403 for a missing or wrong api_key, 404 for an unknown
service_code, 400 for anything else."""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from yiwang.accounts.api_keys import api_key_for
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.middleware import DATABASE_DOWN
from yiwang.hotline import services
from yiwang.hotline.models import Category, Ticket, TicketChannel, TicketKind
from yiwang.hotline.open311 import documents, query
from yiwang.hotline.open311.formats import error_response, format_of, respond
from yiwang.hotline.open311.query import Refused
from yiwang.hotline.selectors import category_leaves

logger = logging.getLogger(__name__)

SUBMIT_SCOPE = "hotline:submit"
# The intake's field names as Open311 calls them, for the errors a client reads.
PARAMETERS = {
    "category": "service_code",
    "address": "address_string",
    "region": "address_id",
    "latitude": "lat",
    "longitude": "long",
    "caller_phone": "phone",
    "caller_name": "last_name",
}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """An Open311 resource: its format checked, the methods it takes, refusals in Open311's format."""
    allowed = sorted(set(methods) | ({"HEAD"} if "GET" in methods else set()))

    def wrap(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def run(request: HttpRequest, fmt: str = "xml", **kwargs: Any) -> HttpResponse:
            asked = format_of(fmt)
            if asked is None:
                return error_response(None, 404, [_("Unknown format .%(ext)s: ask for .xml or .json.") % {"ext": fmt}])
            if request.method not in allowed:
                response = error_response(asked, 405, [_("This resource does not take %(method)s.") % {
                    "method": request.method}])  # fmt: skip
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                return view(request, asked, **kwargs)
            except Refused as refused:
                return error_response(asked, refused.status, refused.descriptions)
            except DATABASE_DOWN as exc:
                logger.error("database unavailable: %s", type(exc).__name__)
                response = error_response(asked, 503, [_("The service is unavailable for a moment; try again soon.")])
                response["Retry-After"] = "30"
                return response

        return run

    return wrap


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Anything under /open311/v2/ that is no resource: 404 in the format its extension names."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    extension = last.rsplit(".", 1)[1] if "." in last else ""
    return error_response(format_of(extension), 404, [_("There is no such Open311 resource.")])


def _discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changed = Category.objects.aggregate(at=Max("updated_at"))["at"]
    url = request.build_absolute_uri(reverse("open311:root")).rstrip("/")
    document = documents.discovery(url=url, changed=changed, production=settings.PRODUCTION)
    return respond(fmt, "discovery", document)


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    return _discovery(request, fmt)


@endpoint("GET")
def root(request: HttpRequest, fmt: str) -> HttpResponse:
    """The endpoint's own address shows the discovery document (as Service Discovery suggests), in XML."""
    return _discovery(request, fmt)


@endpoint("GET")
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", [documents.service(c) for c in category_leaves()])


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = next((c for c in category_leaves() if c.code == code), None)
    if category is None:
        raise Refused(404, [_("Unknown service_code.")])
    return respond(fmt, "service_definition", documents.service_definition(category))


@endpoint("GET", "POST")
def requests_endpoint(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, fmt)
    found, more = query.tickets(query.parse(request.GET, timezone.now()))
    response = respond(fmt, "service_requests", [documents.service_request(t) for t in found])
    if more:
        response["X-Open311-More"] = "true"
    return response


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, number: str) -> HttpResponse:
    found, _more = query.tickets(query.RequestQuery(ids=[number], codes=[], statuses=frozenset()))
    if not found:
        raise Refused(404, [_("No request has this id.")])
    return respond(fmt, "service_requests", [documents.service_request(found[0])])


@endpoint("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    number = Ticket.objects.filter(open311_token=token).values_list("number", flat=True).first()
    if number is None:
        raise Refused(404, [_("No request has this token.")])
    return respond(fmt, "service_requests", [{"service_request_id": number, "token": token}])


def _key(data: Any) -> Any:
    raw = data.get("api_key", "").strip()
    if not raw:
        raise Refused(403, [_("An api_key is required to submit a request.")])
    key = api_key_for(raw)
    if key is None:
        raise Refused(403, [_("This api_key is not valid (unknown, revoked or expired).")])
    if SUBMIT_SCOPE not in key.scopes:
        raise Refused(403, [_("This api_key may not submit requests.")])
    return key


def _refusal(failed: DomainError, code_given: bool) -> Refused:
    """The intake's refusal in Open311's terms: every problem with its parameter's name; 404 when the
    service_code given is no service, else 400 (403 and 404 of the domain kept)."""
    problems = (failed.details or {}).get("errors", []) if isinstance(failed, ValidationFailed) else []
    if not problems:
        return Refused(failed.status if failed.status in (403, 404) else 400, [str(failed.message)])
    unknown_code = code_given and any(p["field"] == "category" for p in problems)
    return Refused(
        404 if unknown_code else 400,
        [f"{PARAMETERS.get(p['field'], p['field'])}: {p['message']}" for p in problems],
    )


def _submit(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST Service Request: form fields (GeoReport v2), the api_key of a channel's system."""
    if (request.content_type or "") not in FORM_TYPES:
        raise Refused(400, [_("Send the request as application/x-www-form-urlencoded form fields.")])
    data = request.POST
    key = _key(data)
    code = data.get("service_code", "").strip()
    phone = data.get("phone", "").strip()
    name = " ".join(p for p in (data.get("last_name", "").strip(), data.get("first_name", "").strip()) if p)
    token = secrets.token_urlsafe(16)
    intake = services.Intake(
        channel=TicketChannel.OPEN311,
        kind=TicketKind.HELP,
        category_code=code,
        description=data.get("description", ""),
        address=data.get("address_string", ""),
        region_code=data.get("address_id", "").strip(),
        latitude=data.get("lat", ""),
        longitude=data.get("long", ""),
        caller_name=name,
        caller_phone=phone,
        anonymous=not phone,
        wants_reply=bool(phone),
        media_url=data.get("media_url", "").strip(),
    )
    try:
        ticket, _created = services.ticket_create_keyed(actor=None, intake=intake, api_key=key, open311_token=token)
    except DomainError as failed:
        raise _refusal(failed, bool(code)) from failed
    return respond(fmt, "service_requests", [documents.created(ticket, token)], status=201)
