"""Logins, logouts, failed logins, refusals and the platform's own writes go into the trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from yiwang.audit.models import AuditResult
from yiwang.audit.services import audit_record
from yiwang.core.signals import permission_denied, platform_write


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="auth.login", target=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", target=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit_record(
        actor=None,
        action="auth.login_failed",
        actor_name=str(credentials.get("username", "")),
        result=AuditResult.FAILED,
    )


@receiver(permission_denied)
def _denied(sender: Any, request: Any, reason: str = "", **kwargs: Any) -> None:
    audit_record(
        actor=getattr(request, "user", None),
        action="auth.permission_denied",
        object_type="path",
        object_id=f"{request.method} {request.path}"[:64],
        changes={"reason": reason} if reason else {},
        result=AuditResult.DENIED,
    )


@receiver(platform_write)
def _platform_write(sender: Any, actor: Any, action: str, target: Any, changes: dict[str, Any], **kwargs: Any) -> None:
    audit_record(actor=actor, action=action, target=target, changes=changes)
