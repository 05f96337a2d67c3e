"""Signals the platform context sends for others to act on (so core depends on nobody of ours)."""

from django.dispatch import Signal

# Sent when a request is refused for lack of permission: sender=None, request=..., reason=str.
permission_denied = Signal()

# Sent by the platform's own writes (a job submitted, a task failure dealt with), inside their
# transaction, so that the audit trail records them as it records every write: sender=None,
# actor=User | None, action=str, target=Model, changes=dict. The audit context receives it.
platform_write = Signal()
