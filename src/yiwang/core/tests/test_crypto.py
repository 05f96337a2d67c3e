"""SM2 encryption written from GB/T 32918.4-2016, checked against OpenSSL's SM2 in both directions;
SM4-GCM and k-of-n shares at their edges."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from Cryptodome.Util.asn1 import DerInteger, DerOctetString, DerSequence

from yiwang.core import crypto


def _openssl_sm2(tmp: Path) -> tuple[Path, str, str]:
    """An SM2 key made by OpenSSL: its PEM file, private scalar and public point (hex)."""
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command")
    pem = tmp / "key.pem"
    made = subprocess.run(
        ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", str(pem)],
        capture_output=True,
    )
    if made.returncode != 0:
        pytest.skip("this OpenSSL has no SM2")
    shown = ["openssl", "pkey", "-in", str(pem), "-text", "-noout"]
    text = subprocess.run(shown, capture_output=True, text=True).stdout
    priv, pub = re.search(r"priv:(.*?)pub:(.*?)ASN1", text, re.S).groups()  # type: ignore[union-attr]
    hexes = [re.sub(r"[^0-9a-f]", "", part) for part in (priv, pub)]
    return pem, hexes[0][-64:].rjust(64, "0"), hexes[1][2:]


def _to_der(ours: bytes) -> bytes:
    c1, c3, c2 = ours[1:65], ours[65:97], ours[97:]
    return bytes(
        DerSequence(
            [
                DerInteger(int.from_bytes(c1[:32], "big")),
                DerInteger(int.from_bytes(c1[32:], "big")),
                DerOctetString(c3),
                DerOctetString(c2),
            ]
        ).encode()
    )


def _from_der(der: bytes) -> bytes:
    seq: Any = DerSequence().decode(der)
    x, y = int(seq[0]), int(seq[1])
    c3: Any = DerOctetString().decode(seq[2]).payload
    c2: Any = DerOctetString().decode(seq[3]).payload
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big") + bytes(c3) + bytes(c2)


def test_what_openssl_encrypts_we_decrypt_and_the_other_way_round(tmp_path: Path) -> None:
    pem, private, public = _openssl_sm2(tmp_path)
    assert crypto.sm2_public_key(private) == public
    message = "投标报价：1,234,567.00 元".encode() * 3
    (tmp_path / "m").write_bytes(message)
    subprocess.run(
        ["openssl", "pkeyutl", "-encrypt", "-inkey", str(pem), "-in", str(tmp_path / "m"), "-out", str(tmp_path / "c")],
        check=True,
    )
    assert crypto.sm2_decrypt(private, _from_der((tmp_path / "c").read_bytes())) == message

    (tmp_path / "ours").write_bytes(_to_der(crypto.sm2_encrypt(public, message)))
    opened = subprocess.run(
        ["openssl", "pkeyutl", "-decrypt", "-inkey", str(pem), "-in", str(tmp_path / "ours")],
        capture_output=True,
        check=True,
    )
    assert opened.stdout == message


def test_a_changed_ciphertext_or_another_key_is_refused_not_misread() -> None:
    private, public = crypto.sm2_key_pair()
    other_private, _ = crypto.sm2_key_pair()
    sealed = crypto.sm2_encrypt(public, b"k" * 16)
    assert sealed != crypto.sm2_encrypt(public, b"k" * 16)  # a fresh ephemeral key every time
    flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
    for bad in (flipped, sealed[:50], b"", b"\x02" + sealed[1:]):
        with pytest.raises(ValueError, match=r"SM2 ciphertext|this key"):
            crypto.sm2_decrypt(private, bad)
    with pytest.raises(ValueError, match=r"SM2 ciphertext|this key"):
        crypto.sm2_decrypt(other_private, sealed)


def test_a_point_off_the_curve_is_not_a_public_key() -> None:
    _, public = crypto.sm2_key_pair()
    assert crypto.sm2_public_key_valid(public)
    off = public[:-1] + ("0" if public[-1] != "0" else "1")
    for bad in (off, "0" * 128, public[:-2], "zz" * 64, "F" * 128):
        assert not crypto.sm2_public_key_valid(bad)
        with pytest.raises(ValueError, match="curve"):
            crypto.sm2_encrypt(bad, b"secret")
    assert not crypto.sm2_verify(off, b"data", "0" * 128)


def test_sm4_gcm_binds_its_associated_data() -> None:
    key, nonce = crypto.sm4_key(), b"\x01" * 12
    sealed = crypto.sm4_gcm_encrypt(key, b"bid", nonce=nonce, associated=b"project A")
    assert crypto.sm4_gcm_decrypt(key, sealed, nonce=nonce, associated=b"project A") == b"bid"
    for kwargs in ({"associated": b"project B"}, {"associated": b"project A", "nonce": b"\x02" * 12}):
        with pytest.raises(ValueError, match="open with this key"):
            crypto.sm4_gcm_decrypt(key, sealed, **{"nonce": nonce, **kwargs})
    with pytest.raises(ValueError, match="open with this key"):
        crypto.sm4_gcm_decrypt(crypto.sm4_key(), sealed, nonce=nonce, associated=b"project A")


def test_any_three_of_five_shares_give_the_key_back_and_two_do_not() -> None:
    private, _ = crypto.sm2_key_pair()
    shares = crypto.shares_split(bytes.fromhex(private), threshold=3, count=5)
    assert [index for index, _ in shares] == [1, 2, 3, 4, 5]
    for chosen in ([0, 1, 2], [4, 2, 0], [1, 3, 4]):
        assert crypto.shares_combine([shares[i] for i in chosen]).hex() == private
    assert crypto.shares_combine(shares[:2]).hex() != private
    with pytest.raises(ValueError, match="distinct shares"):
        crypto.shares_combine([shares[0], shares[0], shares[1]])
    with pytest.raises(ValueError, match="32-byte secret"):
        crypto.shares_split(b"short", threshold=3, count=5)
