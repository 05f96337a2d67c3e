"""The disclosure context's entries in the staff shell."""

from __future__ import annotations


def register() -> None:
    """Navigation entries arrive with the staff pages."""
