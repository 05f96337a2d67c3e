"""Audit-trail benchmark: appends per second under concurrency, then sealing and verification.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yiwang_bench .venv/bin/python bench/audit.py
    .venv/bin/python bench/audit.py                      # embedded SQLite (var/bench/)

Each writer process appends records through ``audit_record`` in its own short transactions, as
business services do, for a fixed time; the table shows appends/s and per-append latency at each
concurrency. Then the sealer chains everything written and ``audit_verify`` walks the whole chain.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
os.environ.setdefault("YIWANG_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("YIWANG_LOG_LEVEL", "WARNING")
os.environ["YIWANG_TASKS_IMMEDIATE"] = "false"


def _setup() -> None:
    import django

    django.setup()


def _writer(seconds: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    _setup()
    from django.db import connection, transaction

    from yiwang.audit.services import audit_record

    latencies: list[float] = []
    stop_at = time.monotonic() + seconds
    n = 0
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        with transaction.atomic():
            audit_record(
                actor=None,
                action="bench.append",
                object_type="bench",
                object_id=str(n),
                changes={"status": ["submitted", "accepted"], "note": ["", "受理"]},
            )
        latencies.append(time.perf_counter() - started)
        n += 1
    connection.close()
    out.put(latencies)


def _percentile(values: list[float], fraction: float) -> float:
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", default="1,8,32")
    args = parser.parse_args()

    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        sys.path.insert(0, str(ROOT / "bench"))
        from run import _ensure_postgres_database

        _ensure_postgres_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    engine = connection.vendor
    connection.close()

    # Force the sealer to wait for explicit runs, so appends are measured alone.
    from django.core.cache import cache

    rows = []
    for concurrency in [int(c) for c in args.concurrency.split(",")]:
        cache.clear()
        queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
        procs = [multiprocessing.Process(target=_writer, args=(args.seconds, queue)) for _ in range(concurrency)]
        started = time.monotonic()
        for proc in procs:
            proc.start()
        latencies: list[float] = []
        for _ in procs:
            latencies.extend(queue.get(timeout=args.seconds + 120))
        for proc in procs:
            proc.join()
        elapsed = time.monotonic() - started
        latencies.sort()
        rows.append((concurrency, len(latencies), len(latencies) / args.seconds, latencies, elapsed))

    from yiwang.audit.models import AuditRecord
    from yiwang.audit.services import audit_seal, audit_verify

    pending = AuditRecord.objects.filter(seal__isnull=True).count()
    started = time.perf_counter()
    sealed = 0
    while batch := audit_seal(limit=5000):
        sealed += batch
    seal_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = audit_verify()
    verify_seconds = time.perf_counter() - started

    print(f"\nYiwang audit-trail benchmark — {engine}, {args.seconds:g}s per row, {os.cpu_count()} CPU cores\n")
    header = f"{'writers':>7} {'appends':>8} {'appends/s':>10} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(header)
    print("-" * len(header))
    for concurrency, count, rate, latencies, _elapsed in rows:
        print(
            f"{concurrency:>7} {count:>8} {rate:>10.0f} {_percentile(latencies, 0.5) * 1000:>7.2f} "
            f"{_percentile(latencies, 0.95) * 1000:>7.2f} {_percentile(latencies, 0.99) * 1000:>7.2f}"
        )
    print(
        f"\nsealer: {sealed} of {pending} pending records chained in {seal_seconds:.2f}s "
        f"({sealed / seal_seconds if seal_seconds else 0:,.0f}/s)"
    )
    state = "intact" if result.ok else result.problem
    rate = result.checked / verify_seconds if verify_seconds else 0
    print(f"verify: {result.checked} sealed records walked in {verify_seconds:.2f}s ({rate:,.0f}/s) — {state}")


if __name__ == "__main__":
    main()
