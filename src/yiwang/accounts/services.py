"""Writes of the accounts context."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import AccountKind, ApiToken, RoleAssignment, User
from yiwang.accounts.roles import SECURITY_ROLES, Role
from yiwang.accounts.rules import (
    account_problems,
    credit_code_field_problems,
    name_problems,
    password_problems,
    phone_problems,
    resident_id_problems,
)
from yiwang.accounts.selectors import user_has_role
from yiwang.audit.services import audit_record, field_changes
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.identifiers import normalise_credit_code, normalise_phone, normalise_resident_id
from yiwang.core.personal_data import lookup_digest
from yiwang.core.selectors import one_or_none

if TYPE_CHECKING:
    from yiwang.organisation.models import Department, Region


def _identity_conflicts(*, id_number: str = "", phone: str = "", credit_code: str = "") -> list[tuple[str, str]]:
    conflicts = []
    if id_number and User.objects.filter(id_number_digest=lookup_digest(id_number)).exists():
        conflicts.append(("id_number", _("This ID number is already registered; log in, or reset your password.")))
    if phone and User.objects.filter(phone_digest=lookup_digest(phone)).exists():
        conflicts.append(("phone", _("This mobile number is already used by another account.")))
    if credit_code and User.objects.filter(credit_code=credit_code).exists():
        conflicts.append(("credit_code", _("This unified social credit code is already registered.")))
    return conflicts


def _registered(problems: list[tuple[str, str]]) -> Conflict:
    return Conflict(
        problems[0][1],
        code="identity_registered",
        details={"errors": [{"field": f, "message": m} for f, m in problems]},
    )


def _portal_account_create(
    *, problems: list[tuple[str, str]], identity: dict[str, str], role: Role, **fields: Any
) -> User:
    """The common path of both registrations: all problems at once, then duplicates, then create.

    The unique digests settle a race between two registrations of the same identity: the loser
    gets the same clear "already registered" answer as if it had come second.
    """
    raise_problems(problems)
    if conflicts := _identity_conflicts(**identity):
        raise _registered(conflicts)
    try:
        with transaction.atomic():
            user = user_create(**fields)
    except IntegrityError as exc:
        field = next(iter(identity))
        raise _registered(
            _identity_conflicts(**identity) or [(field, _("This identity was registered at the same moment."))]
        ) from exc
    role_grant(actor=None, user=user, role=role)
    return user


@transaction.atomic
def citizen_register(*, full_name: str, id_number: str, phone: str, password: str) -> User:
    """A natural person's portal account, identified by the resident ID number ("一号")."""
    id_number, phone = normalise_resident_id(id_number), normalise_phone(phone)
    return _portal_account_create(
        problems=name_problems(full_name, "full_name", 50)
        + resident_id_problems(id_number)
        + phone_problems(phone)
        + password_problems(password),
        identity={"id_number": id_number, "phone": phone},
        role=Role.CITIZEN,
        username=f"p{secrets.token_hex(6)}",
        password=password,
        kind=AccountKind.NATURAL_PERSON,
        full_name=full_name.strip(),
        id_number=id_number,
        phone=phone,
    )


@transaction.atomic
def company_register(*, company_name: str, credit_code: str, phone: str, password: str) -> User:
    """A legal person's account, identified by its unified social credit code (GB 32100)."""
    credit_code, phone = normalise_credit_code(credit_code), normalise_phone(phone)
    return _portal_account_create(
        problems=name_problems(company_name, "company_name", 100)
        + credit_code_field_problems(credit_code)
        + phone_problems(phone)
        + password_problems(password),
        identity={"credit_code": credit_code, "phone": phone},
        role=Role.COMPANY,
        username=f"c{credit_code.lower()}",
        password=password,
        kind=AccountKind.LEGAL_PERSON,
        full_name=company_name.strip(),
        phone=phone,
        credit_code=credit_code,
    )


TOKEN_PREFIX = "yw_"  # noqa: S105 (a public prefix, not a secret)


def _require_account_admin(actor: User, perm: str, user: User | None = None) -> None:
    """The system administrator keeps the accounts (三员分立), but not those of the security
    administrator and the security auditor, whose duty is to oversee them."""
    if not actor.has_perm(perm) or not user_has_role(user=actor, roles={Role.SYSADMIN}):
        raise PermissionDenied()
    if user is not None and user.pk is not None and user_has_role(user=user, roles={Role.SECADMIN, Role.AUDITOR}):
        raise PermissionDenied(
            _("The system administrator does not change the accounts of the security administrator or auditor."),
            code="separation_of_duties",
        )


