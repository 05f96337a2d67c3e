"""API: the published catalogue — the same data as the portal guide ("数据同源")."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date, quote_etag
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from yiwang.catalogue.kpis import KPIS, catalogue_kpis
from yiwang.catalogue.models import (
    CaseKind,
    FieldType,
    ImplementationVersion,
    ImplementerNature,
    ItemType,
    Level,
    MaterialRequirement,
    Necessity,
    PowerSource,
    SpecialProcedure,
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


class CatalogueMaterialOut(Schema):
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
    replaced_by: str | None = Field(None, description="code of the licence type that replaces it")
    shared_data: str = Field(description="the shared data that replaces it")
    blank_form_url: str | None = None
    sample_url: str | None = None


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
    item_type: ItemType
    aliases: list[str]
    keywords: list[str]
    themes: list[str]
    power_source: PowerSource
    entrusting_department: str | None
    implementer_nature: ImplementerNature
    conditions: str
    quantity_limit: str
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
    onsite_reason: str
    in_hall: bool
    delivery: bool
    online_payment: bool
    appointment: bool
    self_service: bool
    cross_region: str
    special_procedures: list[SpecialProcedure]
    fees: list[dict[str, str]]
    result_type: str
    result_name: str
    result_licence_type: str | None = Field(description="code of the licence type the result is")
    intermediary_services: str
    joint_departments: list[str]
    handling_place: str
    office_hours: str
    consult_phone: str
    steps: list[StepOut]
    materials: list[CatalogueMaterialOut]
    form_fields: list[FormFieldOut]


GUIDE_FIELDS = (
    "name",
    "aliases",
    "keywords",
    "themes",
    "power_source",
    "implementer_nature",
    "quantity_limit",
    "onsite_reason",
    "in_hall",
    "delivery",
    "online_payment",
    "appointment",
    "self_service",
    "cross_region",
    "special_procedures",
    "intermediary_services",
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


@router.get(
    "/implementations",
    response={200: list[ImplementationSummary], 422: ErrorOut},
    auth=None,
    summary="Published implementations",
)
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
    implementation = (
        published()
        .select_related("base_item", "current__entrusting_department", "current__result_licence_type")
        .filter(code=code[:40])
        .first()
    )
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
        "item_type": implementation.base_item.item_type,
        "entrusting_department": version.entrusting_department.name if version.entrusting_department else None,
        "result_licence_type": version.result_licence_type.code if version.result_licence_type else None,
        "joint_departments": [d.name for d in version.joint_departments.all()],
        "online_depth": [int(d) for d in version.online_depth],
        "steps": list(version.steps.all()),
        "materials": [
            _material(request, implementation.code, m) for m in version.materials.select_related("replaced_by")
        ],
        "form_fields": list(version.form_fields.all()),
    }


def _material(request: HttpRequest, code: str, material: MaterialRequirement) -> dict[str, object]:
    def url(name: str, present: bool) -> str | None:
        return request.build_absolute_uri(reverse(name, args=[code, material.order])) if present else None

    return {
        **{f: getattr(material, f) for f in CatalogueMaterialOut.model_fields if hasattr(material, f)},
        "replaced_by": material.replaced_by.code if material.replaced_by else None,
        "blank_form_url": url("portal:blank_form", bool(material.blank_form)),
        "sample_url": url("portal:sample", bool(material.sample)),
    }


class CatalogueKpiOut(Schema):
    name: str
    total: int
    rates: dict[str, float | None]


class StatisticsOut(Schema):
    formulas: dict[str, str]
    overall: CatalogueKpiOut
    groups: list[CatalogueKpiOut]


@router.get(
    "/statistics",
    response={200: StatisticsOut, 422: ErrorOut},
    auth=None,
    summary="Catalogue KPIs by department or region",
)
def statistics(request: HttpRequest, by: Literal["department", "region"] = "department") -> dict[str, object]:
    overall, groups = catalogue_kpis(by=by)
    return {"formulas": {k.key: str(k.formula) for k in KPIS}, "overall": overall, "groups": groups}
