"""A fixed-window counter in the shared cache, for public pages that anyone may call (progress
lookups, taking a queue number): per key, at most ``limit`` hits in ``seconds``."""

from __future__ import annotations

from django.core.cache import cache


def over_limit(key: str, limit: int, seconds: int) -> bool:
    """Counts this hit; True once the key has had more than ``limit`` hits in its window."""
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count > limit
