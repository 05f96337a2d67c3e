"""The sealed bid on its own (docs/trading.md §5): sealed on the bidder's side, refused when malformed or
sealed for someone else, opened only with the bidder's key or the rebuilt opening key; receipts' Merkle
tree with inclusion proofs."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from decimal import Decimal

import pytest

from yiwang.core import crypto
from yiwang.trading import envelope as env

MAX = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def keys() -> dict[str, tuple[str, str]]:
    return {"bidder": crypto.sm2_key_pair(), "opening": crypto.sm2_key_pair(), "other": crypto.sm2_key_pair()}


def _sealed(keys: dict[str, tuple[str, str]], *, price: str = "1234567.89") -> bytes:
    plain = env.bid_pack(price=price, files={"技术标.pdf": b"%PDF-1.7 technical offer"}, figures={"工期": "180天"})
    return env.seal(
        plain=plain,
        project="441500-2026-0001",
        lot=1,
        bidder="91441500MA4UXXXX1X",
        bidder_private_key=keys["bidder"][0],
        bidder_public_key=keys["bidder"][1],
        opening_public_key=keys["opening"][1],
    )


def _verify(sealed: bytes, keys: dict[str, tuple[str, str]], **overrides: object) -> env.Envelope:
    envelope = env.envelope_parse(sealed, max_bytes=MAX)
    expected: dict[str, object] = {
        "project": "441500-2026-0001",
        "lot": 1,
        "bidder": "91441500MA4UXXXX1X",
        "bidder_public_key": keys["bidder"][1],
        "opening_public_key": keys["opening"][1],
    }
    env.envelope_verify(envelope, **{**expected, **overrides})  # type: ignore[arg-type]
    return envelope


def test_a_sealed_bid_opens_with_the_bidders_key_or_the_opening_key_and_nothing_else(keys) -> None:  # type: ignore[no-untyped-def]
    sealed = _sealed(keys)
    assert b"1234567.89" not in sealed and "技术标".encode() not in sealed
    envelope = _verify(sealed, keys)
    by_bidder = env.content_key_unwrap(envelope, keys["bidder"][0])
    by_opening = env.content_key_unwrap(envelope, keys["opening"][0], wrapped_for="opening")
    assert by_bidder == by_opening
    opened = env.bid_unpack(env.envelope_open(envelope, by_bidder), max_total=MAX)
    assert str(opened.price) == "1234567.89"
    assert opened.figures == {"工期": "180天"}
    assert opened.files == {"技术标.pdf": 24}
    with pytest.raises(env.EnvelopeError) as refused:
        env.content_key_unwrap(envelope, keys["other"][0])
    assert refused.value.code == "wrong_key"
    with pytest.raises(env.EnvelopeError):
        env.envelope_open(envelope, crypto.sm4_key())


def test_an_envelope_sealed_for_someone_or_somewhere_else_is_refused(keys) -> None:  # type: ignore[no-untyped-def]
    sealed = _sealed(keys)
    for overrides, code in (
        ({"project": "441500-2026-0002"}, "wrong_project"),
        ({"lot": 2}, "wrong_lot"),
        ({"bidder": "91441500MA4UYYYY2Y"}, "wrong_bidder"),
        ({"opening_public_key": keys["other"][1]}, "wrong_opening_key"),
        ({"bidder_public_key": keys["other"][1]}, "wrong_bidder_key"),
    ):
        with pytest.raises(env.EnvelopeError) as refused:
            _verify(sealed, keys, **overrides)
        assert refused.value.code == code


def _rebuilt(header: dict[str, object], signature: bytes, ciphertext: bytes) -> bytes:
    body = env.canonical(header)
    return env.MAGIC + struct.pack(">I", len(body)) + body + struct.pack(">I", len(signature)) + signature + ciphertext


def test_malformed_envelopes_are_refused_with_a_code(keys) -> None:  # type: ignore[no-untyped-def]
    sealed = _sealed(keys)
    good = env.envelope_parse(sealed, max_bytes=MAX)
    signature = good.signature.encode()
    swapped = dict(good.header, lot=2)  # a field changed after signing
    grown = dict(good.header, extra="x")
    cases = {
        "not_sealed": [b"%PDF-1.7 an unsealed bid", b"", b"YWSEAL"],
        "malformed": [
            env.MAGIC + b"\xff\xff\xff\xff",
            env.MAGIC + struct.pack(">I", 3) + b"{}",
            _rebuilt(grown, signature, good.ciphertext),
            _rebuilt(dict(good.header, lot="1"), signature, good.ciphertext),
            _rebuilt(dict(good.header, nonce="zz" * 12), signature, good.ciphertext),
            env.MAGIC + struct.pack(">I", 4) + b"[1]\n" + struct.pack(">I", 0),
            # Hostile JSON: nesting past the recursion limit, an integer past Python's digit limit,
            # a key with a trailing line break (``$`` would have matched before it).
            env.MAGIC + struct.pack(">I", 15000) + b"[" * 15000 + struct.pack(">I", 0),
            env.MAGIC + struct.pack(">I", 5000) + b"9" * 5000 + struct.pack(">I", 0),
            _rebuilt(dict(good.header, nonce=good.header["nonce"][:-1] + "\n"), signature, good.ciphertext),
        ],
        "digest_mismatch": [sealed[:-1] + bytes([sealed[-1] ^ 1]), sealed + b"\x00"],
        "too_large": [sealed + b"\x00" * MAX],
    }
    for code, inputs in cases.items():
        for data in inputs:
            with pytest.raises(env.EnvelopeError) as refused:
                env.envelope_parse(data, max_bytes=MAX)
            assert refused.value.code == code, data[:40]
    with pytest.raises(env.EnvelopeError) as refused:
        _verify(_rebuilt(swapped, signature, good.ciphertext), keys, lot=2)  # well-formed, but not as signed
    assert refused.value.code == "bad_signature"
    header = json.loads(good.header_bytes)
    assert set(header) >= {"wrapped_for_bidder", "wrapped_for_opening", "ciphertext_sm3"}


def test_a_bid_that_would_expand_past_the_limit_is_refused_unread() -> None:
    plain = env.bid_pack(price="1.00", files={"big.bin": b"\x00" * 1_000_000})
    assert len(plain) < 10_000  # it compresses to almost nothing
    with pytest.raises(env.EnvelopeError) as refused:
        env.bid_unpack(plain, max_total=100_000)
    assert refused.value.code == "bid_too_large"
    no_price = io.BytesIO()
    with zipfile.ZipFile(no_price, "w") as archive:
        archive.writestr("bid.json", '{"prize": "1.00"}')
    for bad in (b"not a zip", no_price.getvalue()):
        with pytest.raises(env.EnvelopeError):
            env.bid_unpack(bad, max_total=100_000)
    with pytest.raises(env.EnvelopeError):
        env.bid_pack(price="1e9", files={})
    with pytest.raises(env.EnvelopeError):
        env.bid_pack(price="1.00\n", files={})


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_whatever_a_hostile_bidder_seals_inside_is_bad_bid_and_nothing_else() -> None:
    """The opening never fails with another error: a corrupt deflate stream, a huge bid.json, figures
    with control characters or too many of them are the bidder's bad bid."""
    good = _zip({"bid.json": b'{"price":"1.00","figures":{}}'})
    corrupt = bytearray(good)
    at = corrupt.index(b"bid.json") + len("bid.json")  # the first member's data follows its name
    corrupt[at : at + 8] = b"\xff" * 8
    cases = {
        "bad_bid": [
            bytes(corrupt),
            _zip({"bid.json": b'{"price":"1.00","figures":{"a":"\\u0000"}}'}),
            _zip({"bid.json": b'{"price":"1.00","figures":{"a":["list"]}}'}),
            _zip({"bid.json": json.dumps({"price": "1.00", "figures": {str(n): "x" for n in range(51)}}).encode()}),
            _zip({"bid.json": b'{"price":"1.00\\n"}'}),
        ],
        "bid_too_large": [_zip({"bid.json": b" " * (env.MAX_BID_JSON + 1)})],
    }
    for code, inputs in cases.items():
        for plain in inputs:
            with pytest.raises(env.EnvelopeError) as refused:
                env.bid_unpack(plain, max_total=1_000_000)
            assert refused.value.code == code, plain[:60]
    assert env.bid_unpack(good, max_total=1_000_000).price == Decimal("1.00")


