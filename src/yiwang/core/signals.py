"""Signals the platform context sends for others to act on (so core depends on nobody of ours)."""

from typing import Any

from django.dispatch import Signal

# Sent when a request is refused for lack of permission: sender=None, request=..., reason=str.
permission_denied = Signal()

# Sent by the platform's own writes (a job submitted, a task failure dealt with), inside their
# transaction, so that the audit trail records them as it records every write: sender=None,
# actor=User | None, action=str, target=Model, changes=dict. The audit context receives it.
platform_write = Signal()


def platform_write_audit(*, actor: Any, action: str, target: Any, changes: dict[str, Any]) -> None:
    """Sends ``platform_write``; a write nobody would audit is refused rather than done unseen."""
    if not platform_write.has_listeners():
        raise RuntimeError("no audit trail listens to platform writes: is yiwang.audit in INSTALLED_APPS?")
    platform_write.send(sender=None, actor=actor, action=action, target=target, changes=changes)
