"""What the contexts above the portal tell its home page (they register from their own ``apps.py``, as they
do the workbench's navigation): which services people use most."""

from __future__ import annotations

from collections.abc import Callable

PopularProvider = Callable[[int], list[str]]
_popular: list[PopularProvider] = []


def register_popular(provider: PopularProvider) -> None:
    """``provider(limit)`` returns implementation codes, most used first."""
    if provider not in _popular:
        _popular.append(provider)


def popular_codes(limit: int) -> list[str]:
    codes: list[str] = []
    for provider in _popular:
        for code in provider(limit):
            if code not in codes:
                codes.append(code)
    return codes[:limit]
