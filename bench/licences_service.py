"""Benchmark of the e-licence service (issues 7 and 22): bulk import of existing licences per second by
the number of signing processes, and the public verification API and page over real HTTP.

    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_licences .venv/bin/python bench/licences_service.py
    DATABASE_URL=… .venv/bin/python bench/licences_service.py --existing 1735000 --rows 20000
    .venv/bin/python bench/licences_service.py --rows 2000            # embedded SQLite (var/bench-licences/)

Prepares the database (migrate, demo data), then for each worker count imports a fresh CSV of
``--rows`` 居民身份证 licences through the same code as the import page (checked in full, signed,
written in one transaction) and times it end to end; ``--existing`` first fills the licence table up
to that many rows by SQL (PostgreSQL only; unsigned filler of the same type, never verified), so that
the import is timed against a table the size of a province's year (Guangzhou issued 1.735 million
e-licences in one). Then it starts gunicorn in production mode as bench/run.py does and verifies the
same licence again and again (by API and page: each server process remembers an SM2 answer for the
exact content), then a random one of the imported licences each time (mostly a fresh SM2
verification). Each verification is also an audit record, so every row includes that write. With
PostgreSQL, the machine's pgbench figure of the same run is printed beside the tables.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    PYTHON,
    ROOT,
    Result,
    _percentile,
    load_processes,
    measure,
    pgbench_tps,
    prepared,
    report,
    serve,
    shell_json,
)

GUANGZHOU_YEAR = 1_735_000  # e-licences Guangzhou issued in a year (issue 22)

IMPORT = """
import json, time
from yiwang.core.identifiers import resident_id_with_check
from yiwang.licences.importer import licences_import
from yiwang.licences.models import Licence

HEADER = "证照类型代码,证照编号,持证主体,持证主体代码,颁发日期,有效期起始日期,有效期截止日期,性别,民族,出生日期,住址"
start = Licence.objects.count()
lines = [HEADER]
for n in range(ROWS):
    serial = start + n
    code = resident_id_with_check(f"1101011970{1 + serial // 28 % 12:02d}{1 + serial % 28:02d}{serial % 1000:03d}")
    lines.append(f"99001,BENCH-{serial:08d},居民{serial},{code},2020-05-01,2020-05-01,,女,汉,1970-01-01,示范市城东区")
data = ("\\n".join(lines) + "\\n").encode("utf-8-sig")
started = time.perf_counter()
report = licences_import(actor=None, data=data, name="bench.csv", workers=WORKERS)
elapsed = time.perf_counter() - started
assert report.issued == ROWS, report.errors[:3]
identifiers = list(Licence.objects.order_by("-pk").values_list("identifier", flat=True)[:ROWS])
with open(IDENTIFIERS, "w") as out:
    out.write(" ".join(identifiers))
print(json.dumps({"seconds": elapsed, "identifier": identifiers[0], "total": Licence.objects.count()}))
"""


def _import(env: dict[str, str], rows: int, workers: int, identifiers: Path) -> dict[str, object]:
    script = f"ROWS = {rows}\nWORKERS = {workers}\nIDENTIFIERS = {str(identifiers)!r}\n{IMPORT}"
    return shell_json(env, script, development=False)  # type: ignore[no-any-return]


PAD = """
from django.db import connection
from yiwang.licences.models import Licence

template = Licence.objects.order_by("-pk").first()
have = Licence.objects.count()
padded = Licence.objects.filter(identifier__startswith="PAD.").count()
columns = [f.column for f in Licence._meta.concrete_fields if not f.primary_key]
override = {
    "identifier": "'PAD.' || lpad(g::text, 9, '0')",
    "number": "'PAD-' || g",
    "holder_code_digest": "md5(g::text) || md5('d' || g::text)",
    "holder_account_id": "NULL",
    "replaces_id": "NULL",
    "case_id": "NULL",
}
values = ", ".join(override.get(c, c) for c in columns)
start = padded + 1
while have < TARGET:
    count = min(200_000, TARGET - have)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO licences_licence ({', '.join(columns)}) SELECT {values} "
            "FROM licences_licence, generate_series(%s, %s) AS g WHERE id = %s",
            [start, start + count - 1, template.pk],
        )
    start += count
    have += count
with connection.cursor() as cursor:
    cursor.execute("ANALYZE licences_licence")
