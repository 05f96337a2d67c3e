"""The sealed bid (加密投标文件) and the receipts' Merkle tree (docs/trading.md §5).

An envelope is bytes laid out as ``MAGIC ‖ u32 header length ‖ header ‖ u32 signature length ‖
signature ‖ ciphertext``. The header is canonical JSON naming the project, lot and bidder, the
fingerprints of the bidder's key and the project's opening key, the SM4-GCM nonce, the content key
wrapped to both keys (SM2, GB/T 32918.4) and the ciphertext's SM3 digest and length; the signature is
the bidder's SM2 signature of the header. The bid inside is a ZIP of ``bid.json`` and its files.

This module imports no Django: the bidder's tool (``yiwang-seal``) seals with it on the bidder's own
machine, and the platform parses with it. Errors carry a code; the services translate them.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import struct
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from yiwang.core.crypto import (
    GCM_NONCE_BYTES,
    sm2_decrypt,
    sm2_encrypt,
    sm2_key_fingerprint,
    sm2_public_key_valid,
    sm2_sign,
    sm2_verify,
    sm3_bytes,
    sm3_hex,
    sm4_gcm_decrypt,
    sm4_gcm_encrypt,
    sm4_key,
)

FORMAT = "yiwang-sealed-bid/1"
MAGIC = b"YWSEAL\x00\x01"
MAX_HEADER = 16 * 1024
_U32 = struct.Struct(">I")
_HEX = re.compile(r"^[0-9a-f]+$")
_WRAPPED_HEX = 2 * (1 + 64 + 32 + 16)  # an SM2 ciphertext of a 16-byte SM4 key
_BOUND = ("format", "project", "lot", "bidder", "bidder_key", "opening_key", "nonce")
_FIELDS = frozenset((*_BOUND, "wrapped_for_bidder", "wrapped_for_opening", "ciphertext_sm3", "ciphertext_length"))
_PRICE = re.compile(r"\d{1,13}(\.\d{1,2})?")
MAX_BID_JSON = 64 * 1024  # bid.json: the price and a few figures
MAX_FIGURES, MAX_FIGURE_NAME, MAX_FIGURE_VALUE = 50, 50, 500
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class EnvelopeError(ValueError):
    """The bytes are not a sealed bid the platform can take; ``code`` says why."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        super().__init__(detail or code)


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Envelope:
    header: dict[str, Any]
    header_bytes: bytes
    signature: str
    ciphertext: bytes

    @property
    def digest(self) -> str:
        """The ciphertext's SM3: what the receipt and the Merkle tree name."""
        return str(self.header["ciphertext_sm3"])

    def associated(self) -> bytes:
        return canonical({key: self.header[key] for key in _BOUND})


# --- the bid inside ---------------------------------------------------------------------------------


def bid_pack(*, price: str, files: dict[str, bytes], figures: dict[str, str] | None = None) -> bytes:
    """A bid's plain content: ``bid.json`` (the price in yuan, other offered figures) and its files."""
    if not _PRICE.fullmatch(price):
        raise EnvelopeError("bad_price", "the price is yuan with at most two decimals")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bid.json", canonical({"price": price, "figures": figures or {}}))
        for name, content in files.items():
            archive.writestr(f"files/{name}", content)
    return buffer.getvalue()


@dataclass(frozen=True)
class OpenedBid:
    price: Decimal
    figures: dict[str, str]
    files: dict[str, int]  # name → size


def _figures(value: Any) -> dict[str, str] | None:
    """The offered figures if they are a small map of short texts without control characters."""
    if not isinstance(value, dict) or len(value) > MAX_FIGURES:
        return None
    figures = {}
    for name, text in value.items():
        if not isinstance(text, str | int | float) or isinstance(text, bool):
            return None
        name, text = str(name), str(text)
        if len(name) > MAX_FIGURE_NAME or len(text) > MAX_FIGURE_VALUE or _CONTROL.search(name + text):
            return None
        figures[name] = text
    return figures


