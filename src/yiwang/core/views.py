"""Health probes and the platform's error pages."""

from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yiwang.core import signals
from yiwang.core.elder import elder_mode_set
from yiwang.core.errors import error_body, status_error
from yiwang.core.health import readiness
from yiwang.core.middleware import DATABASE_DOWN, database_unavailable_response, is_api_request

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to serve: the database and the task queue answer. 503 otherwise."""
    results = readiness()
    ready = all(result.ok for result in results)
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {r.name: ("ok" if r.ok else f"error: {r.detail}") for r in results},
    }
    return JsonResponse(body, status=200 if ready else 503)


@require_POST
def elder_mode(request: HttpRequest) -> HttpResponse:
    """长辈模式 on or off for this browser (core.elder), back to the page where the button was pressed."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    return elder_mode_set(HttpResponseRedirect(back), request.POST.get("on") == "1")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says."""
    return HttpResponsePermanentRedirect(static("yiwang/favicon.svg"))


def _error(request: HttpRequest, status: int, template: str, message: str = "") -> HttpResponse:
    if is_api_request(request):
        code, default = status_error(status)
        return JsonResponse(error_body(code, message or default), status=status)
    return render(request, template, {"status": status, "message": message}, status=status)


def error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A refusal of the request itself (400, 413) with our message, as a page or the API's error body."""
    return _error(request, status, "core/400.html", message)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from yiwang.core.errors import DomainError

    message = str(exception.message) if isinstance(exception, DomainError) else ""
    return _error(request, 400, "core/400.html", message)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    signals.permission_denied.send(sender=None, request=request, reason=str(exception or ""))
    return _error(request, 403, "core/403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from yiwang.core.errors import DomainError

    # Only our own messages are shown: Django's Http404 text may name internals.
    message = str(exception.message) if isinstance(exception, DomainError) else ""
    return _error(request, 404, "core/404.html", message)


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN):
        return database_unavailable_response(request)
    if is_api_request(request):
        code, message = status_error(500)
        return JsonResponse(error_body(code, message), status=500)
    # Rendered without the request context: the failure may lie in what context processors touch.
    from django.template.loader import render_to_string

    return HttpResponse(render_to_string("core/500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if is_api_request(request):
        return JsonResponse(error_body("csrf_failed", status_error(403)[1], {"reason": "csrf"}), status=403)
    return render(request, "core/403_csrf.html", status=403)
