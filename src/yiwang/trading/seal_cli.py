"""``yiwang-seal``: the bidder's sealing tool, installed with the package (docs/trading.md §5).

It runs on the bidder's own machine and imports no Django and no database: the bid's plain text and the
bidder's private key never leave that machine. Sub-commands:

    yiwang-seal keygen --out bidder.key                 a key pair; prints the public key to register
    yiwang-seal seal --key bidder.key --opening-key opening.pub --project CODE --lot 1 \\
        --bidder CREDIT_CODE --price 1234567.00 [--figure 工期=180天] [FILE …] --out bid.ywseal
    yiwang-seal unwrap --key bidder.key bid.ywseal      the content key to give at the opening
    yiwang-seal show bid.ywseal                         the header, to check before uploading
    yiwang-seal share --key custodian.key ENCRYPTED     a custodian's share of an opening key, after a
                                                        platform fault at the opening
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from yiwang.core.crypto import sm2_decrypt, sm2_key_pair, sm2_public_key, sm2_public_key_valid
from yiwang.trading.envelope import EnvelopeError, bid_pack, content_key_unwrap, envelope_parse, seal

MAX_ENVELOPE = 512 * 1024 * 1024


def _private_key(path: str) -> tuple[str, str]:
    private = Path(path).read_text(encoding="ascii").strip()
    try:
        return private, sm2_public_key(private)
    except ValueError:
        raise SystemExit(f"{path}: 不是 SM2 私钥文件 (not an SM2 private key)") from None


def _keygen(args: argparse.Namespace) -> None:
    private, public = sm2_key_pair()
    out = Path(args.out)
    if out.exists():
        raise SystemExit(f"{out} 已存在，不会覆盖 (exists: not overwritten)")
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(private + "\n")
    print(public)


def _seal(args: argparse.Namespace) -> None:
    private, public = _private_key(args.key)
    opening = Path(args.opening_key).read_text(encoding="ascii").strip()
    if not sm2_public_key_valid(opening):
        raise SystemExit(f"{args.opening_key}: 不是开标公钥 (not an SM2 public key)")
    figures = dict(item.split("=", 1) for item in args.figure)
    files = {Path(name).name: Path(name).read_bytes() for name in args.files}
    plain = bid_pack(price=args.price, files=files, figures=figures)
    sealed = seal(
        plain=plain,
        project=args.project,
        lot=args.lot,
        bidder=args.bidder,
        bidder_private_key=private,
        bidder_public_key=public,
        opening_public_key=opening,
    )
    Path(args.out).write_bytes(sealed)
    print(envelope_parse(sealed, max_bytes=MAX_ENVELOPE).digest)


def _unwrap(args: argparse.Namespace) -> None:
    private, _ = _private_key(args.key)
    envelope = envelope_parse(Path(args.envelope).read_bytes(), max_bytes=MAX_ENVELOPE)
    print(content_key_unwrap(envelope, private).hex())


def _share(args: argparse.Namespace) -> None:
    private, _ = _private_key(args.key)
    try:
        print(sm2_decrypt(private, bytes.fromhex(args.encrypted.strip())).hex())
    except ValueError:
        raise SystemExit("该份额不是用此私钥加密的 (this share was not encrypted to this key)") from None


def _show(args: argparse.Namespace) -> None:
    envelope = envelope_parse(Path(args.envelope).read_bytes(), max_bytes=MAX_ENVELOPE)
    print(json.dumps(envelope.header, ensure_ascii=False, indent=2))


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="yiwang-seal", description="投标文件加密工具 (sealing bids for Yiwang)")
    commands = root.add_subparsers(dest="command", required=True)
    keygen = commands.add_parser("keygen", help="生成 SM2 密钥对")
    keygen.add_argument("--out", required=True)
    keygen.set_defaults(run=_keygen)
    sealing = commands.add_parser("seal", help="加密投标文件")
    sealing.add_argument("--key", required=True)
    sealing.add_argument("--opening-key", required=True)
    sealing.add_argument("--project", required=True)
    sealing.add_argument("--lot", type=int, default=1)
    sealing.add_argument("--bidder", required=True)
    sealing.add_argument("--price", required=True)
    sealing.add_argument("--figure", action="append", default=[])
    sealing.add_argument("--out", required=True)
    sealing.add_argument("files", nargs="*")
    sealing.set_defaults(run=_seal)
    for name, run, text in (("unwrap", _unwrap, "开标时解密本单位的内容密钥"), ("show", _show, "查看信封头")):
        command = commands.add_parser(name, help=text)
        if name == "unwrap":
            command.add_argument("--key", required=True)
        command.add_argument("envelope")
        command.set_defaults(run=run)
    share = commands.add_parser("share", help="开标密钥保管人解出本人的密钥份额（仅在平台故障时使用）")
    share.add_argument("--key", required=True)
    share.add_argument("encrypted")
    share.set_defaults(run=_share)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except EnvelopeError as error:
        print(f"yiwang-seal: {error.code}: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"yiwang-seal: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