def may_administer_account(*, actor: User, user: User) -> bool:
    """Whether ``actor`` may change ``user``'s account (the same rule, asked)."""
    try:
        _require_account_admin(actor, "accounts.change_user", user)
    except PermissionDenied:
        return False
    return True


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
    id_number: str = "",
    credit_code: str | None = None,
    must_change_password: bool = False,
) -> User:
    """An account. ``actor`` is the system administrator creating it, or None for a registration, the
    operator's command or the platform itself. ``must_change_password`` when someone else chose it."""
    if actor is not None:
        _require_account_admin(actor, "accounts.add_user")
    raise_problems(
        account_problems(username=username, full_name=full_name, kind=kind, email=email, credit_code=credit_code or "")
    )
    user = User(
        username=username,
        kind=kind,
        full_name=full_name.strip(),
        phone=phone,
        email=email.strip(),
        id_number=id_number,
        id_number_digest=lookup_digest(id_number) if id_number else None,
        phone_digest=lookup_digest(phone) if phone else None,
        credit_code=credit_code or None,
        must_change_password=must_change_password,
    )
    if password:
        user.set_password(password)
        user.password_changed_at = timezone.now()
    else:
        user.set_unusable_password()
    if User.objects.filter(username=username).exists():
        raise Conflict(_("This username is already taken."), code="username_taken")
    # Uniqueness is left to the database (and to the callers' checks with Chinese messages).
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user_create",
        target=user,
        changes={"username": [None, username], "kind": [None, kind]},
    )
    return user


ACCOUNT_FIELDS = ["username", "full_name", "kind", "email", "credit_code", "is_active"]


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    username: str,
    full_name: str,
    kind: str,
    email: str,
    credit_code: str | None,
    is_active: bool,
) -> User:
    """The system administrator changes an account. Switching it off is ``user_disable`` (its API
    tokens go too); its cases, grants and audit records stay whatever changes."""
    _require_account_admin(actor, "accounts.change_user", user)
    credit_code = normalise_credit_code(credit_code) if credit_code else None
    raise_problems(
        account_problems(username=username, full_name=full_name, kind=kind, email=email, credit_code=credit_code or "")
    )
    stored = User.objects.select_for_update().get(pk=user.pk)  # ``user`` may carry the form's unsaved edits
    if User.objects.filter(username=username).exclude(pk=stored.pk).exists():
        raise Conflict(_("This username is already taken."), code="username_taken")
    if credit_code and User.objects.filter(credit_code=credit_code).exclude(pk=stored.pk).exists():
        raise_problems([("credit_code", _("This unified social credit code is already registered."))])
    before = {name: getattr(stored, name) for name in ACCOUNT_FIELDS}
    stored.username, stored.full_name, stored.kind = username, full_name.strip(), kind
    stored.email, stored.credit_code = email.strip(), credit_code
    stored.is_active = stored.is_active or is_active  # off only through user_disable, below
    stored.save()
    changes = field_changes(before, {name: getattr(stored, name) for name in ACCOUNT_FIELDS})
    if changes:
        audit_record(actor=actor, action="accounts.user_update", target=stored, changes=changes)
    if not is_active and stored.is_active:
        user_disable(actor=actor, user=stored)
    return stored


@transaction.atomic
def user_password_set(*, actor: User, user: User, password: str | None) -> User:
    """The system administrator gives an account a new password (None: no password login at all).

    The administrator has seen it, so the account must change it at its next login (等保 2.0)."""
    _require_account_admin(actor, "accounts.change_user", user)
    if password is not None:
        raise_problems(password_problems(password, "password1", user))
    stored = User.objects.select_for_update().get(pk=user.pk)
    usable = stored.has_usable_password()
    if password is None:
        stored.set_unusable_password()
    else:
        stored.set_password(password)
        stored.password_changed_at = timezone.now()
        stored.must_change_password = True
    stored.save(update_fields=["password", "password_changed_at", "must_change_password"])
    # The trail says that it changed and by whom; no form of the password enters it.
    audit_record(
        actor=actor,
        action="accounts.password_set",
        target=stored,
        changes={"usable_password": [usable, password is not None]},
    )
    return stored


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
    if actor is not None:
        _check_granting(actor=actor, user=user, department=department, region=region)
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


def _check_granting(*, actor: User, user: User, department: Department | None, region: Region | None) -> None:
    from yiwang.accounts.authz import authorize

    if not user_has_role(user=actor, roles={Role.SECADMIN}):
        raise PermissionDenied(_("Only the security administrator may grant roles."))
    if actor.pk == user.pk:
        raise PermissionDenied(_("Nobody may change their own roles."), code="own_roles")
    if user.kind != AccountKind.STAFF:
        raise ValidationFailed(_("Roles are granted to staff accounts only."), code="not_staff")
    authorize(actor, {Role.SECADMIN}, department=department, region=region)


