"""Benchmark of the e-licence service (issue 7): bulk import of existing licences per second by the
number of signing processes, and the public verification API and page over real HTTP.

    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_licences .venv/bin/python bench/licences_service.py
    .venv/bin/python bench/licences_service.py --rows 2000            # embedded SQLite (var/bench-licences/)

Prepares the database (migrate, demo data), then for each worker count imports a fresh CSV of
``--rows`` 居民身份证 licences through the same code as the import page (checked in full, signed
across processes, written in one transaction) and times it; then starts gunicorn in production mode
as bench/run.py does and verifies one of the imported licences by API and page. Each verification is
also an audit record, so the verification rows include that write.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PYTHON, ROOT, Result, _ensure_postgres_database, _prepare, _server_env, measure, report, serve

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
last = Licence.objects.order_by("-pk").first()
print(json.dumps({"seconds": elapsed, "identifier": last.identifier, "total": Licence.objects.count()}))
"""


def _import(env: dict[str, str], rows: int, workers: int) -> dict[str, object]:
    out = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", f"ROWS = {rows}\nWORKERS = {workers}\n{IMPORT}"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000, help="licences per import")
    parser.add_argument("--sign-workers", default="1,2", help="comma-separated signing process counts")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-licences", help="for SQLite")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or None
    engine = "postgresql" if database_url else "sqlite"
    args.var_dir.mkdir(parents=True, exist_ok=True)
    env = _server_env(database_url, args.var_dir)
    if database_url:
        _ensure_postgres_database(database_url)
    _prepare(env)

    print(f"\nBulk import of {args.rows} licences ({engine}, {os.cpu_count()} CPU cores)\n")
    print(f"{'signing processes':>17} {'seconds':>8} {'licences/s':>11}")
    print("-" * 38)
    identifier = ""
    imports = []
    for workers in (int(w) for w in args.sign_workers.split(",")):
        done = _import(env, args.rows, workers)
        seconds = float(done["seconds"])  # type: ignore[arg-type]
        identifier = str(done["identifier"])
        imports.append({"workers": workers, "seconds": seconds, "per_second": args.rows / seconds})
        print(f"{workers:>17} {seconds:>8.2f} {args.rows / seconds:>11.1f}")

    results: list[tuple[str, Result]] = []
    reads = [
        ("verify API", f"/api/v1/licences/verify?identifier={identifier}"),
        ("verify page", f"/licences/verify/?identifier={identifier}"),
        ("verify API, unknown identifier", "/api/v1/licences/verify?identifier=1.2.156.3005.2.X"),
    ]
    with serve(env, args.workers, args.threads) as port:
        for label, path in reads:
            measure(port, path, 2, 1.0)
            for concurrency in (int(c) for c in args.concurrency.split(",")):
                results.append((label, measure(port, path, concurrency, args.seconds)))
    report(
        f"Yiwang e-licence verification — {engine}, gunicorn {args.workers}×{args.threads}, {args.seconds:g}s per "
        f"row, {os.cpu_count()} CPU cores shared by server and load",
        results,
        f"licences-{engine}",
        {"engine": engine, "rows": args.rows, "imports": imports},
    )


if __name__ == "__main__":
    main()
