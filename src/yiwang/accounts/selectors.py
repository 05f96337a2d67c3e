"""Reads of the accounts context, including the one question every module asks: which roles?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from yiwang.accounts.authz import user_roles as user_roles  # re-exported: every context asks it here
from yiwang.accounts.models import LoginEvent, RoleAssignment, User
from yiwang.accounts.roles import Role
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


def user_has_role(*, user: User | AnonymousUser, roles: frozenset[Role] | set[Role]) -> bool:
    return bool(user_roles(user=user) & roles)


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


def user_ids_with_role(*, role: Role, limit: int) -> list[int]:
    """The ids of up to ``limit`` accounts holding this role anywhere (for generated history)."""
    return list(RoleAssignment.objects.filter(role=role).values_list("user_id", flat=True)[:limit])


def user_from_principal(*, principal: object) -> User | None:
    """The account a request acts as (``request.user`` or ``request.auth``); ``None`` for an anonymous
    visitor, an API key or anything else that is not an account."""
    return principal if isinstance(principal, User) else None


def user_lock(*, user: User) -> None:
    """Locks the account's row until the caller's transaction ends, so that one person's concurrent
    requests (bookings checked against hoarding, say) run one after the other. Reads the id only: no
    account is built (nor its personal data decrypted) to take a lock."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
