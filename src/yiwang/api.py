"""The typed JSON API under /api/v1/: every context's router, one error body everywhere."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from yiwang.core import signals
from yiwang.core.api_support import publish_refusals_at_the_door
from yiwang.core.errors import DomainError, PermissionDenied, error_body, status_error
from yiwang.core.middleware import DATABASE_DOWN, database_unavailable_response
from yiwang.core.validation_messages import describe_validation_errors

logger = logging.getLogger(__name__)


class YiwangAPI(NinjaAPI):
    """The API whose OpenAPI document also publishes what is refused at the door, for every operation."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        publish_refusals_at_the_door(document)
        return document


api = YiwangAPI(
    title="Yiwang 一网 API",
    version="1.0.0",
    description=(
        "一体化政务服务平台 / Integrated government service platform. Every error has the body "
        '`{"code", "message", "details"}`; list endpoints paginate with `page` and `page_size`. '
        "The 12345 hotline also speaks Open311 GeoReport v2 (XML and JSON, its own error format) under "
        "[/open311/v2/](/open311/v2/discovery.json): discovery at `/open311/v2/discovery.xml`, described in "
        "docs/hotline.md."
    ),
    urls_namespace="api-v1",
)


def _respond(
    request: HttpRequest, status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, details), status=status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = describe_validation_errors(exc.errors)
    message = errors[0]["message"] if len(errors) == 1 else status_error(422)[1]
    return _respond(request, 422, "validation_error", message, {"errors": errors})


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, PermissionDenied):
        signals.permission_denied.send(sender=None, request=request, reason=exc.code)
    return _respond(request, exc.status, exc.code, str(exc.message), exc.details)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _respond(request, 401, "not_authenticated", status_error(401)[1])
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = status_error(exc.status_code)
    return _respond(request, exc.status_code, code, message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    code, message = status_error(404)
    return _respond(request, 404, code, message)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if isinstance(exc, DATABASE_DOWN):
        return database_unavailable_response(request)
    logger.exception("unhandled error in %s %s", request.method, request.path)
    code, message = status_error(500)
    return _respond(request, 500, code, message)


def _mount_routers() -> None:
    from yiwang.accounts.api import router as accounts_router
    from yiwang.accounts.roles_api import router as roles_router
    from yiwang.calendar.api import router as calendar_router
    from yiwang.cases.api import router as cases_router
    from yiwang.catalogue.api import router as catalogue_router
    from yiwang.catalogue.staff_api import router as catalogue_staff_router
    from yiwang.disclosure.api import router as disclosure_router
    from yiwang.evaluation.api import router as ratings_router
    from yiwang.hall.api import router as hall_router
    from yiwang.hotline.api import router as hotline_router
    from yiwang.licences.api import router as licences_router
    from yiwang.organisation.api import router as organisation_router
    from yiwang.oversight.api import router as oversight_router
    from yiwang.sharing.api import router as sharing_router
    from yiwang.trading.api import router as trading_router
    from yiwang.trading.api_negotiation import router as trading_negotiation_router
    from yiwang.trading.api_supervision import router as trading_supervision_router

    api.add_router("/auth", accounts_router)
    api.add_router("/roles", roles_router)
    api.add_router("/calendar", calendar_router)
    api.add_router("/cases", cases_router)
    api.add_router("/catalogue", catalogue_router)
    api.add_router("/catalogue", catalogue_staff_router)
    api.add_router("/hall", hall_router)
    api.add_router("/ratings", ratings_router)
    api.add_router("/oversight", oversight_router)
    api.add_router("/hotline", hotline_router)
    api.add_router("/licences", licences_router)
    api.add_router("/sharing", sharing_router)
    api.add_router("/trading", trading_router)
    api.add_router("/trading", trading_supervision_router)
    api.add_router("/trading", trading_negotiation_router)
    api.add_router("/disclosure", disclosure_router)
    api.add_router("/", organisation_router)


_mount_routers()
