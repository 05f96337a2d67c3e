"""国密 primitives (GB/T 39786-2021) behind small functions: SM3 digests and HMAC-SM3, SM2 key pairs,
signatures and public-key encryption, SM4-GCM, and k-of-n secret shares.

``cryptography`` computes SM3 and SM4 in C (about 390,000 digests/s here, against about 640/s for the
pure-Python ``gmssl``), which keeps audit appends cheap. It has no SM2. SM2 signatures and key pairs come
from Tongsuo's C library (``tongsuopy``, 1,300–1,800 signatures/s on one core here, against 150–190/s
for gmssl): signing licences at a province's volume needs it (docs/performance.md). ``tongsuopy`` has
wheels for Linux x86_64, macOS and Windows but none for Linux on ARM, so where it cannot be installed the
same functions fall back to gmssl's pure-Python curve arithmetic (``SM2_BACKEND`` says which runs); both
give and accept the same signatures — r‖s hex over SM3(Z ‖ M), Z with the default identity
1234567812345678 — tested against each other and the GB/T 32918.5 example.

SM2 encryption keeps gmssl's point multiplication (it is rare and small) — but only that: gmssl's own
``encrypt`` draws its ephemeral key from ``random`` (a Mersenne Twister, predictable), derives the key
stream from the hex *text* of the shared point rather than its bytes (so no other implementation can
read its ciphertexts) and its ``decrypt`` never checks C3. SM2 encryption is therefore written here from
GB/T 32918.4-2016 §6–7 (C1‖C3‖C2, C1 uncompressed with its 04 prefix) and tested against OpenSSL's SM2
in both directions.

Nothing here imports Django: the bidder's sealing tool (``yiwang-seal``) runs on this module alone.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmssl import sm2

try:
    from tongsuopy.crypto import hashes as _tongsuo_hashes
    from tongsuopy.crypto.asymciphers import ec as _tongsuo_ec
    from tongsuopy.crypto.exceptions import InvalidSignature as _TongsuoInvalidSignature
except ImportError:  # no wheel for this platform (Linux on ARM): gmssl's pure Python signs instead
    _tongsuo_ec = None

_CURVE = sm2.default_ecc_table
_P = int(_CURVE["p"], 16)
_A = int(_CURVE["a"], 16)
_B = int(_CURVE["b"], 16)
_N = int(_CURVE["n"], 16)
SM4_KEY_BYTES = 16
GCM_NONCE_BYTES = 12
GCM_TAG_BYTES = 16
SM2_PRIVATE_HEX = 64
SM2_PUBLIC_HEX = 128  # x‖y, 64 hex digits each (no 04 prefix)
SM2_SIGNATURE_HEX = 128


def sm3_hex(data: bytes) -> str:
    return sm3_bytes(data).hex()


def sm3_bytes(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


# --- SM2 keys ---------------------------------------------------------------------------------------

SM2_BACKEND = "tongsuo" if _tongsuo_ec is not None else "gmssl"


def _multiply(scalar: int, point_hex: str) -> str:
    """[scalar]point as x‖y hex (gmssl pads each coordinate to 64 digits)."""
    return str(sm2.CryptSM2(private_key="", public_key="")._kg(scalar, point_hex))


def sm2_key_pair() -> tuple[str, str]:
    """A fresh SM2 key pair as hex: (private key, 64 digits; public key x‖y, 128 digits)."""
    private = f"{secrets.randbelow(_N - 2) + 1:064x}"  # GB/T 32918.1 §6.1: d in [1, n-2]
    return private, sm2_public_key(private)


def sm2_public_key(private_key: str) -> str:
    scalar = _private_scalar(private_key)
    if _tongsuo_ec is None:
        return _multiply(scalar, _CURVE["g"])
    numbers = _tongsuo_ec.derive_private_key(scalar, _tongsuo_ec.SM2()).public_key().public_numbers()
    return f"{numbers.x:064x}{numbers.y:064x}"


def _private_scalar(private_key: str) -> int:
    if len(private_key) != SM2_PRIVATE_HEX or not _HEX.fullmatch(private_key):
        raise ValueError("an SM2 private key is 64 hex digits")
    scalar = int(private_key, 16)
    if not 1 <= scalar <= _N - 2:
        raise ValueError("not an SM2 private key")
    return scalar


_HEX = re.compile(r"[0-9a-fA-F]+")  # int(…, 16) alone would take spaces and underscores


def sm2_public_key_valid(public_key: str) -> bool:
    """Whether ``public_key`` (x‖y hex) is a point of the SM2 curve other than the point at infinity
    (GB/T 32918.1 §6.2.1). Checked before anything is encrypted to a key someone registered, so that a
    point off the curve cannot be used to learn a private key."""
    if len(public_key) != SM2_PUBLIC_HEX or not _HEX.fullmatch(public_key):
        return False
    try:
        x, y = int(public_key[:64], 16), int(public_key[64:], 16)
    except ValueError:
        return False
    if not (0 <= x < _P and 0 <= y < _P) or (x == 0 and y == 0):
        return False
    return (y * y - (x * x * x + _A * x + _B)) % _P == 0


def sm2_key_fingerprint(public_key: str) -> str:
    """The SM3 digest of the public key's bytes: how envelopes and receipts name a key."""
    return sm3_hex(bytes.fromhex(public_key))


