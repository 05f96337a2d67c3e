"""Benchmark of the 12345 hotline: ticket creation over HTTP, dispatch suggestion latency per ticket,
and the supervisor's KPI dashboard with a city's year of tickets in the database.

    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_hotline .venv/bin/python bench/hotline.py
    .venv/bin/python bench/hotline.py --count 200000                   # embedded SQLite (var/bench-hotline/)

Prepares the database (migrate, demo data, bench/hotline_fill.py up to --count tickets — 7 million by
default, Guangzhou's 2017 volume — and a trained dispatch model), starts gunicorn in production mode
as bench/run.py does and drives it over real HTTP from separate processes:

- writes: channels submit tickets (`POST /api/v1/hotline/tickets`, an API key of scope hotline:submit,
  an Idempotency-Key each; duplicates are looked up and the due time computed as in service);
- reads: the supervisor's dashboard page (the last 30 days by unit, the twelve-month trend, calls and
  cards) and the KPI API by unit and by month, the ticket page of a new ticket with its suggestions;
- in process: the catalogue's and the learned dispatch suggestion for 500 tickets, one at a time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    PYTHON,
    ROOT,
    SESSION_FOR,
    Result,
    _percentile,
    load_processes,
    measure,
    prepared,
    report,
    serve,
    shell_json,
)

# Before the bulk fill: the learned suggestions train on the demo's realistic year of 20,000 tickets.
TRAIN = """
from yiwang.hotline.models import DispatchModel
from yiwang.hotline.learning import model_train
from yiwang.demo.history.hotline import history_generate

if not DispatchModel.objects.exists():
    history_generate(20000)
    model_train()
"""

SETUP = """
import json
from yiwang.accounts.api_keys import api_key_issue
from yiwang.accounts.models import User
from yiwang.hotline.models import Ticket

raw, _key = api_key_issue(actor=None, name="bench channel", scopes=["hotline:submit"])
new = Ticket.objects.filter(status="new").order_by("-created_at").values_list("number", flat=True).first()
print(json.dumps({"key": raw, "session": session_for(User.objects.get(username="demo-supervisor")), "new": new}))
"""

SUGGEST = """
import json, statistics, time
from yiwang.hotline.learning import suggestions_for
from yiwang.hotline.selectors import dispatch_suggestion
from yiwang.hotline.models import Ticket

