"""Benchmark of the leaders' screens at a city's scale: the service-performance dashboard and the KPI API
with 1 million and then 11 million cases in the database (Guangzhou's annual volume), read from the
aggregates — the two should cost about the same.

    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_oversight .venv/bin/python bench/oversight.py
    .venv/bin/python bench/oversight.py --counts 20000,100000            # embedded SQLite (var/bench-oversight/)

For each count: bench/cases_fill.py adds the missing cases over a year (``--days 365``), then
``manage.py oversight_kpis rebuild`` recounts the aggregates from the records (timed), then gunicorn in
production mode serves and separate load processes read over real HTTP:

- the dashboard page (30 days by department: tiles, twelve-month trends, the ranking, channels, the
  table and cards), the same by item, and its Excel export;
- the KPI API: 30 days by department, twelve months by month;
- the cards page and the window assessment.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    PYTHON,
    ROOT,
    SESSION_FOR,
    Result,
    measure,
    prepared,
    report,
    serve,
    shell_json,
)

SETUP = """
import json
from yiwang.accounts.models import User
print(json.dumps({"session": session_for(User.objects.get(username="demo-centre-admin"))}))
"""


def _session(env: dict[str, str]) -> str:
    return str(shell_json(env, SESSION_FOR + SETUP)["session"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", default="1000000,11000000", help="cases in the database, in turn")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-oversight", help="for SQLite")
    args = parser.parse_args()

    env, engine = prepared(args.var_dir)
    end = date.today()
    start, year_ago = end - timedelta(days=29), end.replace(day=1) - timedelta(days=334)
    results: list[tuple[str, Result]] = []
    timings: dict[str, dict[str, float]] = {}
    for count in (int(c) for c in args.counts.split(",")):
        started = time.monotonic()
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "cases_fill.py"), "--count", str(count), "--days", "365"], env=env, check=True
        )
        filled = round(time.monotonic() - started, 1)
        started = time.monotonic()
        subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), "oversight_kpis", "rebuild", "--start", str(end - timedelta(days=400)),
             "--end", str(end)],
            env=env, check=True,
        )  # fmt: skip
        rebuilt = round(time.monotonic() - started, 1)
        timings[str(count)] = {"fill_seconds": filled, "rebuild_seconds": rebuilt}
        print(f"\n{count:,} cases: fill {filled} s, aggregates rebuilt in {rebuilt} s", flush=True)
        page = {"Cookie": f"sessionid={_session(env)}", "X-Forwarded-Proto": "https"}
        reads = [
            ("dashboard page (30 days by department)", "/workbench/oversight/"),
            ("dashboard page (30 days by item)", "/workbench/oversight/?group=item"),
            ("dashboard as Excel", "/workbench/oversight/?format=xlsx"),
            ("KPI API, 30 days by department", f"/api/v1/oversight/kpis?start={start}&end={end}&group=department"),
            ("KPI API, 12 months by month", f"/api/v1/oversight/kpis?start={year_ago}&end={end}&group=month"),
            ("cards page", "/workbench/oversight/cards/"),
            ("window assessment", "/workbench/oversight/windows/"),
        ]
        with serve(env, args.workers, args.threads) as port:
            for label, path in reads:
                measure(port, path, 1, 1.0, page)  # warm up
                for concurrency in (int(c) for c in args.concurrency.split(",")):
                    results.append((f"{count:,} cases: {label}", measure(port, path, concurrency, args.seconds, page)))
    report(
        f"Service performance dashboard on {engine}, gunicorn {args.workers}×{args.threads}, {args.seconds:g} s a row",
        results,
        f"oversight-{engine}",
        {"engine": engine, "counts": args.counts, "timings": timings},
    )


if __name__ == "__main__":
    main()