# --- SM2 signatures ---------------------------------------------------------------------------------
# GB/T 32918.2-2016 §6: e = SM3(Z ‖ M), Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) with the default
# identity 1234567812345678 (GB/T 35276-2017), the signature (r, s) stored as r‖s, 64 hex digits each.


class SM2SigningKey:
    """A private key made ready once for many signatures: the C library derives the key's point when
    the key is loaded (about half a signature's cost), so a batch loads it once, not per licence. The
    public key given must be the private key's own, since Z is computed from it."""

    def __init__(self, private_key: str, public_key: str) -> None:
        scalar = _private_scalar(private_key)
        if not sm2_public_key_valid(public_key):
            raise ValueError("not a point of the SM2 curve")
        self.public_key = public_key.lower()
        if _tongsuo_ec is None:
            if _multiply(scalar, _CURVE["g"]) != self.public_key:
                raise ValueError("the public key is not the private key's")
            self._crypt = _crypt(private_key, self.public_key)
            return
        self._key = _tongsuo_ec.derive_private_key(scalar, _tongsuo_ec.SM2())
        numbers = self._key.public_key().public_numbers()
        if f"{numbers.x:064x}{numbers.y:064x}" != self.public_key:
            raise ValueError("the public key is not the private key's")

    def sign(self, data: bytes) -> str:
        """The signature of ``data`` with a fresh random k, r‖s hex."""
        if _tongsuo_ec is None:
            return str(self._crypt.sign_with_sm3(data, secrets.token_hex(32)))
        r, s = decode_dss_signature(self._key.sign(data, _tongsuo_ec.ECDSA(_tongsuo_hashes.SM3())))
        return f"{r:064x}{s:064x}"


def sm2_sign(private_key: str, public_key: str, data: bytes) -> str:
    """The SM2 signature of ``data`` over SM3 with the default identity (GB/T 32918.2), r‖s hex."""
    return SM2SigningKey(private_key, public_key).sign(data)


def sm2_verify(public_key: str, data: bytes, signature: str) -> bool:
    """Whether ``signature`` is ``public_key``'s SM2 signature of ``data``; malformed input is simply invalid."""
    if len(signature) != SM2_SIGNATURE_HEX or not _HEX.fullmatch(signature) or not sm2_public_key_valid(public_key):
        return False
    if _tongsuo_ec is None:
        return sm2_verify_python(public_key, data, signature)
    r, s = int(signature[:64], 16), int(signature[64:], 16)
    if not (1 <= r < _N and 1 <= s < _N):  # GB/T 32918.2 §7.1 B1–B2
        return False
    try:
        _verifying_key(public_key.lower()).verify(
            encode_dss_signature(r, s), data, _tongsuo_ec.ECDSA(_tongsuo_hashes.SM3())
        )
    except _TongsuoInvalidSignature:
        return False
    return True


