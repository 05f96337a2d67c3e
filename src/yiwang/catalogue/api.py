"""API: the published catalogue — the same data as the portal guide ("数据同源")."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, quote_etag
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from yiwang.catalogue.models import (
    CaseKind,
    FieldType,
    ImplementationVersion,
    Level,
    Necessity,
)
from yiwang.catalogue.selectors import published, published_list
from yiwang.core.api_support import ErrorOut, Pagination
from yiwang.core.errors import NotFound

router = Router(tags=["catalogue"])
CACHE_SECONDS = 300


class ImplementationSummary(Schema):
    code: str
    name: str = Field(..., alias="current.name")
    department: str = Field(..., alias="department.name")
    level: Level
    case_kind: CaseKind = Field(..., alias="current.case_kind")
    statutory_limit: int | None = Field(..., alias="current.statutory_limit")
    promised_limit: int | None = Field(..., alias="current.promised_limit")
    visits: int | None = Field(..., alias="current.visits")
    online_depth: list[int] = Field(..., alias="current.online_depth")


class CatalogueFilter(Schema):
    q: str = Field("", max_length=50, description="words of the name, an alias or a keyword")
    department: int | None = Field(None, ge=1, le=2**62)
    theme: str = Field("", max_length=50)
    level: Level | None = None


class StepOut(Schema):
    order: int
    name: str
    performer: str
    working_days: int
    description: str


class MaterialOut(Schema):
    order: int
    name: str
    copy_type: str
    form: str
    necessity: Necessity
    source: str
    copies: int
    specification: str
    acceptance_standard: str
    basis: str
    notes: str
    exempt: bool = Field(description="免提交: a licence or shared data supplies it")
    replaced_by: str | None = Field(None, alias="replaced_by.code", description="the licence type that replaces it")


class FormFieldOut(Schema):
    key: str
    label: str
    field_type: FieldType
    required: bool
    max_length: int | None
    choices: list[str]
    help_text: str


class GuideOut(Schema):
    code: str
    version: int
    published_at: datetime | None
    name: str
    department: str
    level: Level
    aliases: list[str]
    conditions: str
    legal_basis: str
    service_objects: list[str]
    statutory_limit: int | None
    statutory_limit_unit: str
    promised_limit: int | None
    limit_note: str
    case_kind: CaseKind
    channels: list[str]
    online_depth: list[int]
    visits: int | None
    fees: list[dict[str, str]]
    result_type: str
    result_name: str
    handling_place: str
    office_hours: str
    consult_phone: str
    steps: list[StepOut]
    materials: list[MaterialOut]
    form_fields: list[FormFieldOut]


GUIDE_FIELDS = (
    "name",
    "aliases",
    "conditions",
    "legal_basis",
    "service_objects",
    "statutory_limit",
    "statutory_limit_unit",
    "promised_limit",
    "limit_note",
    "case_kind",
    "channels",
    "visits",
    "fees",
    "result_type",
    "result_name",
    "handling_place",
    "office_hours",
    "consult_phone",
)


@router.get("/implementations", response=list[ImplementationSummary], auth=None, summary="Published implementations")
@paginate(Pagination)
def implementation_list(request: HttpRequest, filters: Query[CatalogueFilter]) -> object:
    return published_list(q=filters.q, department=filters.department, theme=filters.theme, level=filters.level)


@router.get(
    "/implementations/{code}",
    response={200: GuideOut, 304: None, 404: ErrorOut},
    auth=None,
    summary="The full guide of a published implementation",
)
def implementation_detail(request: HttpRequest, code: str, response: HttpResponse) -> object:
    implementation = published().filter(code=code[:40]).first()
    if implementation is None or implementation.current is None:
        raise NotFound()
    version: ImplementationVersion = implementation.current
    # A published version never changes, so its id is a strong validator.
    etag = quote_etag(f"v{version.pk}")
    if etag in request.headers.get("If-None-Match", ""):
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        return not_modified
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    if version.published_at:
        response["Last-Modified"] = http_date(version.published_at.timestamp())
    return {
        "code": implementation.code,
        "version": version.number,
        "published_at": version.published_at,
        "department": implementation.department.name,
        "level": implementation.level,
        **{name: getattr(version, name) for name in GUIDE_FIELDS},
        "online_depth": [int(d) for d in version.online_depth],
        "steps": list(version.steps.all()),
        "materials": list(version.materials.select_related("replaced_by")),
        "form_fields": list(version.form_fields.all()),
    }
