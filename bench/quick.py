"""The performance budget before a merge (``make bench-quick``, a few minutes): the hot paths at small scale,
in one process, with CPU and SQL per request beside their pinned budgets (docs/performance.md).

    .venv/bin/python bench/quick.py                                   # embedded SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/quick.py

Runs the budget tests (marked ``budget``, in tests/budgets/ and beside their contexts; each measures a
hot path with tests/budget.py and fails past its budget) and prints what they measured: the least CPU
time of a request over the rounds (the least disturbed one on a shared machine) and the median, the SQL
statements of one request in the steady state, and the budgets. On PostgreSQL, pgbench runs for a few
seconds in the same run for scale. Exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT / "bench"))

from run import pgbench_line  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pgbench-seconds", type=int, default=5)
    parser.add_argument("-k", default="", help="only the budgets whose test names match (pytest -k)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    engine = "postgresql" if database_url.startswith("postgres") else "sqlite"
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "budgets.jsonl"
        command = [
            PYTHON,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-m",
            "budget",
            "src",
            "tests",
        ]
        if args.k:
            command += ["-k", args.k]
        run = subprocess.run(
            command, cwd=ROOT, env={**os.environ, "YIWANG_BUDGET_REPORT": str(report)}, capture_output=True, text=True
        )
        rows = [json.loads(line) for line in report.read_text().splitlines()] if report.exists() else []
    pgbench = pgbench_line(database_url, args.pgbench_seconds)
    print(f"\nYiwang performance budget — {engine}, in one process, {os.cpu_count()} cores\n{pgbench}\n")
    width = max([len("hot path"), *(len(row["name"]) for row in rows)])
    print(f"{'hot path':<{width}} {'CPU ms best':>11} {'median':>7} {'budget':>7} {'SQL':>4} {'budget':>7}  ")
    print("-" * (width + 44))
    over = 0
    for row in rows:
        ok = row["cpu_ms"] <= row["cpu_budget_ms"] and row["sql"] <= row["sql_budget"]
        over += not ok
        print(
            f"{row['name']:<{width}} {row['cpu_ms']:>11.1f} {row['cpu_ms_median']:>7.1f} {row['cpu_budget_ms']:>7g} "
            f"{row['sql']:>4} {row['sql_budget']:>7}  {'ok' if ok else 'OVER'}"
        )
    print(f"\n{len(rows)} hot paths measured in {time.monotonic() - started:.0f} s")
    if run.returncode != 0:
        print(run.stdout[-4000:], run.stderr[-2000:], sep="\n")
        return 1
    return 1 if over or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