@lru_cache(maxsize=1024)
def _verifying_key(public_key: str) -> Any:
    """The C library's form of a public key, loaded once per process (loading costs half a verification);
    a public key is no secret to keep."""
    x, y = int(public_key[:64], 16), int(public_key[64:], 16)
    return _tongsuo_ec.EllipticCurvePublicNumbers(x, y, _tongsuo_ec.SM2()).public_key()


# gmssl's pure-Python SM2: the fallback where the C library is missing, and the reference the C
# library's signatures are tested against (licences signed before it came still verify).


class _CryptSM2(sm2.CryptSM2):  # type: ignore[misc]
    """gmssl's SM2 with its pure-Python SM3 (most of a signature's time) replaced by the library SM3 the
    rest of the platform uses: the same digest, so the same signatures, several times faster."""

    def _sm3_z(self, data: bytes) -> str:
        table = self.ecc_table
        z = bytes.fromhex("0080" + "31323334353637383132333435363738" + table["a"] + table["b"] + table["g"])
        return sm3_hex(sm3_bytes(z + bytes.fromhex(self.public_key)) + data)


def _crypt(private_key: str, public_key: str) -> sm2.CryptSM2:
    """gmssl's SM2 with the public key kept as given: gmssl drops a leading "04" with ``lstrip("04")``,
    which also eats the key's own leading 0s and 4s — so a key whose x begins with "04" (one in 256)
    would sign with the wrong Z and never verify. The key is set back after construction."""
    crypt = _CryptSM2(private_key=private_key, public_key=public_key)
    crypt.public_key = public_key
    return crypt


def sm2_sign_python(private_key: str, public_key: str, data: bytes, k: str | None = None) -> str:
    """``sm2_sign`` in pure Python; ``k`` (64 hex digits) fixes the random number, for the standard's
    worked example only — a signature with a known or repeated k gives the private key away."""
    return str(_crypt(private_key, public_key).sign_with_sm3(data, k or secrets.token_hex(32)))


def sm2_verify_python(public_key: str, data: bytes, signature: str) -> bool:
    """``sm2_verify`` in pure Python."""
    if len(signature) != SM2_SIGNATURE_HEX or not sm2_public_key_valid(public_key):
        return False
    try:
        return bool(_crypt("", public_key).verify_with_sm3(signature, data))
    except (ValueError, TypeError, ZeroDivisionError):
        return False


# --- SM2 public-key encryption (GB/T 32918.4-2016) ---------------------------------------------------


def _kdf(shared: bytes, length: int) -> bytes:
    """GB/T 32918.4 §5.4.3: SM3(Z ‖ ct) for ct = 1, 2, … (32-bit big-endian), cut to ``length`` bytes."""
    out = bytearray()
    counter = 1
    while len(out) < length:
        out += sm3_bytes(shared + counter.to_bytes(4, "big"))
        counter += 1
    return bytes(out[:length])


def sm2_encrypt(public_key: str, message: bytes) -> bytes:
    """``message`` encrypted to ``public_key``: C1 (04‖x1‖y1) ‖ C3 (32 bytes) ‖ C2."""
    if not sm2_public_key_valid(public_key):
        raise ValueError("not a point of the SM2 curve")
    if not message:
        raise ValueError("nothing to encrypt")
    while True:
        k = secrets.randbelow(_N - 1) + 1
        c1 = bytes.fromhex(_multiply(k, _CURVE["g"]))
        shared = bytes.fromhex(_multiply(k, public_key))
        stream = _kdf(shared, len(message))
        if any(stream):
            break
    c2 = bytes(a ^ b for a, b in zip(message, stream, strict=True))
    c3 = sm3_bytes(shared[:32] + message + shared[32:])
    return b"\x04" + c1 + c3 + c2


