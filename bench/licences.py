"""SM2 signing and verification per second (issues 7 and 22): one process, then several in parallel,
for the implementation the platform runs and for the pure-Python one it falls back to.

    .venv/bin/python bench/licences.py [--seconds 3] [--workers 1,2,4] [--no-python]

Signs and verifies the canonical form of a licence-sized record with the software signer
(yiwang.licences.signing: Tongsuo's SM2 in C through tongsuopy, where it is installed) and with
gmssl's pure-Python SM2 (core.crypto's fallback and the reference it is tested against), and prints
a table of operations per second.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from yiwang.core import crypto
from yiwang.licences.signing import SoftwareSigner, canonical, key_pair_generate, signature_valid

RECORD = {
    "identifier": "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
    "type": "食品经营许可证",
    "holder": "示范餐饮有限公司",
    "holder_code": "91350100M000100Y43",
    "issuer": "示范市市场监督管理局",
    "issued_on": "2026-11-22",
    "valid_until": "2031-11-21",
}
IMPLEMENTATIONS = {
    "tongsuo": "Tongsuo (C, tongsuopy)",
    "gmssl": "gmssl (pure Python)",
}


def _work(implementation: str, kind: str, seconds: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    private, public = key_pair_generate()
    data = canonical(RECORD)
    if implementation == "gmssl":

        def sign() -> str:
            return crypto.sm2_sign_python(private, public, data)

        def verify(signature: str) -> bool:
            return crypto.sm2_verify_python(public, data, signature)
    else:
        signer = SoftwareSigner(private, public)

        def sign() -> str:
            return signer.sign(data)

        def verify(signature: str) -> bool:
            return signature_valid(public, data, signature)

    signature = sign()
    done = 0
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        if kind == "sign":
            sign()
        else:
            assert verify(signature)
        done += 1
    out.put(done)


def run(implementation: str, kind: str, workers: int, seconds: float) -> float:
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    processes = [
        multiprocessing.Process(target=_work, args=(implementation, kind, seconds, queue)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    total = sum(queue.get(timeout=seconds + 60) for _ in processes)
    for process in processes:
        process.join()
    return total / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--workers", default="1,2,4", help="comma-separated process counts")
    parser.add_argument("--no-python", action="store_true", help="leave out the pure-Python rows")
    args = parser.parse_args()
    implementations = [crypto.SM2_BACKEND]
    if crypto.SM2_BACKEND != "gmssl" and not args.no_python:
        implementations.append("gmssl")
    print(
        f"\nSM2 signatures (the platform runs {IMPLEMENTATIONS[crypto.SM2_BACKEND]}) on {os.cpu_count()} CPU "
        f"cores, {args.seconds:g}s a row\n"
    )
    print(f"{'implementation':<24} {'operation':<10} {'workers':>7} {'per second':>11}")
    print("-" * 55)
    for implementation in implementations:
        for kind in ("sign", "verify"):
            for workers in (int(w) for w in args.workers.split(",")):
                rate = run(implementation, kind, workers, args.seconds)
                print(f"{IMPLEMENTATIONS[implementation]:<24} {kind:<10} {workers:>7} {rate:>11.1f}")


if __name__ == "__main__":
    main()
