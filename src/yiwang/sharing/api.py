"""Data sharing API: the public catalogue, and queries by other systems (X-API-Key with the
resource's scope) or by staff (session or bearer token) — purpose and case always stated."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from yiwang.accounts.api_auth import api_auth
from yiwang.accounts.api_keys import ScopedApiKey
from yiwang.core.api_support import ErrorOut
from yiwang.sharing.selectors import resources_catalogue
from yiwang.sharing.services import data_query

router = Router(tags=["sharing"])


class ResourceOut(Schema):
    code: str
    name: str
    provider: str = Field(..., alias="provider.name")
    description: str
    fields: list[dict[str, str]]
    subject_kind: str
    personal: bool
    conditions: str
    legal_basis: str
    replaces: str = Field(..., description="the proof it makes unnecessary (免证明)")
    scope: str = Field(..., description="the API key scope a system needs to query it")


class QueryIn(Schema):
    subject_code: str = Field(..., max_length=30, description="resident ID number or unified social credit code")
    purpose: str = Field("", max_length=300, description="用数事由: why the data is needed")
    case_number: str = Field("", max_length=60, description="the case it serves")


class QueryOut(Schema):
    query_id: int
    resource: str
    found: bool
    data: dict[str, Any]


@router.get("/resources", response=list[ResourceOut], auth=None, summary="The sharing catalogue (public)")
def resources(request: HttpRequest) -> Any:
    return list(resources_catalogue())


@router.post(
    "/resources/{code}/query",
    response={200: QueryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=[ScopedApiKey(), *api_auth],
    summary="Query a resource about one person or company",
)
def query(request: HttpRequest, code: str, payload: QueryIn) -> QueryOut:
    """Refused (and logged) without the resource's scope, a purpose or a case number."""
    api_key = getattr(request, "api_key", None)
    answer = data_query(
        resource_code=code,
        subject_code=payload.subject_code,
        purpose=payload.purpose,
        case_number=payload.case_number,
        user=None if api_key is not None else request.user,  # type: ignore[arg-type]
        api_key=api_key,
    )
    return QueryOut(query_id=answer.query.pk, resource=answer.resource.code, found=answer.found, data=answer.data)