@pytest.mark.parametrize("count", [1, 2, 3, 5, 7, 8, 13])
def test_every_receipt_proves_its_place_under_the_root(count: int) -> None:
    leaves = [f"receipt {i}".encode() for i in range(count)]
    root = env.merkle_root(leaves)
    for index, leaf in enumerate(leaves):
        proof = env.merkle_proof(leaves, index)
        assert env.merkle_verify(leaf, index, count, proof, root)
        assert not env.merkle_verify(leaf + b"!", index, count, proof, root)
        if count > 1:  # the proof is of this place: another place does not take it
            assert not env.merkle_verify(leaf, (index + 1) % count, count, proof, root)
    assert env.merkle_root([*leaves[:-1], b"swapped"]) != root
    assert env.merkle_root(list(reversed(leaves))) != root or count == 1


def test_the_bidders_tool_seals_on_its_own_without_django(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``yiwang-seal`` runs in a fresh interpreter that never imports Django; what it seals the platform
    parses, and what it unwraps opens the bid."""
    import subprocess
    import sys

    def tool(*args: str) -> str:
        code = (
            "import sys; from yiwang.trading.seal_cli import main; rc = main(sys.argv[1:]); "
            "assert 'django' not in sys.modules, 'the sealing tool imported Django'; sys.exit(rc)"
        )
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    public = tool("keygen", "--out", "bidder.key")
    assert crypto.sm2_public_key_valid(public)
    _opening_private, opening_public = crypto.sm2_key_pair()
    (tmp_path / "opening.pub").write_text(opening_public)
    (tmp_path / "报价单.pdf").write_bytes(b"%PDF-1.7 price list")
    digest = tool(
        "seal", "--key", "bidder.key", "--opening-key", "opening.pub", "--project", "441500-2026-0001",
        "--bidder", "91441500MA4UXXXX1X", "--price", "980000.00", "--figure", "工期=90天",
        "--out", "bid.ywseal", "报价单.pdf",
    )  # fmt: skip
    envelope = env.envelope_parse((tmp_path / "bid.ywseal").read_bytes(), max_bytes=MAX)
    assert envelope.digest == digest
    env.envelope_verify(
        envelope, project="441500-2026-0001", lot=1, bidder="91441500MA4UXXXX1X",
        bidder_public_key=public, opening_public_key=opening_public,
    )  # fmt: skip
    content_key = bytes.fromhex(tool("unwrap", "--key", "bidder.key", "bid.ywseal"))
    opened = env.bid_unpack(env.envelope_open(envelope, content_key), max_total=MAX)
    assert (str(opened.price), opened.figures, opened.files) == ("980000.00", {"工期": "90天"}, {"报价单.pdf": 19})
    assert json.loads(tool("show", "bid.ywseal"))["project"] == "441500-2026-0001"
    assert (tmp_path / "bidder.key").stat().st_mode & 0o077 == 0  # the private key is the bidder's alone
    custodian_public = tool("keygen", "--out", "custodian.key")
    share = bytes(range(32))
    assert tool("share", "--key", "custodian.key", crypto.sm2_encrypt(custodian_public, share).hex()) == share.hex()