def bid_unpack(plain: bytes, *, max_total: int) -> OpenedBid:
    """What an opened bid offers; a ZIP that would expand past ``max_total`` bytes (or a ``bid.json``
    past 64 KiB) is refused unread. Anything the archive does wrong is ``bad_bid``, never another error."""
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > max_total or len(members) > 1000:
                raise EnvelopeError("bid_too_large")
            if archive.getinfo("bid.json").file_size > MAX_BID_JSON:
                raise EnvelopeError("bid_too_large")
            data = json.loads(archive.read("bid.json"))
            files = {m.filename.removeprefix("files/"): m.file_size for m in members if m.filename != "bid.json"}
    except EnvelopeError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, RuntimeError, OSError, zlib.error, NotImplementedError) as error:
        raise EnvelopeError("bad_bid", type(error).__name__) from error
    price = data.get("price") if isinstance(data, dict) else None
    figures = _figures(data.get("figures", {})) if isinstance(data, dict) else None
    if not isinstance(price, str) or not _PRICE.fullmatch(price) or figures is None:
        raise EnvelopeError("bad_bid", "bid.json names no price, or its figures are not short texts")
    try:
        return OpenedBid(Decimal(price), figures, files)
    except InvalidOperation as error:
        raise EnvelopeError("bad_bid", "bid.json names no price") from error


# --- sealing (the bidder's side) --------------------------------------------------------------------


def seal(
    *,
    plain: bytes,
    project: str,
    lot: int,
    bidder: str,
    bidder_private_key: str,
    bidder_public_key: str,
    opening_public_key: str,
) -> bytes:
    """The sealed envelope of ``plain`` (from ``bid_pack``) for one project's lot."""
    if not sm2_public_key_valid(opening_public_key) or not sm2_public_key_valid(bidder_public_key):
        raise EnvelopeError("bad_key", "not an SM2 public key")
    key, nonce = sm4_key(), secrets.token_bytes(GCM_NONCE_BYTES)
    bound = {
        "format": FORMAT,
        "project": project,
        "lot": lot,
        "bidder": bidder,
        "bidder_key": sm2_key_fingerprint(bidder_public_key),
        "opening_key": sm2_key_fingerprint(opening_public_key),
        "nonce": nonce.hex(),
    }
    ciphertext = sm4_gcm_encrypt(key, plain, nonce=nonce, associated=canonical(bound))
    header = {
        **bound,
        "wrapped_for_bidder": sm2_encrypt(bidder_public_key, key).hex(),
        "wrapped_for_opening": sm2_encrypt(opening_public_key, key).hex(),
        "ciphertext_sm3": sm3_hex(ciphertext),
        "ciphertext_length": len(ciphertext),
    }
    header_bytes = canonical(header)
    signature = sm2_sign(bidder_private_key, bidder_public_key, header_bytes).encode()
    return b"".join(
        (MAGIC, _U32.pack(len(header_bytes)), header_bytes, _U32.pack(len(signature)), signature, ciphertext)
    )


# --- parsing (the platform's side) ------------------------------------------------------------------


def _take(data: bytes, at: int, limit: int, code: str) -> tuple[bytes, int]:
    if at + 4 > len(data):
        raise EnvelopeError(code, "truncated")
    (length,) = _U32.unpack_from(data, at)
    if length > limit or at + 4 + length > len(data):
        raise EnvelopeError(code, "a length past the end or the limit")
    return data[at + 4 : at + 4 + length], at + 4 + length


def _header_problem(header: Any) -> str:
    if not isinstance(header, dict) or set(header) != _FIELDS or header.get("format") != FORMAT:
        return "the header's fields are not those of a sealed bid"
    text = ("project", "bidder", "bidder_key", "opening_key", "nonce", "wrapped_for_bidder", "wrapped_for_opening")
    if not all(isinstance(header[key], str) for key in (*text, "ciphertext_sm3")):
        return "a header field is not text"
    if not all(
        isinstance(header[key], int) and not isinstance(header[key], bool) for key in ("lot", "ciphertext_length")
    ):
        return "a header field is not a number"
    hexes = {"bidder_key": 64, "opening_key": 64, "nonce": 2 * GCM_NONCE_BYTES, "ciphertext_sm3": 64}
    hexes |= {"wrapped_for_bidder": _WRAPPED_HEX, "wrapped_for_opening": _WRAPPED_HEX}
    if any(len(header[key]) != size or not _HEX.fullmatch(header[key]) for key, size in hexes.items()):
        return "a key, nonce or digest is not of its length"
    return ""


