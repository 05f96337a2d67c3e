"""API keys for other government systems: scoped, expiring, revocable, stored as SHA-256 digests.

Contexts add the scopes their endpoints need with ``api_scope_register``; an endpoint takes
``auth=ScopedApiKey("calendar:read")``. A key without the scope gets 403 ``insufficient_scope``.
Registering ``family:*`` admits every ``family:<name>`` scope (one per shared data resource) and
the wildcard itself; the endpoint checks the particular scope.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader

from yiwang.accounts.models import ApiKey, User
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.audit.services import audit_record
from yiwang.core.errors import PermissionDenied, ValidationFailed

KEY_PREFIX = "ywk_"
MAX_DAYS = 3 * 365

# Filled by the contexts whose endpoints accept keys (data sharing, hotline channels…).
_scopes: dict[str, str | Promise] = {}


def api_scope_register(scope: str, label: str | Promise) -> None:
    _scopes[scope] = label


def api_scopes() -> dict[str, str | Promise]:
    return dict(_scopes)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, actor: User | None, name: str, scopes: list[str], days: int = 365) -> tuple[str, ApiKey]:
    """Issues a key (security administrator). The raw key is returned once and never stored."""
    if actor is not None and not user_has_role(user=actor, roles={Role.SECADMIN}):
        raise PermissionDenied(_("Only the security administrator issues API keys."))
    unknown = sorted(s for s in set(scopes) - set(_scopes) if f"{s.split(':', 1)[0]}:*" not in _scopes)
    problems = []
    if not name.strip():
        problems.append({"field": "name", "message": _("This field is required.")})
    if not scopes:
        problems.append({"field": "scopes", "message": _("Choose at least one scope.")})
    if unknown:
        problems.append(
            {"field": "scopes", "message": _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}}
        )
    if not 1 <= days <= MAX_DAYS:
        problems.append({"field": "days", "message": _("Must be at most %(n)s.") % {"n": MAX_DAYS}})
    if problems:
        raise ValidationFailed(problems[0]["message"], details={"errors": problems})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name.strip()[:100],
        prefix=raw[:12],
        digest=_digest(raw),
        scopes=sorted(set(scopes)),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action="accounts.api_key_issue",
        target=key,
        changes={"name": [None, key.name], "scopes": [None, key.scopes], "prefix": [None, key.prefix]},
    )
    return raw, key


@transaction.atomic
def api_key_revoke(*, actor: User | None, key: ApiKey) -> ApiKey:
    if actor is not None and not user_has_role(user=actor, roles={Role.SECADMIN}):
        raise PermissionDenied(_("Only the security administrator issues API keys."))
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="accounts.api_key_revoke", target=key, changes={"revoked": [False, True]})
    return key


def api_key_for(raw: str) -> ApiKey | None:
    if not raw.startswith(KEY_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    key = ApiKey.objects.filter(digest=_digest(raw), revoked_at__isnull=True, expires_at__gt=now).first()
    if key is not None and (key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1)):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


class ScopedApiKey(APIKeyHeader):
    """``X-API-Key: ywk_…`` carrying ``scope``."""

    param_name = "X-API-Key"

    def __init__(self, scope: str | None = None) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        found = api_key_for(key or "")
        if found is None:
            return None
        if self.scope is not None and self.scope not in found.scopes:
            raise PermissionDenied(
                _("This API key does not have the scope %(scope)s.") % {"scope": self.scope}, code="insufficient_scope"
            )
        request.api_key = found  # type: ignore[attr-defined]
        return found
