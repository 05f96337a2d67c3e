"""The follow-up code of a request made on the portal without an account (§29(2)(1)): with the request
number it is how the requester reads progress and the reply. Shown once, kept only as a keyed digest."""

from __future__ import annotations

import hmac
import secrets
from typing import TYPE_CHECKING

from yiwang.core.personal_data import lookup_digest

if TYPE_CHECKING:
    from yiwang.disclosure.models import DisclosureRequest

# 10 characters from an alphabet without look-alikes (0/O, 1/I/L): about 49 bits.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def normalised(code: str) -> str:
    """Upper case, spaces and dashes dropped (people copy it with either)."""
    return "".join(ch for ch in (code or "").upper()[:40] if ch.isascii() and ch.isalnum())


def digest(code: str) -> str:
    return lookup_digest("disclosure-follow:" + normalised(code))


def new_code() -> tuple[str, str]:
    """A fresh code and its digest."""
    code = "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))
    return code, digest(code)


def matches(request: DisclosureRequest, code: str) -> bool:
    """True when ``code`` is this account-less request's follow-up code (compared in constant time)."""
    if request.requester_id is not None or not request.follow_digest or not normalised(code):
        return False
    return hmac.compare_digest(request.follow_digest, digest(code))