def envelope_parse(data: bytes, *, max_bytes: int) -> Envelope:
    """The envelope in ``data``, checked for form (not yet for whose it is: ``envelope_verify``)."""
    if len(data) > max_bytes:
        raise EnvelopeError("too_large")
    if not data.startswith(MAGIC):
        raise EnvelopeError("not_sealed", "no sealed-bid header")
    header_bytes, at = _take(data, len(MAGIC), MAX_HEADER, "malformed")
    signature_bytes, at = _take(data, at, 256, "malformed")
    ciphertext = data[at:]
    try:
        header = json.loads(header_bytes)
        signature = signature_bytes.decode("ascii")
    except (ValueError, RecursionError) as error:  # JSON, UTF-8, ASCII, a number past int's digit limit
        raise EnvelopeError("malformed", "the header is not JSON") from error
    problem = _header_problem(header)
    if problem:
        raise EnvelopeError("malformed", problem)
    if canonical(header) != header_bytes:
        raise EnvelopeError("malformed", "the header is not in canonical form")
    if header["ciphertext_length"] != len(ciphertext) or sm3_hex(ciphertext) != header["ciphertext_sm3"]:
        raise EnvelopeError("digest_mismatch", "the ciphertext is not the one the header names")
    return Envelope(header=header, header_bytes=header_bytes, signature=signature, ciphertext=ciphertext)


def envelope_verify(
    envelope: Envelope, *, project: str, lot: int, bidder: str, bidder_public_key: str, opening_public_key: str
) -> None:
    """Refuses an envelope sealed for another project, lot, bidder or opening key, or not signed by the
    bidder's registered key."""
    expected = {"project": project, "lot": lot, "bidder": bidder}
    for field, value in expected.items():
        if envelope.header[field] != value:
            raise EnvelopeError(f"wrong_{field}")
    if envelope.header["opening_key"] != sm2_key_fingerprint(opening_public_key):
        raise EnvelopeError("wrong_opening_key")
    if envelope.header["bidder_key"] != sm2_key_fingerprint(bidder_public_key):
        raise EnvelopeError("wrong_bidder_key")
    if not sm2_verify(bidder_public_key, envelope.header_bytes, envelope.signature):
        raise EnvelopeError("bad_signature")


# --- opening ----------------------------------------------------------------------------------------


def content_key_unwrap(envelope: Envelope, private_key: str, *, wrapped_for: str = "bidder") -> bytes:
    """The content key, unwrapped with the bidder's (or the rebuilt opening) private key."""
    try:
        return sm2_decrypt(private_key, bytes.fromhex(envelope.header[f"wrapped_for_{wrapped_for}"]))
    except ValueError as error:
        raise EnvelopeError("wrong_key", str(error)) from error


def envelope_open(envelope: Envelope, content_key: bytes) -> bytes:
    """The bid's plain content; EnvelopeError("wrong_key") when the key does not open it."""
    try:
        nonce = bytes.fromhex(envelope.header["nonce"])
        return sm4_gcm_decrypt(content_key, envelope.ciphertext, nonce=nonce, associated=envelope.associated())
    except ValueError as error:
        raise EnvelopeError("wrong_key", str(error)) from error


# --- the receipts' Merkle tree (RFC 6962's shape, SM3) ----------------------------------------------


def _leaf(data: bytes) -> bytes:
    return sm3_bytes(b"\x00" + data)


def _node(left: bytes, right: bytes) -> bytes:
    return sm3_bytes(b"\x01" + left + right)


def _split(count: int) -> int:
    """The largest power of two below ``count``."""
    return 1 << ((count - 1).bit_length() - 1)


def _root(hashes: list[bytes]) -> bytes:
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return _node(_root(hashes[:k]), _root(hashes[k:]))


def merkle_root(leaves: list[bytes]) -> str:
    """The root over the receipts in order; the empty tree's root is SM3 of nothing."""
    if not leaves:
        return sm3_hex(b"")
    return _root([_leaf(leaf) for leaf in leaves]).hex()


def merkle_proof(leaves: list[bytes], index: int) -> list[str]:
    """The audit path of leaf ``index``: sibling hashes from the leaf up."""
    hashes = [_leaf(leaf) for leaf in leaves]
    path: list[str] = []

    def walk(part: list[bytes], at: int) -> None:
        if len(part) == 1:
            return
        k = _split(len(part))
        if at < k:
            walk(part[:k], at)
            path.append(_root(part[k:]).hex())
        else:
            walk(part[k:], at - k)
            path.append(_root(part[:k]).hex())

    walk(hashes, index)
    return path


def merkle_verify(leaf: bytes, index: int, count: int, proof: list[str], root: str) -> bool:
    """Whether ``leaf`` is number ``index`` of ``count`` under ``root`` (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < count:
        return False
    fn, sn, value = index, count - 1, _leaf(leaf)
    for sibling_hex in proof:
        sibling = bytes.fromhex(sibling_hex)
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            value = _node(sibling, value)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            value = _node(value, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and value.hex() == root
