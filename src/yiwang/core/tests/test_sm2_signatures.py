"""SM2 signatures: the C library (Tongsuo) and the pure-Python gmssl path give and accept the same
signatures, and both reproduce the worked example of GB/T 32918.5-2017 Annex A (the recommended
curve, the default identity, the message "message digest")."""

from __future__ import annotations

import platform
import secrets

import pytest

from yiwang.core import crypto

# GB/T 32918.5-2017 Annex A (GM/T 0003.5-2012): SM2 signature on the recommended curve.
EXAMPLE_PRIVATE = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"
EXAMPLE_PUBLIC = (
    "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
    "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13"
)
EXAMPLE_MESSAGE = b"message digest"
EXAMPLE_K = "59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21"
EXAMPLE_Z = "b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3"
EXAMPLE_E = "f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640"
EXAMPLE_SIGNATURE = (
    "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"  # r
    "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa"  # s
)


@pytest.fixture(params=["tongsuo", "gmssl"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test below runs with the C library and again with the pure-Python fallback."""
    if request.param == "tongsuo" and crypto._tongsuo_ec is None:
        pytest.skip("tongsuopy has no wheel for this platform")
    if request.param == "gmssl":
        monkeypatch.setattr(crypto, "_tongsuo_ec", None)
    return str(request.param)


def test_the_c_library_runs_where_it_has_a_wheel() -> None:
    """tongsuopy is pinned for Linux x86_64, macOS and Windows: there, a missing library is a broken install."""
    if platform.system() == "Linux" and platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("no tongsuopy wheel for Linux on this processor")
    assert crypto.SM2_BACKEND == "tongsuo"


def test_the_standard_example_key_pair(backend: str) -> None:
    assert crypto.sm2_public_key(EXAMPLE_PRIVATE) == EXAMPLE_PUBLIC


def test_the_standard_example_signature_verifies(backend: str) -> None:
    assert crypto.sm2_verify(EXAMPLE_PUBLIC, EXAMPLE_MESSAGE, EXAMPLE_SIGNATURE)
    assert crypto.sm2_verify(EXAMPLE_PUBLIC, EXAMPLE_MESSAGE, EXAMPLE_SIGNATURE.upper())
    assert not crypto.sm2_verify(EXAMPLE_PUBLIC, b"message digesT", EXAMPLE_SIGNATURE)
    changed_s = EXAMPLE_SIGNATURE[:-1] + ("b" if EXAMPLE_SIGNATURE[-1] != "b" else "c")
    assert not crypto.sm2_verify(EXAMPLE_PUBLIC, EXAMPLE_MESSAGE, changed_s)


def test_the_standard_example_signed_with_its_k() -> None:
    """Tongsuo draws k itself, so the published (r, s) is reproduced by the pure-Python path, whose Z and e
    are the standard's too; the C library verifies that signature above."""
    assert crypto.sm2_sign_python(EXAMPLE_PRIVATE, EXAMPLE_PUBLIC, EXAMPLE_MESSAGE, k=EXAMPLE_K) == EXAMPLE_SIGNATURE
    assert crypto._crypt("", EXAMPLE_PUBLIC)._sm3_z(EXAMPLE_MESSAGE) == EXAMPLE_E  # e = SM3(Z ‖ M)
    table = crypto._CURVE
    entl_id = "0080" + b"1234567812345678".hex()  # ENTL: the identity's length in bits, 16 × 8
    assert crypto.sm3_hex(bytes.fromhex(entl_id + table["a"] + table["b"] + table["g"] + EXAMPLE_PUBLIC)) == EXAMPLE_Z


def test_signatures_pass_both_ways_between_the_c_library_and_pure_python() -> None:
    """Licences signed before the C library still verify, and what it signs verifies with the old verifier;
    with many keys, so that keys whose x begins with 0 or 04 (gmssl's ``lstrip`` trap) come up too."""
    if crypto._tongsuo_ec is None:
        pytest.skip("tongsuopy has no wheel for this platform")
    data = "电子证照 1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U".encode()
    for _ in range(24):
        private, public = crypto.sm2_key_pair()
        signed_in_c = crypto.sm2_sign(private, public, data)
        signed_in_python = crypto.sm2_sign_python(private, public, data)
        assert len(signed_in_c) == len(signed_in_python) == crypto.SM2_SIGNATURE_HEX
        assert crypto.sm2_verify_python(public, data, signed_in_c)
        assert crypto.sm2_verify(public, data, signed_in_python)
        assert not crypto.sm2_verify(public, data + b" ", signed_in_python)
        assert not crypto.sm2_verify_python(public, data + b" ", signed_in_c)
    for leading in ("0", "04"):
        private, public = next((k, p) for k, p in iter(crypto.sm2_key_pair, None) if p.startswith(leading))
        assert crypto.sm2_verify_python(public, data, crypto.sm2_sign(private, public, data))
        assert crypto.sm2_verify(public, data, crypto.sm2_sign_python(private, public, data))


def test_a_key_made_once_signs_many_and_each_signature_is_fresh(backend: str) -> None:
    private, public = crypto.sm2_key_pair()
    key = crypto.SM2SigningKey(private, public)
    first, second = key.sign(b"licence"), key.sign(b"licence")
    assert first != second  # a fresh k each time
    assert crypto.sm2_verify(public, b"licence", first) and crypto.sm2_verify(public, b"licence", second)


def test_a_public_key_not_of_the_private_key_is_refused(backend: str) -> None:
    private, _public = crypto.sm2_key_pair()
    _other_private, other_public = crypto.sm2_key_pair()
    with pytest.raises(ValueError, match="not the private key's"):
        crypto.SM2SigningKey(private, other_public)
    with pytest.raises(ValueError, match="curve"):
        crypto.SM2SigningKey(private, "0" * 128)
    for bad in ("", "0" * 64, "zz" * 32, f"{crypto._N - 1:064x}"):
        with pytest.raises(ValueError, match="private key"):
            crypto.SM2SigningKey(bad, other_public)


def test_malformed_signatures_are_simply_invalid(backend: str) -> None:
    private, public = crypto.sm2_key_pair()
    good = crypto.sm2_sign(private, public, b"x")
    n = crypto._N
    bad = [
        "",
        good[:-2],
        good + "00",
        "zz" + good[2:],
        " " + good[1:],
        "0" * 128,
        f"{0:064x}{1:064x}",
        f"{1:064x}{0:064x}",
        f"{n:064x}{1:064x}",
        f"{1:064x}{n:064x}",
        "f" * 128,
        good[64:] + good[:64],
    ]
    bad += [secrets.token_hex(64) for _ in range(20)]
    for signature in bad:
        assert crypto.sm2_verify(public, b"x", signature) is False
    assert crypto.sm2_verify(public, b"x", good) is True
    assert crypto.sm2_verify("0" * 128, b"x", good) is False
