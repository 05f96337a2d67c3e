"""Request-wide concerns: request ids, language, query counts, API error bodies, outages."""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from yiwang.core.errors import error_body, status_error
from yiwang.core.request_context import (
    accept_request_id,
    reset_client_ip,
    reset_request_id,
    set_client_ip,
    set_request_id,
)

logger = logging.getLogger(__name__)

GetResponse = Callable[[HttpRequest], HttpResponse]
API_PREFIX = "/api/"


OPEN311_PREFIX = "/open311/"


def open311_error(path: str, status: int, description: str) -> HttpResponse:
    """An error in Open311 GeoReport v2's own shape (a list of code and description), JSON when the path
    asks for .json, else XML — the specification's default — for clients that parse nothing else."""
    if path.endswith(".json"):
        return JsonResponse([{"code": status, "description": description}], status=status, safe=False)
    from xml.etree import ElementTree

    errors = ElementTree.Element("errors")
    error = ElementTree.SubElement(errors, "error")
    ElementTree.SubElement(error, "code").text = str(status)
    ElementTree.SubElement(error, "description").text = description
    body = ElementTree.tostring(errors, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or the header our own reverse proxy sets (YIWANG_PROXY_IP_HEADER)."""
    header = getattr(settings, "YIWANG_PROXY_IP_HEADER", "")
    candidate = request.headers.get(header, "") if header else ""
    candidate = candidate.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")
    try:
        return ipaddress.ip_address(candidate).compressed
    except ValueError:
        return None


class RequestIdMiddleware:
    """Accepts ``X-Request-ID`` (or makes one), exposes it to logs and echoes it back."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accept_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        ip_token = set_client_ip(client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            reset_client_ip(ip_token)
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class LanguageMiddleware:
    """Simplified Chinese unless the user chose another language (cookie set by set_language).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: a government
    portal speaks Chinese by default, whatever the visitor's browser was installed with.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        vary = response.headers.get("Vary")
        response.headers["Vary"] = f"{vary}, Cookie" if vary else "Cookie"
        translation.deactivate()
        return response


class QueryCountHeaderMiddleware:
    """With YIWANG_QUERY_COUNT_HEADER on, reports the SQL queries of each request (for bench/)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.enabled = bool(getattr(settings, "YIWANG_QUERY_COUNT_HEADER", False))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        count = 0

        def counter(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


class ApiErrorBodyMiddleware:
    """Every error under /api/ carries the one JSON error body, whoever produced it.

    django-ninja answers unknown methods, and Django answers unknown routes, with HTML or
    plain text; clients must get ``{"code", "message", "details"}`` everywhere.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_request(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json") and _has_error_body(response):
            return response
        code, message = status_error(response.status_code)
        details: dict[str, Any] = {}
        if response.status_code == 405 and response.has_header("Allow"):
            details["allowed_methods"] = [m.strip() for m in response["Allow"].split(",")]
        replacement = JsonResponse(error_body(code, message, details), status=response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if response.has_header(header):
                replacement[header] = response[header]
        return replacement


def _has_error_body(response: HttpResponse) -> bool:
    try:
        body = json.loads(response.content)
    except (ValueError, AttributeError):
        return False
    return isinstance(body, dict) and "code" in body and "message" in body


# What drivers raise for a refused or lost connection (and SQLite for a locked file): an outage
# to report as 503, unlike IntegrityError and other DatabaseErrors, which are bugs. The shared cache
# (Redis, in production) lost is an outage too: a page that reads it answers 503, not 500.
DATABASE_DOWN: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with a Chinese notice (or the API error body); rendered without touching the database."""
    if is_api_request(request):
        code, message = status_error(503)
        response: HttpResponse = JsonResponse(error_body(code, message), status=503)
    else:
        response = HttpResponse(render_to_string("core/maintenance.html"), status=503)
    response["Retry-After"] = "30"
    return response


class DomainErrorMiddleware:
    """A rule a page request broke is the user's mistake, never a 500: the 403 or 404 page, or the
    message on a 400 page. (The API has its own handlers with the JSON error body.)"""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from yiwang.core import views
        from yiwang.core.errors import DomainError, NotFound, PermissionDenied

        if not isinstance(exception, DomainError) or is_api_request(request):
            return None
        if isinstance(exception, PermissionDenied):
            return views.permission_denied(request, exception)
        if isinstance(exception, NotFound):
            return views.page_not_found(request, exception)
        return views.bad_request(request, exception)


class DatabaseUnavailableMiddleware:
    """A lost database is an outage, not a bug: answer 503 with a maintenance notice."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            logger.error("database or cache unavailable: %s", type(exception).__name__)
            return database_unavailable_response(request)
        return None


class RequestShapeMiddleware:
    """Input no field of ours can hold is refused at the door, in Chinese, with a code — never a 500.

    PostgreSQL refuses a NUL character in any text (SQLite would store it), so a NUL in the path, the
    query string, a form field or a JSON body is answered 400 ``invalid_characters`` before a view or a
    service sees it. A body over Django's limit is 413 ``payload_too_large``; too many form fields or
    files is 400 ``too_many_fields``. Services still check every field's length and characters
    (core.fields); this only keeps what no check could survive from reaching the database driver.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
        from django.utils.translation import gettext as _

        try:
            bad = self._has_nul(request)
        except RequestDataTooBig:
            return self._refuse(request, 413, "payload_too_large", _("The request is too large."))
        except (TooManyFieldsSent, TooManyFilesSent):
            return self._refuse(request, 400, "too_many_fields", _("The request has too many fields or files."))
        if bad:
            return self._refuse(
                request, 400, "invalid_characters", _("The request contains characters that are not allowed.")
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            fields = request.POST.lists()
            names = (upload.name or "" for _field, uploads in request.FILES.lists() for upload in uploads)
            return any("\x00" in key or any("\x00" in v for v in values) for key, values in fields) or any(
                "\x00" in name for name in names
            )
        if content_type == "application/json" or is_api_request(request):
            # The API parses a body as JSON whatever its declared type.
            return b"\x00" in request.body or b"\\u0000" in request.body
        return False

    @staticmethod
    def _refuse(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
        if is_api_request(request):
            return JsonResponse(error_body(code, message), status=status)
        if request.path.startswith(OPEN311_PREFIX):
            return open311_error(request.path, status, str(message))
        from yiwang.core import views

        return views.error_page(request, status, message)