print(have)
"""


def _pad(env: dict[str, str], target: int) -> int:
    """Fills the licence table up to ``target`` rows (PostgreSQL); returns how many it holds."""
    out = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", f"TARGET = {target}\n{PAD}"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def _random_client(
    port: int,
    identifiers: list[str],
    first: int,
    threads: int,
    seconds: float,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    """Verifies a different licence each time (none remembered yet by the server process)."""
    latencies: list[float] = []
    queries: list[int] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(seed: int) -> None:
        nonlocal errors
        chooser = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        mine_q: list[int] = []
        failed = 0
        while time.monotonic() < stop_at:
            path = f"/api/v1/licences/verify?identifier={chooser.choice(identifiers)}"
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
                response = connection.getresponse()
                body = response.read()
                if response.status != 200 or not json.loads(body).get("authentic"):
                    failed += 1
                mine.append(time.perf_counter() - started)
                mine_q.append(int(response.getheader("X-Query-Count", "0")))
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()
        with lock:
            latencies.extend(mine)
            queries.extend(mine_q)
            errors += failed

    pool = [threading.Thread(target=worker, args=(first + n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((latencies, queries, errors))


def measure_random(port: int, identifiers: list[str], concurrency: int, seconds: float) -> Result:
    outputs, elapsed = load_processes(_random_client, (port, identifiers), concurrency, seconds)
    latencies = sorted(v for got, _q, _e in outputs for v in got)
    queries = [q for _l, got, _e in outputs for q in got]
    return Result(
        endpoint="verify API, random licence",
        concurrency=concurrency,
        requests=len(latencies),
        errors=sum(e for _l, _q, e in outputs),
        seconds=round(elapsed, 2),
        rps=round(len(latencies) / seconds, 1),
        p50_ms=round(_percentile(latencies, 0.50) * 1000, 1),
        p95_ms=round(_percentile(latencies, 0.95) * 1000, 1),
        p99_ms=round(_percentile(latencies, 0.99) * 1000, 1),
        queries_per_request=round(statistics.fmean(queries), 2) if queries else 0.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000, help="licences per import")
    parser.add_argument(
        "--existing", type=int, default=0, help="licences in the table before the imports (PostgreSQL; filler added)"
    )
    parser.add_argument("--sign-workers", default="1,2", help="comma-separated signing process counts")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-licences", help="for SQLite")
    args = parser.parse_args()

    env, engine = prepared(args.var_dir)
    sign_workers = [int(w) for w in args.sign_workers.split(",")]
    if args.existing and engine == "postgresql":
        _import(env, 100, 1, args.var_dir / "identifiers.txt")  # a template row for the filler
        started = time.monotonic()
        held = _pad(env, args.existing)
        print(f"\nlicence table filled to {held:,} rows in {time.monotonic() - started:.0f}s (not timed below)")

    print(f"\nBulk import of {args.rows} licences ({engine}, {os.cpu_count()} CPU cores), end to end\n")
    print(f"{'signing processes':>17} {'rows before':>11} {'seconds':>8} {'licences/s':>11} {'1.735 million':>13}")
    print("-" * 64)
    identifier = ""
    imports = []
    for workers in sign_workers:
        done = _import(env, args.rows, workers, args.var_dir / "identifiers.txt")
        seconds = float(done["seconds"])  # type: ignore[arg-type]
        before = int(done["total"]) - args.rows  # type: ignore[call-overload]
        identifier = str(done["identifier"])
        rate = args.rows / seconds
        imports.append({"workers": workers, "seconds": seconds, "per_second": rate, "rows_before": before})
        print(f"{workers:>17} {before:>11,} {seconds:>8.2f} {rate:>11.1f} {GUANGZHOU_YEAR / rate / 60:>10.0f} min")

    results: list[tuple[str, Result]] = []
    identifiers = (args.var_dir / "identifiers.txt").read_text().split()
    reads = [
        ("verify API, the same licence", f"/api/v1/licences/verify?identifier={identifier}"),
        ("verify page, the same licence", f"/licences/verify/?identifier={identifier}"),
        ("verify API, unknown identifier", "/api/v1/licences/verify?identifier=1.2.156.3005.2.X"),
    ]
    with serve(env, args.workers, args.threads) as port:
        for label, path in reads:
            measure(port, path, 2, 1.0)
            for concurrency in (int(c) for c in args.concurrency.split(",")):
                results.append((label, measure(port, path, concurrency, args.seconds)))
        for concurrency in (int(c) for c in args.concurrency.split(",")):
            results.append(("verify API, random licence", measure_random(port, identifiers, concurrency, args.seconds)))
    tps = pgbench_tps(os.environ.get("DATABASE_URL"), 10)
    pgbench = (
        f"pgbench (same run, read-write, 8 clients, 10s): {tps:.0f} TPS"
        if tps is not None
        else "pgbench: not measured (SQLite run, or pgbench not installed)"
    )
    report(
        f"Yiwang e-licence verification — {engine}, gunicorn {args.workers}×{args.threads}, {args.seconds:g}s per "
        f"row, {os.cpu_count()} CPU cores shared by server and load",
        results,
        f"licences-{engine}",
        {"engine": engine, "rows": args.rows, "imports": imports, "pgbench_tps": tps},
    )
    print(pgbench)


if __name__ == "__main__":
    main()
