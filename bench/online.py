"""Benchmark of the online hall: citizens submitting applications online, and the pages they read.

    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_online .venv/bin/python bench/online.py
    .venv/bin/python bench/online.py                                     # embedded SQLite (var/bench-online/)

Prepares the database (migrate, demo data, bench/cases_fill.py up to --count cases, then --citizens
citizen accounts, each given a share of those cases as their own history), starts gunicorn in
production mode as bench/run.py does, and drives it over real HTTP from separate processes:

- writes: each client submits an online application for 居民身份证换领 through the API with a
  citizen's bearer token (multipart, one scanned PDF per required material): the same
  cases.services.case_submit the online hall's draft submission calls;
- reads: the item's guide page (anonymous), a citizen's "my cases" page (我的办件, session cookie)
  and one of their cases.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import PDF, _multipart
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

ITEM = "居民身份证换领"

SETUP = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from yiwang.core.identifiers import resident_id_with_check
from yiwang.accounts.models import User
from yiwang.accounts.services import api_token_issue, citizen_register
from yiwang.cases.models import Case
from yiwang.catalogue.models import ItemImplementation

implementation = ItemImplementation.objects.get(current__name=ITEM, base_item__base_code__startswith="99")
citizens = []
for n in range(CITIZENS):
    body = f"11010519900101{n:03d}"  # 6-digit region, birth date, sequence
    id_number = resident_id_with_check(body)
    user = User.objects.filter(username=f"bench-citizen-{n}").first()
    if user is None:
        user = citizen_register(
            full_name=f"市民{n}", id_number=id_number, phone=f"139{n:08d}", password="Bench-2026-pass!"
        )
        User.objects.filter(pk=user.pk).update(username=f"bench-citizen-{n}")
        user.refresh_from_db()
        # A history of their own: a slice of the generated cases.
        ids = list(Case.objects.filter(applicant_account__isnull=True).values_list("pk", flat=True)[:HISTORY])
        Case.objects.filter(pk__in=ids).update(applicant_account=user)
    citizens.append(user)
first = citizens[0]
print(json.dumps({
    "tokens": [api_token_issue(user=u)[0] for u in citizens],
    "id_numbers": [u.id_number for u in citizens],
    "names": [u.full_name for u in citizens],
    "session": session_for(first),
    "implementation": implementation.code,
    "materials": [
        m.pk for m in implementation.current.materials.all() if not m.shared_data and m.necessity == "required"
    ],
    "case": Case.objects.filter(applicant_account=first).order_by("-submitted_at").first().number,
}))
"""


def _setup(env: dict[str, str], citizens: int, history: int) -> dict[str, object]:
    script = f"ITEM = {ITEM!r}\nCITIZENS = {citizens}\nHISTORY = {history}\n{SESSION_FOR}\n{SETUP}"
    return shell_json(env, script)  # type: ignore[no-any-return]


def _submitter(
    port: int,
    setup: dict[str, object],
    first: int,
    threads: int,
    seconds: float,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    tokens: list[str] = setup["tokens"]  # type: ignore[assignment]
    files = {f"material_{pk}": PDF for pk in setup["materials"]}  # type: ignore[attr-defined]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(index: int) -> None:
        n = index % len(tokens)
        fields = {
            "implementation": str(setup["implementation"]),
            "applicant_kind": "natural_person",
            "applicant_name": setup["names"][n],  # type: ignore[index]
            "applicant_id_type": "resident_id",
            "applicant_id_number": setup["id_numbers"][n],  # type: ignore[index]
            "form_data": json.dumps({"reason": "有效期满", "pickup": "窗口领取"}, ensure_ascii=False),
        }
        headers = {"Authorization": f"Bearer {tokens[n]}", "X-Forwarded-Proto": "https"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        failed: list[str] = []
        while time.monotonic() < stop_at:
            body, content_type = _multipart(fields, files)
            started = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    "/api/v1/cases",
                    body=body,
                    headers={**headers, "Content-Type": content_type, "Idempotency-Key": uuid.uuid4().hex},
                )
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
            latencies.extend(mine)
            errors.extend(failed)

    pool = [threading.Thread(target=worker, args=(first + i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((latencies, errors))


def measure_submissions(port: int, setup: dict[str, object], concurrency: int, seconds: float) -> Result:
    outputs, elapsed = load_processes(_submitter, (port, setup), concurrency, seconds)
    latencies: list[float] = []
    errors: list[str] = []
    for got, failed in outputs:
        latencies.extend(got)
        errors.extend(failed)
    for message in errors[:5]:
        print("  error:", message, file=sys.stderr)
    latencies.sort()
    return Result(
        endpoint="POST /api/v1/cases",
        concurrency=concurrency,
        requests=len(latencies),
        errors=len(errors),
        seconds=round(elapsed, 2),
        rps=round(len(latencies) / seconds, 1),
        p50_ms=round(_percentile(latencies, 0.50) * 1000, 1),
        p95_ms=round(_percentile(latencies, 0.95) * 1000, 1),
        p99_ms=round(_percentile(latencies, 0.99) * 1000, 1),
        queries_per_request=0.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="cases in the database")
    parser.add_argument("--citizens", type=int, default=32, help="citizen accounts submitting")
    parser.add_argument("--history", type=int, default=60, help="earlier cases of each citizen")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-online", help="for SQLite")
    args = parser.parse_args()

    env, engine = prepared(args.var_dir)
    subprocess.run([PYTHON, str(ROOT / "bench" / "cases_fill.py"), "--count", str(args.count)], env=env, check=True)
    setup = _setup(env, args.citizens, args.history)
    page = {"Cookie": f"sessionid={setup['session']}"}
    reads = [
        ("guide page (anonymous)", f"/items/{setup['implementation']}/", {}),
        ("my page: my cases", "/my/", page),
        ("my page: cases done", "/my/?cases=done", page),
        ("one of my cases", f"/my/cases/{setup['case']}/", page),
    ]
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    results: list[tuple[str, Result]] = []
    with serve(env, args.workers, args.threads) as port:
        for label, path, headers in reads:
            measure(port, path, 2, 1.0, headers)  # warm up
            for concurrency in concurrencies:
                results.append((label, measure(port, path, concurrency, args.seconds, headers)))
        for concurrency in concurrencies:
            results.append(("online submission (API)", measure_submissions(port, setup, concurrency, args.seconds)))
    report(
        f"Yiwang online hall benchmark — {engine}, {args.count} cases, {args.citizens} citizens, gunicorn "
        f"{args.workers}×{args.threads}, {args.seconds:g}s per row, {os.cpu_count()} CPU cores shared by server "
        "and load",
        results,
        f"online-{engine}",
        {"engine": engine, "count": args.count, "citizens": args.citizens},
    )


if __name__ == "__main__":
    main()
