"""Idempotency keys: a retried request returns the first one's record, to its own caller only.

A key belongs to its caller and its operation. What is stored is a digest of (operation, caller, key),
so the same key sent by another account, another channel's API key or for another operation is a
different key: it can neither read nor block someone else's record. Two requests with one key at the
same moment give one record: the second insert meets the unique index, its savepoint is rolled back
(with the number it drew) and it returns the first one's record as a replay (``insert_once``). A case
submission does without the savepoint: its insert is its first write, and the whole submission rolls
back before the first case is read (``cases.services.intake.case_submit_keyed``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from yiwang.core.errors import ValidationFailed

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

KEY_MAX = 100
HEADER = "Idempotency-Key"
# Visible ASCII, as the IETF draft's examples and every client library's UUIDs are.
_KEY = re.compile(r"^[\x21-\x7e]+$")

M = TypeVar("M", bound=models.Model)


def idempotency_key_check(key: str | None) -> str | None:
    """The key as given, or ``None`` when there is none; a key that is too long or holds anything but
    visible ASCII is refused, never cut to fit."""
    if key is None or not key.strip():
        return None
    key = key.strip()
    if len(key) > KEY_MAX or not _KEY.match(key):
        message = _("The Idempotency-Key must be 1 to %(n)s visible ASCII characters.") % {"n": KEY_MAX}
        raise ValidationFailed(
            message, code="idempotency_key_invalid", details={"errors": [{"field": HEADER, "message": message}]}
        )
    return key


def idempotency_key_of(request: HttpRequest) -> str | None:
    return idempotency_key_check(request.headers.get(HEADER))


def _caller(actor: AbstractBaseUser | AnonymousUser | None, api_key: Any) -> str:
    """Who a key belongs to: the API key of a channel's system, else the account, else nobody."""
    if api_key is not None:
        return f"api-key:{api_key.pk}"
    if actor is not None and actor.is_authenticated:
        return f"user:{actor.pk}"
    return "anonymous"


def scoped_key(
    *, operation: str, key: str | None, actor: AbstractBaseUser | AnonymousUser | None, api_key: Any = None
) -> str | None:
    """What is stored for a caller's key (checked as ``idempotency_key_check`` does): one digest per
    operation, caller and key, 64 hex characters. ``None`` when no key was sent."""
    checked = idempotency_key_check(key)
    if checked is None:
        return None
    caller = _caller(actor, api_key)
    return hashlib.sha256(f"{operation}\n{caller}\n{checked}".encode()).hexdigest()


def insert_once(record: M, *, prepare: Callable[[], None] = lambda: None) -> tuple[M, bool]:
    """Saves ``record`` (after ``prepare``, which draws its number) unless a record with its
    ``idempotency_key`` exists already: (the record, True) when it was created, (the first one, False)
    when a concurrent request with the same key got there first."""
    key = record.idempotency_key  # type: ignore[attr-defined]
    if key is None:  # nothing to lose a race on: no savepoint
        prepare()
        record.save()
        return record, True
    try:
        with transaction.atomic():
            prepare()
            record.save()
        return record, True
    except IntegrityError:
        if key is None:
            raise
        existing = type(record)._default_manager.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False
