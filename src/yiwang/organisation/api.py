"""API: regions and departments are public reference data; every list is paginated."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from yiwang.core.api_support import ErrorOut, Pagination
from yiwang.core.errors import NotFound
from yiwang.organisation import selectors
from yiwang.organisation.models import Department, Region, RegionLevel

router = Router(tags=["organisation"])


class RegionOut(Schema):
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[union-attr]


class RegionFilter(Schema):
    level: RegionLevel | None = None
    parent: str | None = Field(None, max_length=12, pattern=r"^\d+$")
    q: str = Field("", max_length=50)


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    credit_code: str
    region_code: str
    region_name: str
    parent_id: int | None

    @staticmethod
    def resolve_region_code(obj: Department) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Department) -> str:
        return obj.region.name


class DepartmentFilter(Schema):
    region: str | None = Field(None, max_length=12, pattern=r"^\d+$", description="exactly this region")
    within: str | None = Field(None, max_length=12, pattern=r"^\d+$", description="this region and below")
    q: str = Field("", max_length=50)


@router.get("/regions", response={200: list[RegionOut], 422: ErrorOut}, auth=None, summary="List regions")
@paginate(Pagination)
def region_list(request: HttpRequest, filters: Query[RegionFilter]) -> object:
    return selectors.region_list(level=filters.level, parent_code=filters.parent, search=filters.q)


@router.get("/regions/{code}", response={200: RegionOut, 404: ErrorOut}, auth=None, summary="One region")
def region_detail(request: HttpRequest, code: str) -> Region:
    region = selectors.region_get(code=code[:12])
    if region is None:
        raise NotFound()
    return region


@router.get("/departments", response={200: list[DepartmentOut], 422: ErrorOut}, auth=None, summary="List departments")
@paginate(Pagination)
def department_list(request: HttpRequest, filters: Query[DepartmentFilter]) -> object:
    return selectors.department_list(region_code=filters.region, within_code=filters.within, search=filters.q)


@router.get(
    "/departments/{department_id}",
    response={200: DepartmentOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="One department",
)
def department_detail(request: HttpRequest, department_id: int) -> Department:
    department = selectors.department_get(pk=department_id)
    if department is None:
        raise NotFound()
    return department