def may_manage_roles(*, actor: User, user: User, department: Department | None, region: Region | None) -> bool:
    """Whether ``actor`` may grant or revoke this scope of ``user``'s roles (the same rule, asked)."""
    try:
        _check_granting(actor=actor, user=user, department=department, region=region)
    except (PermissionDenied, ValidationFailed):
        return False
    return True


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    """Takes a role back (security administrator only, within their region, never their own)."""
    _check_granting(actor=actor, user=assignment.user, department=assignment.department, region=assignment.region)
    audit_record(
        actor=actor,
        action="accounts.role_revoke",
        target=assignment,
        changes={
            "user": [assignment.user.get_username(), None],
            "role": [assignment.role, None],
            "department": [assignment.department_id, None],
            "region": [assignment.region.code if assignment.region else None, None],
        },
    )
    assignment.delete()


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
    token = one_or_none(  # the digest is unique
        ApiToken.objects.select_related("user").filter(
            digest=_digest(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True
        )
    )
    if token is None:
        return None
    # Recording use at most once a minute keeps the hot path free of a write per request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, user: User, raw: str) -> bool:
    """Revokes the caller's own token (logging out of the API)."""
    revoked = ApiToken.objects.filter(user=user, digest=_digest(raw), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            actor=user, action="accounts.api_token_revoke", object_type="accounts.apitoken", object_id=raw[:10]
        )
    return bool(revoked)


@transaction.atomic
def api_tokens_purge_expired() -> int:
    deleted, _detail = ApiToken.objects.filter(expires_at__lt=timezone.now() - timedelta(days=30)).delete()
    return deleted


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    username: str,
    role: Role,
    full_name: str = "",
    department: Department | None = None,
    region: Region | None = None,
) -> tuple[User, str]:
    """A staff account with a random initial password that must be changed at first login.

    Returns the account and the initial password, which is shown once and stored only hashed.
    """
    initial = secrets.token_urlsafe(12)
    user = user_create(actor=actor, username=username, password=initial, kind=AccountKind.STAFF, full_name=full_name)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    role_grant(actor=actor, user=user, role=role, department=department, region=region)
    return user, initial


@transaction.atomic
def user_disable(*, actor: User | None, user: User) -> User:
    """Disables the account and revokes its API tokens; its records stay."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    was_active = user.is_active
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if was_active:
        audit_record(actor=actor, action="accounts.user_disable", target=user, changes={"is_active": [True, False]})
    return user


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """等保 2.0: the old password proves who asks; the new one must pass the rules and differ."""
    problems: list[tuple[str, str]] = []
    if not user.check_password(old_password):
        problems.append(("old_password", _("The current password is wrong.")))
    if old_password == new_password:
        problems.append(("new_password", _("The new password must differ from the current one.")))
    try:
        validate_password(new_password, user)
    except DjangoValidationError as error:
        problems.extend(("new_password", message) for message in error.messages)
    raise_problems(problems)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(actor=user, action="accounts.password_change", target=user)
    from yiwang.notifications.services import notify

    notify(
        recipient=user,
        template="account.password_changed",
        context={"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    )
    return user


REVEALABLE = {"id_number": "id_number", "phone": "phone"}


def personal_data_reveal(*, actor: User, subject: User, field: str, purpose: str) -> str:
    """The clear value of ``subject``'s ``field`` for a role that needs it; audited every time.

    个人信息保护法: personal data is shown masked by default; staff whose work needs the clear value
    (PERSONAL_DATA_ROLES) may see it, and each such view is recorded with its purpose.
    """
    from yiwang.accounts.roles import PERSONAL_DATA_ROLES

    if field not in REVEALABLE:
        raise ValidationFailed(_("This field cannot be revealed."), code="not_revealable")
    if not user_has_role(user=actor, roles=set(PERSONAL_DATA_ROLES)):
        raise PermissionDenied(_("Your role may not see personal data in clear."), code="personal_data")
    if not purpose.strip():
        raise ValidationFailed(
            _("Say why you need to see it."),
            code="purpose_required",
            details={"errors": [{"field": "purpose", "message": _("Say why you need to see it.")}]},
        )
    value = str(getattr(subject, REVEALABLE[field]) or "")
    audit_record(
        actor=actor,
        action="personal_data.reveal",
        target=subject,
        changes={"field": [None, field], "purpose": [None, purpose.strip()[:200]]},
    )
    return value
