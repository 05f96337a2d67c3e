"""Reads of the accounts context, including the one question every module asks: which roles?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from yiwang.accounts.authz import all_grants
from yiwang.accounts.models import LoginEvent, RoleAssignment, User
from yiwang.accounts.roles import STAFF_ROLES, Role
from yiwang.core.identifiers import (
    is_mobile_phone,
    is_valid_credit_code,
    normalise_credit_code,
    normalise_phone,
    normalise_resident_id,
    resident_id_problem,
)
from yiwang.core.personal_data import lookup_digest

if TYPE_CHECKING:
    from yiwang.organisation.models import Department


def user_role_assignments(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).select_related("department", "region")


def user_roles(*, user: User | AnonymousUser) -> frozenset[Role]:
    """The roles the account holds (from the request-cached assignments, accounts.authz)."""
    return frozenset(grant.role for grant in all_grants(user))


def user_has_role(*, user: User | AnonymousUser, roles: frozenset[Role] | set[Role]) -> bool:
    return bool(user_roles(user=user) & roles)


def user_is_staff_member(*, user: User | AnonymousUser) -> bool:
    return user_has_role(user=user, roles=STAFF_ROLES)


def acting_user(request: HttpRequest) -> User:
    """The logged-in account behind a request that a login check has already guarded."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def user_by_login(*, login: str) -> User | None:
    """The account a login name designates: ID number, phone, credit code, or username."""
    value = login.strip()
    if resident_id_problem(value) is None:
        return User.objects.filter(id_number_digest=lookup_digest(normalise_resident_id(value))).first()
    if is_mobile_phone(value):
        return User.objects.filter(phone_digest=lookup_digest(normalise_phone(value))).first()
    if is_valid_credit_code(value):
        return User.objects.filter(credit_code=normalise_credit_code(value)).first()
    return User.objects.filter(username=value).first()


def account_by_document(*, id_type: str, number: str) -> User | None:
    """The online account of an applicant identified at a window: a person by resident ID number,
    a company by unified social credit code. ``None`` for a walk-in without an account."""
    value = number.strip()
    if id_type == "resident_id" and resident_id_problem(value) is None:
        return User.objects.filter(id_number_digest=lookup_digest(normalise_resident_id(value)), is_active=True).first()
    if id_type == "credit_code" and is_valid_credit_code(value):
        return User.objects.filter(credit_code=normalise_credit_code(value), is_active=True).first()
    return None


def accounts_by_documents(documents: list[tuple[bool, str]]) -> dict[str, User]:
    """Many at once (a bulk licence import): (is a credit code, number) → the active account, by number."""
    credit = {n for is_credit, n in documents if is_credit}
    people = {lookup_digest(n): n for is_credit, n in documents if not is_credit}
    found: dict[str, User] = {}
    if credit:
        for user in User.objects.filter(credit_code__in=credit, is_active=True):
            found[str(user.credit_code)] = user
    if people:
        for user in User.objects.filter(id_number_digest__in=list(people), is_active=True):
            found[people[str(user.id_number_digest)]] = user
    return found


def login_events_of(*, user: User) -> QuerySet[LoginEvent]:
    return LoginEvent.objects.filter(user=user).order_by("-at")


def users_with_role(*, roles: set[Role] | frozenset[Role], department: Department) -> list[User]:
    """The active people holding one of these roles in this department (for notices to a department)."""
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role__in=list(roles), role_assignments__department=department
        )
        .distinct()
        .order_by("pk")
    )


def acting_user_with(request: HttpRequest, roles: set[Role] | frozenset[Role]) -> User:
    """The logged-in account behind a request, if it holds one of ``roles``; refused (the Chinese 403,
    audited) otherwise. Where the object's scope matters the services check it again."""
    from yiwang.core.errors import PermissionDenied as Refused

    user = acting_user(request)
    if not user_has_role(user=user, roles=roles):
        raise Refused()
    return user
