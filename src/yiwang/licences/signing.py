"""Signing licences (国务院关于在线政务服务的若干规定 §8–9: a reliable electronic signature equals a
handwritten one): SM2 over SM3 (GB/T 32918, GB/T 32905) of a canonical form of the licence data.

Everything signs through the small ``Signer`` interface, so a hardware security module can replace
the software signer without touching the callers. The software signer uses ``core.crypto``: Tongsuo's SM2
in C, or gmssl's pure Python where the C library has no wheel (docs/licences.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from typing import Any, Protocol

from yiwang.core.crypto import SM2SigningKey, sm2_key_pair, sm2_verify


class Signer(Protocol):
    public_key: str

    def sign(self, data: bytes) -> str:
        """The signature of ``data`` (hex)."""
        ...

    def sign_many(
        self, items: Sequence[bytes], *, workers: int = 1, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        """Signatures of ``items`` in order; a batch may be spread over ``workers`` processes."""
        ...


def canonical(data: dict[str, Any]) -> bytes:
    """One byte string per licence content: keys sorted, no spaces, UTF-8 (Chinese kept as is)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def key_pair_generate() -> tuple[str, str]:
    """A fresh SM2 key pair as hex: (private key, 64 digits; public key, 128 digits)."""
    return sm2_key_pair()


@dataclass
class SoftwareSigner:
    """SM2 in software, with the private key held in memory only while signing."""

    private_key: str
    public_key: str
    _key: SM2SigningKey | None = field(default=None, init=False, repr=False, compare=False)

    def sign(self, data: bytes) -> str:
        if self._key is None:  # loaded once per signer: loading costs about half a signature
            self._key = SM2SigningKey(self.private_key, self.public_key)
        return self._key.sign(data)

    def sign_many(
        self, items: Sequence[bytes], *, workers: int = 1, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        """SM2 holds the interpreter lock (gmssl's pure Python, and Tongsuo's binding as well: two threads
        sign no faster than one here), so a batch runs in ``workers`` separate processes (started fresh:
        they import only this module, never Django or a database connection)."""
        chunks = [list(items[i : i + BATCH_CHUNK]) for i in range(0, len(items), BATCH_CHUNK)]
        results: list[list[str]] = [[] for _ in chunks]
        done = 0
        if workers <= 1 or len(chunks) < 2:
            for position, chunk in enumerate(chunks):
                results[position] = [self.sign(item) for item in chunk]
                done += len(chunk)
                if progress:
                    progress(done)
            return [signature for chunk_result in results for signature in chunk_result]
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = {
                pool.submit(_sign_chunk, self.private_key, self.public_key, chunk): position
                for position, chunk in enumerate(chunks)
            }
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                done += len(results[futures[future]])
                if progress:
                    progress(done)
        return [signature for chunk_result in results for signature in chunk_result]


BATCH_CHUNK = 200  # items per task handed to a signing process


def _sign_chunk(private_key: str, public_key: str, chunk: list[bytes]) -> list[str]:
    return SoftwareSigner(private_key=private_key, public_key=public_key).sign_many(chunk)


@lru_cache(maxsize=20_000)
def signature_valid_remembered(public_key: str, data: bytes, signature: str) -> bool:
    """``signature_valid`` remembered per process for the exact (key, content, signature): a licence
    verified again and again (its QR code scanned at every counter) costs one SM2 verification per
    process, while any changed byte is a new question. Kept in memory only, so nothing outside the
    process can plant an answer."""
    return signature_valid(public_key, data, signature)


def signature_valid(public_key: str, data: bytes, signature: str) -> bool:
    """Whether ``signature`` is ``public_key``'s SM2 signature of ``data``; malformed input is simply invalid."""
    return sm2_verify(public_key, data, signature)
