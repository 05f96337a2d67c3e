"""API for catalogue staff: drafting (department administrators), review and publication (centre
administrators), changes, delegation and entrustment. Every call goes through catalogue.services,
which check the caller's scope; a version outside it is reported as not found."""

from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.accounts.selectors import user_has_role
from yiwang.catalogue import selectors, services
from yiwang.catalogue.models import (
    BaseItem,
    ImplementationVersion,
    Level,
    LicenceType,
    VersionStatus,
)
from yiwang.core.api_support import ErrorOut, Pagination
from yiwang.core.errors import NotFound, PermissionDenied, raise_problems
from yiwang.core.shell import acting_user
from yiwang.organisation.selectors import department_get

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

router = Router(tags=["catalogue (staff)"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class ManagedOut(Schema):
    code: str
    department: str = Field(..., alias="department.name")
    level: Level
    latest_number: int
    latest_name: str
    latest_status: VersionStatus
    current_number: int | None = Field(None, alias="current.number")


class VersionOut(Schema):
    id: int
    code: str = Field(..., alias="implementation.code")
    number: int
    status: VersionStatus
    name: str
    review_note: str


class DraftIn(Schema):
    base_code: str = Field(..., min_length=12, max_length=12)
    department_id: int = Field(..., ge=1, le=2**62)
    level: Level
    name: str = Field(..., min_length=1, max_length=200)
    content: dict[str, Any] = Field(default_factory=dict, description="guide elements, as in PATCH /versions/{id}")


class ContentsIn(Schema):
    steps: list[dict[str, Any]] | None = None
    materials: list[dict[str, Any]] | None = Field(None, description="replaced_by: a licence type code")
    form_fields: list[dict[str, Any]] | None = None
    joint_departments: list[int] | None = Field(None, description="department ids")


class CatalogueActionIn(Schema):
    reason: str = Field("", max_length=500)


class TargetIn(Schema):
    department_id: int = Field(..., ge=1, le=2**62)


class StaffFilter(Schema):
    q: str = Field("", max_length=50)
    status: VersionStatus | None = None


class DiffOut(Schema):
    fields: dict[str, list[Any]]
    added: dict[str, list[str]]
    removed: dict[str, list[str]]
    changed: dict[str, dict[str, dict[str, list[Any]]]]


def _staff(request: HttpRequest) -> "User":
    user = acting_user(request)
    if not user_has_role(user=user, roles=selectors.CATALOGUE_STAFF_ROLES):
        raise PermissionDenied(code="permission_denied")
    return user


def _version(user: "User", version_id: int) -> ImplementationVersion:
    version = (
        ImplementationVersion.objects.filter(
            pk=version_id, implementation__in=selectors.implementations_in_scope(user).values("pk")
        )
        .select_related("implementation")
        .first()
    )
    if version is None:
        raise NotFound(code="not_found")
    return version


def _department(department_id: int, field: str) -> "Department":
    department = department_get(pk=department_id)
    if department is None:
        raise_problems([(field, _("No such department."))])
    assert department is not None
    return department


def _content(content: dict[str, Any]) -> dict[str, Any]:
    """Foreign keys by their public identifiers: a department id, a licence type code."""
    content = dict(content)
    if content.get("entrusting_department") is not None:
        content["entrusting_department"] = _department(int(content["entrusting_department"]), "entrusting_department")
    if content.get("result_licence_type"):
        licence = LicenceType.objects.filter(code=str(content["result_licence_type"])).first()
        if licence is None:
            raise_problems([("result_licence_type", _("No licence type has this code."))])
        content["result_licence_type"] = licence
    return content


@router.get("/manage/implementations", response={200: list[ManagedOut], **ERRORS}, summary="Implementations I manage")
@paginate(Pagination)
def managed_list(request: HttpRequest, filters: Query[StaffFilter]) -> object:
    return selectors.implementations_in_scope(_staff(request), q=filters.q, status=filters.status or "")


@router.post("/manage/implementations", response={201: VersionOut, **ERRORS}, summary="Draft a new implementation")
def draft_create(request: HttpRequest, data: DraftIn) -> Status[ImplementationVersion]:
    user = _staff(request)
    base = BaseItem.objects.filter(base_code=data.base_code).first()
    if base is None:
        raise_problems([("base_code", _("No base item has this code."))])
    assert base is not None
    version = services.implementation_draft_create(
        actor=user,
        base_item=base,
        department=_department(data.department_id, "department_id"),
        level=data.level,
        name=data.name,
        **_content(data.content),
    )
    return Status(201, version)


@router.get("/manage/versions/{version_id}", response={200: VersionOut, **ERRORS}, summary="One version")
def version_get(request: HttpRequest, version_id: int) -> ImplementationVersion:
    return _version(_staff(request), version_id)


@router.patch("/manage/versions/{version_id}", response={200: VersionOut, **ERRORS}, summary="Change a draft")
def version_patch(request: HttpRequest, version_id: int, data: Body[dict[str, Any]]) -> ImplementationVersion:
    user = _staff(request)
    return services.version_update(actor=user, version=_version(user, version_id), **_content(data))


@router.put(
    "/manage/versions/{version_id}/contents",
    response={200: VersionOut, **ERRORS},
    summary="Replace a draft's steps, materials, form fields or joint departments",
)
def version_contents(request: HttpRequest, version_id: int, data: ContentsIn) -> ImplementationVersion:
    user = _staff(request)
    children: dict[str, list[dict[str, Any]]] = {}
    for relation in ("steps", "materials", "form_fields"):
        rows = getattr(data, relation)
        if rows is not None:
            children[relation] = [dict(row) for row in rows]
    licences = {licence.code: licence for licence in LicenceType.objects.all()}
    for position, row in enumerate(children.get("materials", []), start=1):
        code = row.get("replaced_by")
        if code:
            if code not in licences:
                raise_problems([(f"materials[{position}].replaced_by", _("No licence type has this code."))])
            row["replaced_by"] = licences[code]
    joint = (
        [_department(pk, "joint_departments") for pk in data.joint_departments]
        if data.joint_departments is not None
        else None
    )
    return services.version_contents_set(
        actor=user, version=_version(user, version_id), joint_departments=joint, **children
    )


@router.get(
    "/manage/versions/{version_id}/diff",
    response={200: DiffOut, **ERRORS},
    summary="What changed from another version of the same implementation",
)
def version_diff(request: HttpRequest, version_id: int, against: int) -> dict[str, Any]:
    user = _staff(request)
    new, old = _version(user, version_id), _version(user, against)
    if new.implementation_id != old.implementation_id:
        raise_problems([("against", _("Only two versions of the same implementation can be compared."))])
    diff = selectors.version_diff(old, new)
    return {
        "fields": {k: [str(v) if v is not None else None for v in pair] for k, pair in diff.fields.items()},
        "added": diff.added,
        "removed": diff.removed,
        "changed": {
            relation: {key: {f: [str(v) for v in pair] for f, pair in changes.items()} for key, changes in rows.items()}
            for relation, rows in diff.changed.items()
        },
    }


@router.post(
    "/manage/versions/{version_id}/{action}",
    response={200: VersionOut, **ERRORS},
    summary="Submit, return, publish, suspend, resume or cancel a version",
)
def version_action(
    request: HttpRequest,
    version_id: int,
    action: Literal["submit", "return", "publish", "suspend", "resume", "cancel"],
    data: CatalogueActionIn,
) -> ImplementationVersion:
    user = _staff(request)
    version = _version(user, version_id)
    if action in ("return", "suspend", "cancel"):
        step = {
            "return": services.version_return,
            "suspend": services.version_suspend,
            "cancel": services.version_cancel,
        }
        return step[action](actor=user, version=version, reason=data.reason)
    plain = {"submit": services.version_submit, "publish": services.version_publish, "resume": services.version_resume}
    return plain[action](actor=user, version=version)


@router.post(
    "/manage/implementations/{code}/versions",
    response={201: VersionOut, **ERRORS},
    summary="Start a new version (change) of a published implementation",
)
def implementation_change(request: HttpRequest, code: str) -> Status[ImplementationVersion]:
    user = _staff(request)
    return Status(
        201, services.implementation_change(actor=user, implementation=selectors.implementation_for_staff(user, code))
    )


@router.post(
    "/manage/implementations/{code}/{kind}",
    response={201: VersionOut, **ERRORS},
    summary="Delegate down (下放) or entrust (委托) to another department",
)
def implementation_derive(
    request: HttpRequest, code: str, kind: Literal["delegate", "entrust"], data: TargetIn
) -> Status[ImplementationVersion]:
    user = _staff(request)
    implementation = selectors.implementation_for_staff(user, code)
    service = services.implementation_delegate if kind == "delegate" else services.implementation_entrust
    return Status(
        201, service(actor=user, implementation=implementation, to=_department(data.department_id, "department_id"))
    )