tickets = list(Ticket.objects.filter(number__startswith="12345-B-").select_related("category", "region")[:500])
suggestions_for(tickets[0])  # loads the model once per process
out = {}
for name, suggest in (("catalogue", dispatch_suggestion), ("learned", suggestions_for)):
    times = []
    for ticket in tickets:
        started = time.perf_counter()
        suggest(ticket)
        times.append(time.perf_counter() - started)
    times.sort()
    out[name] = [len(times), times[len(times) // 2], times[int(len(times) * 0.95)], times[int(len(times) * 0.99)]]
print(json.dumps(out))
"""

BODY = {
    "kind": "complaint", "category": "CX0101", "description": "康宁里旁边每天夜里十一点以后还在打桩，噪音很大",
    "region": "990102002", "caller_phone": "13800138000", "channel": "app",
}  # fmt: skip


def _setup(env: dict[str, str]) -> dict[str, str]:
    return dict(shell_json(env, SESSION_FOR + SETUP))


def _writer(
    port: int,
    key: str,
    first: int,
    threads: int,
    seconds: float,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    body = json.dumps(BODY, ensure_ascii=False).encode()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        failed: list[str] = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request(
                    "POST", "/api/v1/hotline/tickets", body=body,
                    headers={
                        "X-API-Key": key, "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex,
                        "X-Forwarded-Proto": "https",
                    },
                )  # fmt: skip
                response = connection.getresponse()
                payload = response.read()
                if response.status != 201:
                    failed.append(f"{response.status} {payload[:200]!r}")
                    continue
                mine.append(time.perf_counter() - started)
            except (OSError, http.client.HTTPException) as error:
                failed.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.close()
        with lock:
            times.extend(mine)
            errors.extend(failed)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((times, errors))


def measure_creation(port: int, key: str, concurrency: int, seconds: float) -> Result:
    outputs, elapsed = load_processes(_writer, (port, key), concurrency, seconds)
    times = sorted(t for got, _e in outputs for t in got)
    errors = [e for _t, got in outputs for e in got]
    for message in errors[:5]:
        print("  error:", message, file=sys.stderr)
    return Result(
        endpoint="POST /api/v1/hotline/tickets", concurrency=concurrency, requests=len(times), errors=len(errors),
        seconds=round(elapsed, 2), rps=round(len(times) / seconds, 1),
        p50_ms=round(_percentile(times, 0.50) * 1000, 1), p95_ms=round(_percentile(times, 0.95) * 1000, 1),
        p99_ms=round(_percentile(times, 0.99) * 1000, 1), queries_per_request=0.0,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=7_000_000, help="tickets in the database")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", default="1,8", help="for the dashboard and the other reads")
    parser.add_argument("--write-concurrency", default="1,32", help="for ticket creation")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-hotline", help="for SQLite")
    args = parser.parse_args()

    env, engine = prepared(args.var_dir)
    subprocess.run([PYTHON, str(ROOT / "manage.py"), "shell", "-c", TRAIN], env=env, check=True)
    started = time.monotonic()
    subprocess.run([PYTHON, str(ROOT / "bench" / "hotline_fill.py"), "--count", str(args.count)], env=env, check=True)
    fill_seconds = round(time.monotonic() - started, 1)
    setup = _setup(env)
    suggest = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", SUGGEST], env=env, check=True, capture_output=True, text=True
    )
    suggestion = json.loads(suggest.stdout.strip().splitlines()[-1])
    print("\nDispatch suggestion per ticket, in process (500 tickets, one at a time)\n")
    print(f"{'':<12} {'tickets':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, (n, p50, p95, p99) in suggestion.items():
        print(f"{name:<12} {n:>7} {p50 * 1000:>8.2f} {p95 * 1000:>8.2f} {p99 * 1000:>8.2f}")

    end = date.today()
    start, year_ago = end - timedelta(days=29), end - timedelta(days=364)
    page = {"Cookie": f"sessionid={setup['session']}", "X-Forwarded-Proto": "https"}
    reads = [
        ("dashboard page (30 days by unit + 12-month trend)", "/workbench/hotline/dashboard/", page),
        ("KPI API, 30 days by unit", f"/api/v1/hotline/kpis?start={start}&end={end}&group=unit", page),
        ("KPI API, 12 months by month", f"/api/v1/hotline/kpis?start={year_ago}&end={end}&group=month", page),
    ]  # fmt: skip
    if setup.get("new"):
        reads.append(("ticket page with suggestions", f"/workbench/hotline/tickets/{setup['new']}/", page))
    results: list[tuple[str, Result]] = []
    with serve(env, args.workers, args.threads) as port:
        for label, path, headers in reads:
            measure(port, path, 1, 1.0, headers)  # warm up
            for concurrency in (int(c) for c in args.concurrency.split(",")):
                results.append((label, measure(port, path, concurrency, args.seconds, headers)))
        for concurrency in (int(c) for c in args.write_concurrency.split(",")):
            results.append(
                ("ticket creation (API key)", measure_creation(port, setup["key"], concurrency, args.seconds))
            )
    report(
        f"12345 hotline on {engine}, {args.count:,} tickets, gunicorn {args.workers}×{args.threads}, "
        f"{args.seconds:g} s a row (fill took {fill_seconds} s)",
        results,
        f"hotline-{engine}",
        {"engine": engine, "count": args.count, "suggestion": suggestion, "fill_seconds": fill_seconds},
    )


if __name__ == "__main__":
    main()
