"""Errors that carry a machine-readable code and a message for people.

Services raise these; the API turns them into the one error body
``{"code": ..., "message": ..., "details": {...}}`` and pages show the message.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain was not met. Never a bug: the user can act on the message."""

    code = "invalid"
    status = 400
    default_message: str | Promise = _("The request could not be processed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.details = details or {}
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = "validation_error"
    status = 422
    default_message = _("Some of the data is not valid.")


def raise_problems(problems: list[tuple[str, str]]) -> None:
    """Raises ValidationFailed naming every (field, message) problem, if there is any."""
    if problems:
        raise ValidationFailed(
            problems[0][1], details={"errors": [{"field": field, "message": message} for field, message in problems]}
        )


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("The requested resource does not exist.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    default_message = _("Please log in first.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("The request conflicts with the current state of the record.")


# Messages for HTTP statuses that reach the API without a DomainError (routing, methods, limits).
STATUS_ERRORS: dict[int, tuple[str, str | Promise]] = {
    400: ("bad_request", _("The request is malformed.")),
    401: ("not_authenticated", _("Please log in first.")),
    403: ("permission_denied", _("You do not have permission to do this.")),
    404: ("not_found", _("The requested resource does not exist.")),
    405: ("method_not_allowed", _("This method is not allowed on this address.")),
    413: ("payload_too_large", _("The request body is too large.")),
    415: ("unsupported_media_type", _("The request body must be JSON.")),
    422: ("validation_error", _("Some of the data is not valid.")),
    429: ("too_many_requests", _("Too many requests; please try again later.")),
    500: ("server_error", _("An internal error occurred; it has been recorded.")),
    503: ("service_unavailable", _("The service is temporarily unavailable; please try again later.")),
}


def status_error(status: int) -> tuple[str, str]:
    code, message = STATUS_ERRORS.get(status, ("error", _("The request could not be processed.")))
    return code, str(message)


def error_body(code: str, message: str | Promise, details: dict[str, Any] | None = None) -> dict[str, Any]:
    from yiwang.core.request_context import current_request_id

    return {
        "code": code,
        "message": str(message),
        "details": details or {},
        "request_id": current_request_id(),
    }
