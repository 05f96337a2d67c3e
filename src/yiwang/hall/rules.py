"""Pure rules of the hall: the display's rotating QR token (only someone in the hall can take a
number by phone) and the waiting estimate."""

from __future__ import annotations

import hmac
import math
from datetime import datetime

from django.conf import settings

from yiwang.core.crypto import hmac_sm3_hex


def _key() -> bytes:
    return ("hall-qr:" + settings.SECRET_KEY).encode()


def _period(at: datetime, rotate_seconds: int) -> int:
    return int(at.timestamp()) // rotate_seconds if rotate_seconds else 0


def hall_token(hall_id: int, at: datetime, rotate_seconds: int) -> str:
    """The token the display's QR code carries now (HMAC-SM3 of the hall and the period)."""
    return hmac_sm3_hex(_key(), f"{hall_id}:{_period(at, rotate_seconds)}".encode())[:16]


def hall_token_valid(hall_id: int, token: str, at: datetime, rotate_seconds: int) -> bool:
    """The current period's token, or the previous one's (someone who scanned just before it changed)."""
    period = _period(at, rotate_seconds)
    candidates = {period, period - 1} if rotate_seconds else {0}
    return any(
        hmac.compare_digest(hmac_sm3_hex(_key(), f"{hall_id}:{p}".encode())[:16], token or "") for p in candidates
    )


def waiting_minutes(ahead: int, service_minutes: float, windows_open: int) -> int:
    """People ahead × minutes per person ÷ windows serving the category (at least one), rounded up."""
    if ahead <= 0:
        return 0
    return math.ceil(ahead * service_minutes / max(1, windows_open))
