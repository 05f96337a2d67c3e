"""Shared pieces for every context's API router: pagination, authentication, schemas."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import AfterValidator, PlainSerializer, WithJsonSchema


class ErrorOut(Schema):
    code: str = Field(..., examples=["validation_error"])
    message: str = Field(..., examples=["部分数据无效。"])
    details: dict[str, Any] = Field(default_factory=dict)
    request_id: str = ""


# Methods whose body core.middleware.RequestShapeMiddleware reads (and may find over the size limit).
_BODY_METHODS = frozenset({"post", "put", "patch"})


def publish_refusals_at_the_door(document: dict[str, Any]) -> None:
    """Adds to every operation of the OpenAPI ``document`` the answers given before any handler runs, with the
    one error body: 400 for a malformed request (core.middleware.RequestShapeMiddleware: a NUL character in
    the path, query or body, too many form fields; the API's parser: a body that is not the JSON it must be)
    and, for a method with a body, 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE. A router need not repeat
    them; what its handler's inputs and rules answer (401, 403, 404, 409, 422…) each operation lists itself."""
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for methods in document.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            responses.setdefault(400, {"description": "Bad Request", **error})
            if method in _BODY_METHODS:
                responses.setdefault(413, {"description": "Content Too Large", **error})


class Pagination(PaginationBase):
    """Page-number pagination with a hard maximum page size (NINJA_PAGINATION_MAX_PER_PAGE_SIZE).

    Counting stops at ``YIWANG_API_COUNT_LIMIT`` rows (1,000): a region's case history runs to millions,
    and an exact count of it on every page would cost more than the page itself — counting a department's
    inbox of 22,742 open reviews up to 10,000 took 62–75 ms against 4 ms for its page (issue 22). Beyond
    the limit, ``count`` is the limit and ``count_capped`` is true ("1,000 or more").
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_PER_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int
        count_capped: bool = False
        page: int
        page_size: int

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any) -> Any:
        offset = (pagination.page - 1) * pagination.page_size
        limit = settings.YIWANG_API_COUNT_LIMIT
        count = queryset[: limit + 1].count() if isinstance(queryset, QuerySet) else queryset.count()
        return {
            "items": queryset[offset : offset + pagination.page_size],
            "count": min(count, limit),
            "count_capped": count > limit,
            "page": pagination.page,
            "page_size": pagination.page_size,
        }


# A wall-clock time of day in the deployment's zone (a slot's start): OpenAPI's ``format: time`` means an
# RFC 3339 full-time with an offset, which a local opening hour has not; so it is published as HH:MM.
LocalTime = Annotated[
    time,
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "local time of day, HH:MM"}
    ),
]


def _countable_day(value: date) -> date:
    from yiwang.core.fields import date_problems

    if problems := date_problems(value, "date"):  # the services' own rule, so both refuse alike
        raise ValueError(problems[0][1])
    return value


# A calendar day an API caller gives: refused with 422 outside the range the working-day calendar counts
# (the services check it again; this puts the range in the OpenAPI document and the error on the field).
Day = Annotated[
    date,
    AfterValidator(_countable_day),
    WithJsonSchema({"type": "string", "format": "date", "description": "a date from 2000-01-01 to 2100-12-31"}),
]