def sm2_decrypt(private_key: str, ciphertext: bytes) -> bytes:
    """The message of an ``sm2_encrypt`` ciphertext; ValueError when it is not one for this key."""
    scalar = _private_scalar(private_key)
    if len(ciphertext) < 1 + 64 + 32 + 1 or ciphertext[0] != 4:
        raise ValueError("not an SM2 ciphertext")
    c1, c3, c2 = ciphertext[1:65].hex(), ciphertext[65:97], ciphertext[97:]
    if not sm2_public_key_valid(c1):
        raise ValueError("not an SM2 ciphertext")
    shared = bytes.fromhex(_multiply(scalar, c1))
    stream = _kdf(shared, len(c2))
    if not any(stream):
        raise ValueError("not an SM2 ciphertext")
    message = bytes(a ^ b for a, b in zip(c2, stream, strict=True))
    if not secrets.compare_digest(sm3_bytes(shared[:32] + message + shared[32:]), c3):
        raise ValueError("the ciphertext was not made for this key, or was changed")
    return message


# --- SM4-GCM ----------------------------------------------------------------------------------------


def sm4_key() -> bytes:
    return secrets.token_bytes(SM4_KEY_BYTES)


def sm4_gcm_encrypt(key: bytes, plain: bytes, *, nonce: bytes, associated: bytes = b"") -> bytes:
    """SM4-GCM: the ciphertext followed by its 16-byte tag; ``associated`` is bound to it unencrypted."""
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated)
    sealed = encryptor.update(plain) + encryptor.finalize()
    return sealed + encryptor.tag


def sm4_gcm_decrypt(key: bytes, sealed: bytes, *, nonce: bytes, associated: bytes = b"") -> bytes:
    """The plain text, or ValueError when the key, the nonce, the associated data or a byte is wrong."""
    if len(key) != SM4_KEY_BYTES or len(nonce) != GCM_NONCE_BYTES or len(sealed) < GCM_TAG_BYTES:
        raise ValueError("not an SM4-GCM ciphertext")
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, sealed[-GCM_TAG_BYTES:])).decryptor()
    decryptor.authenticate_additional_data(associated)
    try:
        return decryptor.update(sealed[:-GCM_TAG_BYTES]) + decryptor.finalize()
    except InvalidTag as error:
        raise ValueError("the ciphertext does not open with this key") from error


# --- k-of-n secret shares ---------------------------------------------------------------------------


def shares_split(secret: bytes, *, threshold: int, count: int) -> list[tuple[int, bytes]]:
    """Shamir's scheme over GF(2^128) (pycryptodome): ``count`` shares of a 32-byte secret, any
    ``threshold`` of which give it back and fewer tell nothing. The library shares 16 bytes at a time, so
    each half is shared on its own and a share is the two halves' shares of the same index."""
    from Cryptodome.Protocol.SecretSharing import Shamir

    if len(secret) != 32 or not 2 <= threshold <= count <= 255:
        raise ValueError("a 32-byte secret, 2 ≤ threshold ≤ count ≤ 255")
    first = Shamir.split(threshold, count, secret[:16], ssss=False)
    second = Shamir.split(threshold, count, secret[16:], ssss=False)
    return [(index, a + b) for (index, a), (_, b) in zip(first, second, strict=True)]


def shares_combine(shares: list[tuple[int, bytes]]) -> bytes:
    """The secret of ``shares_split`` from ``threshold`` distinct shares (fewer give a wrong value,
    which the caller detects by checking it against what it should open)."""
    from Cryptodome.Protocol.SecretSharing import Shamir

    if len({index for index, _ in shares}) != len(shares) or any(len(share) != 32 for _, share in shares):
        raise ValueError("distinct shares of 32 bytes")
    first = Shamir.combine([(index, share[:16]) for index, share in shares], ssss=False)
    second = Shamir.combine([(index, share[16:]) for index, share in shares], ssss=False)
    return bytes(first) + bytes(second)
