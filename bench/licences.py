"""SM2 signing and verification per second (issue 7): one process, then several in parallel.

    .venv/bin/python bench/licences.py [--seconds 3] [--workers 1,2,4]

Signs and verifies the canonical form of a licence-sized record with the software signer
(yiwang.licences.signing, pure-Python gmssl) and prints a table of operations per second.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

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


def _work(kind: str, seconds: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    private, public = key_pair_generate()
    signer = SoftwareSigner(private, public)
    data = canonical(RECORD)
    signature = signer.sign(data)
    done = 0
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        if kind == "sign":
            signer.sign(data)
        else:
            assert signature_valid(public, data, signature)
        done += 1
    out.put(done)


def run(kind: str, workers: int, seconds: float) -> float:
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    processes = [multiprocessing.Process(target=_work, args=(kind, seconds, queue)) for _ in range(workers)]
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
    args = parser.parse_args()
    print(f"\nSM2 (gmssl, pure Python) on {os.cpu_count()} CPU cores, {args.seconds:g}s a row\n")
    print(f"{'operation':<10} {'workers':>7} {'per second':>11}")
    print("-" * 30)
    for kind in ("sign", "verify"):
        for workers in (int(w) for w in args.workers.split(",")):
            print(f"{kind:<10} {workers:>7} {run(kind, workers, args.seconds):>11.1f}")


if __name__ == "__main__":
    main()
