"""API: role assignments, for the security administrator only (三员分立)."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.accounts.authz import scope_filter
from yiwang.accounts.models import RoleAssignment, User
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.accounts.services import role_grant, role_revoke
from yiwang.core.api_support import ErrorOut, Pagination
from yiwang.core.errors import NotFound, PermissionDenied
from yiwang.core.shell import acting_user
from yiwang.organisation.selectors import department_get, region_get

router = Router(tags=["roles"], auth=api_auth)


class AssignmentOut(Schema):
    id: int
    username: str
    role: Role
    department_id: int | None
    region_code: str | None

    @staticmethod
    def resolve_username(obj: RoleAssignment) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_region_code(obj: RoleAssignment) -> str | None:
        return obj.region.code if obj.region else None


class AssignmentIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    role: Role
    department_id: int | None = Field(None, ge=1, le=2**62)
    region_code: str | None = Field(None, max_length=12, pattern=r"^\d+$")


def _secadmin(request: HttpRequest) -> User:
    user = acting_user(request)
    if not user_has_role(user=user, roles={Role.SECADMIN}):
        raise PermissionDenied(code="permission_denied")
    return user


@router.get(
    "/assignments",
    response={200: list[AssignmentOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Role assignments in my region",
)
@paginate(Pagination)
def assignment_list(request: HttpRequest) -> object:
    actor = _secadmin(request)
    assignments = RoleAssignment.objects.select_related("user", "region").order_by("id")
    return scope_filter(assignments, actor, {Role.SECADMIN})


@router.post(
    "/assignments",
    response={201: AssignmentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Grant a role",
)
def assignment_create(request: HttpRequest, payload: AssignmentIn) -> Status[RoleAssignment]:
    actor = _secadmin(request)
    user = User.objects.filter(username=payload.username).first()
    if user is None:
        raise NotFound(code="account_not_found")
    department = department_get(pk=payload.department_id) if payload.department_id else None
    if payload.department_id and department is None:
        raise Http404
    region = region_get(code=payload.region_code) if payload.region_code else None
    if payload.region_code and region is None:
        raise Http404
    return Status(201, role_grant(actor=actor, user=user, role=payload.role, department=department, region=region))


@router.delete(
    "/assignments/{assignment_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Revoke a role",
)
def assignment_delete(request: HttpRequest, assignment_id: int) -> Status[None]:
    actor = _secadmin(request)
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "department", "region"), pk=assignment_id
    )
    role_revoke(actor=actor, assignment=assignment)
    return Status(204, None)
