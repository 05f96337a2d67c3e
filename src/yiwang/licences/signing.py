"""Signing licences (国务院关于在线政务服务的若干规定 §8–9: a reliable electronic signature equals a
handwritten one): SM2 over SM3 (GB/T 32918, GB/T 32905) of a canonical form of the licence data.

Everything signs through the small ``Signer`` interface, so a hardware security module can replace
the software signer without touching the callers. The software signer uses the pure-Python gmssl.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from gmssl import sm2

_CURVE = sm2.default_ecc_table
_N = int(_CURVE["n"], 16)


class Signer(Protocol):
    public_key: str

    def sign(self, data: bytes) -> str:
        """The signature of ``data`` (hex)."""
        ...


def canonical(data: dict[str, Any]) -> bytes:
    """One byte string per licence content: keys sorted, no spaces, UTF-8 (Chinese kept as is)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def key_pair_generate() -> tuple[str, str]:
    """A fresh SM2 key pair as hex: (private key, 64 digits; public key, 128 digits)."""
    private = secrets.randbelow(_N - 2) + 1
    public = sm2.CryptSM2(private_key=f"{private:064x}", public_key="")._kg(private, _CURVE["g"])
    return f"{private:064x}", str(public)  # gmssl pads x and y to 64 digits each


@dataclass
class SoftwareSigner:
    """SM2 in software, with the private key held in memory only while signing."""

    private_key: str
    public_key: str

    def sign(self, data: bytes) -> str:
        crypt = sm2.CryptSM2(private_key=self.private_key, public_key=self.public_key)
        return str(crypt.sign_with_sm3(data, secrets.token_hex(32)))


def signature_valid(public_key: str, data: bytes, signature: str) -> bool:
    """Whether ``signature`` is ``public_key``'s SM2 signature of ``data``; malformed input is simply invalid."""
    if len(signature) != 128 or len(public_key) != 128:
        return False
    try:
        return bool(sm2.CryptSM2(private_key="", public_key=public_key).verify_with_sm3(signature, data))
    except (ValueError, TypeError, ZeroDivisionError):
        return False
