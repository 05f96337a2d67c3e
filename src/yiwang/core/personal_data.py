"""Personal data at rest (个人信息保护法; GB/T 39786-2021): SM4-GCM encryption and keyed SM3 lookup digests.

A database dump alone reveals no ID number or phone number: values are stored encrypted with a
key from the environment (``YIWANG_DATA_KEY``), and exact lookups (log in by ID number, find a
duplicate registration) use an HMAC-SM3 digest of the normalised value under a second derived key.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from yiwang.core.crypto import hmac_sm3_hex

_PREFIX = "sm4gcm1:"


@lru_cache(maxsize=1)
def _keys() -> tuple[bytes, bytes]:
    configured = settings.YIWANG_DATA_KEY
    if configured:
        try:
            master = bytes.fromhex(configured)
        except ValueError as exc:
            raise ImproperlyConfigured("YIWANG_DATA_KEY must be hexadecimal (32 or more hex digits)") from exc
        if len(master) < 16:
            raise ImproperlyConfigured("YIWANG_DATA_KEY must hold at least 16 bytes (32 hex digits)")
    else:
        master = bytes.fromhex(hmac_sm3_hex(settings.SECRET_KEY.encode(), b"yiwang-personal-data"))
    encryption = bytes.fromhex(hmac_sm3_hex(master, b"encryption"))[:16]  # SM4 keys are 128 bits
    lookup = bytes.fromhex(hmac_sm3_hex(master, b"lookup"))
    return encryption, lookup


def encrypt(plain: str) -> str:
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(_keys()[0]), modes.GCM(nonce)).encryptor()
    sealed = encryptor.update(plain.encode()) + encryptor.finalize()
    return _PREFIX + base64.b64encode(nonce + encryptor.tag + sealed).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(stored[len(_PREFIX) :])
    nonce, tag, sealed = raw[:12], raw[12:28], raw[28:]
    decryptor = Cipher(algorithms.SM4(_keys()[0]), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(sealed) + decryptor.finalize()).decode()
    except InvalidTag as exc:
        raise ValueError("the value was altered or the key is wrong") from exc


def lookup_digest(normalised: str) -> str:
    return hmac_sm3_hex(_keys()[1], normalised.encode())


class EncryptedCharField(models.TextField):  # type: ignore[type-arg]
    """A text value stored SM4-encrypted; read back in clear by the application only."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
