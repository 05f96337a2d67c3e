"""Writes of the accounts context."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import AccountKind, ApiToken, RoleAssignment, User
from yiwang.accounts.roles import SECURITY_ROLES, Role
from yiwang.accounts.selectors import user_has_role
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, PermissionDenied
from yiwang.organisation.models import Department, Region

TOKEN_PREFIX = "yw_"  # noqa: S105 (a public prefix, not a secret)


@transaction.atomic
def user_create(
    *,
    actor: User | None = None,
    username: str,
    password: str | None,
    kind: str = AccountKind.NATURAL_PERSON,
    full_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    user = User(username=username, kind=kind, full_name=full_name, phone=phone, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user_create",
        target=user,
        changes={"username": [None, username], "kind": [None, kind]},
    )
    return user


@transaction.atomic
def role_grant(
    *,
    actor: User | None,
    user: User,
    role: Role,
    department: Department | None = None,
    region: Region | None = None,
) -> RoleAssignment:
    """Grants ``role`` to ``user`` within the given scope.

    三员分立 (GB/T 22239-2019, organisation.md): only a security administrator grants roles, and
    no account holds two of system administrator, security administrator and security auditor.
    ``actor=None`` is the platform bootstrapping itself (demo data, first security administrator).
    """
    if actor is not None and not user_has_role(user=actor, roles={Role.SECADMIN}):
        raise PermissionDenied(_("Only the security administrator may grant roles."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise grants to one account
    if role in SECURITY_ROLES:
        held = set(
            RoleAssignment.objects.filter(user=user, role__in=SECURITY_ROLES)
            .exclude(role=role)
            .values_list("role", flat=True)
        )
        if held:
            raise Conflict(
                _("An account may hold only one of system administrator, security administrator and security auditor."),
                code="separation_of_duties",
            )
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        department=department,
        region=region,
        defaults={"granted_by": actor},
    )
    if created:
        audit_record(
            actor=actor,
            action="accounts.role_grant",
            target=assignment,
            changes={
                "user": [None, user.get_username()],
                "role": [None, str(role)],
                "department": [None, department.pk if department else None],
                "region": [None, region.code if region else None],
            },
        )
    return assignment


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """Issues a bearer token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        prefix=raw[:10],
        digest=_digest(raw),
        expires_at=timezone.now() + timedelta(hours=settings.YIWANG_API_TOKEN_TTL_HOURS),
    )
    audit_record(actor=user, action="accounts.api_token_issue", target=token, changes={"prefix": [None, token.prefix]})
    return raw, token


def api_token_user(*, raw: str) -> User | None:
    """The active user a valid, unexpired, unrevoked token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Recording use at most once a minute keeps the hot path free of a write per request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_tokens_purge_expired() -> int:
    deleted, _detail = ApiToken.objects.filter(expires_at__lt=timezone.now() - timedelta(days=30)).delete()
    return deleted
