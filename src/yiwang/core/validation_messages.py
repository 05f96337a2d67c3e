"""Validation errors from pydantic, restated for people: which field, and what is wrong, in Chinese."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}

_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda ctx: _("This field is required."),
    "string_too_long": lambda ctx: _("At most %(n)s characters.") % {"n": ctx.get("max_length")},
    "string_too_short": lambda ctx: _("At least %(n)s characters.") % {"n": ctx.get("min_length")},
    "string_type": lambda ctx: _("Must be text."),
    "int_type": lambda ctx: _("Must be a whole number."),
    "int_parsing": lambda ctx: _("Must be a whole number."),
    "float_type": lambda ctx: _("Must be a number."),
    "float_parsing": lambda ctx: _("Must be a number."),
    "bool_type": lambda ctx: _("Must be true or false."),
    "bool_parsing": lambda ctx: _("Must be true or false."),
    "greater_than_equal": lambda ctx: _("Must be at least %(n)s.") % {"n": ctx.get("ge")},
    "less_than_equal": lambda ctx: _("Must be at most %(n)s.") % {"n": ctx.get("le")},
    "greater_than": lambda ctx: _("Must be greater than %(n)s.") % {"n": ctx.get("gt")},
    "less_than": lambda ctx: _("Must be less than %(n)s.") % {"n": ctx.get("lt")},
    "string_pattern_mismatch": lambda ctx: _("The format is not valid."),
    "enum": lambda ctx: _("Must be one of: %(values)s.") % {"values": ctx.get("expected", "")},
    "literal_error": lambda ctx: _("Must be one of: %(values)s.") % {"values": ctx.get("expected", "")},
    "date_parsing": lambda ctx: _("Must be a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": lambda ctx: _("Must be a date (YYYY-MM-DD)."),
    "datetime_parsing": lambda ctx: _("Must be a date and time (ISO 8601)."),
    "datetime_from_date_parsing": lambda ctx: _("Must be a date and time (ISO 8601)."),
    "list_type": lambda ctx: _("Must be a list."),
    "dict_type": lambda ctx: _("Must be an object."),
    "model_attributes_type": lambda ctx: _("Must be an object."),
    "json_invalid": lambda ctx: _("The request body is not valid JSON."),
    "extra_forbidden": lambda ctx: _("This field is not allowed."),
    "value_error": lambda ctx: _("The value is not valid."),
}


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    # django-ninja puts the handler's parameter name first for body schemas ("payload").
    if len(parts) > 1 and parts[0] in {"payload", "data", "body", "filters", "pagination"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def describe_validation_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    described = []
    for error in errors:
        kind = str(error.get("type", ""))
        ctx = error.get("ctx") or {}
        maker = _MESSAGES.get(kind)
        field = _field_name(error.get("loc", ()))
        message = maker(ctx) if maker else _("The value is not valid.")
        described.append({"field": field, "type": kind, "message": f"{field}: {message}"})
    return described
