"""Signals the platform context sends for others to act on (so core depends on nobody)."""

from django.dispatch import Signal

# Sent when a request is refused for lack of permission: sender=None, request=..., reason=str.
permission_denied = Signal()
