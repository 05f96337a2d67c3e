"""Benchmark of finding things in a large catalogue: search and guide pages with 20,000 implementations.

    .venv/bin/python bench/catalogue.py                                   # embedded SQLite (var/bench-catalogue/)
    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_catalogue .venv/bin/python bench/catalogue.py

Prepares the database (migrate, demo data, then bench/catalogue_fill.py up to --count items), starts
gunicorn in production mode as bench/run.py does, and drives it over real HTTP from separate processes.
Prints requests/s, latency percentiles and SQL queries per request for each page and concurrency.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PYTHON, ROOT, Result, measure, prepared, report, serve, shell_line


def _guide_code(env: dict[str, str]) -> str:
    script = (
        "from yiwang.catalogue.models import ItemImplementation as I;"
        "print(I.objects.get(current__name='食品经营许可（新办）', base_item__base_code__startswith='99').code)"
    )
    return shell_line(env, script, development=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000, help="implementations in the catalogue")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-catalogue", help="for SQLite")
    args = parser.parse_args()

    env, engine = prepared(args.var_dir)
    subprocess.run([PYTHON, str(ROOT / "bench" / "catalogue_fill.py"), "--count", str(args.count)], env=env, check=True)
    code = _guide_code(env)
    pages = {
        f"/search/?q={quote('身份证')}": "portal search, few matches",
        f"/search/?q={quote('许可')}": "portal search, thousands of matches",
        f"/search/?q={quote('如何办理食品经营许可')}": "portal search, a whole question",
        "/search/?q=spjyxk": "portal search, pinyin initials",
        f"/api/v1/catalogue/implementations?q={quote('营业执照')}": "API search",
        f"/items/{code}/": "guide page",
        f"/api/v1/catalogue/implementations/{code}": "guide API",
    }

    results: list[tuple[str, Result]] = []
    with serve(env, args.workers, args.threads) as port:
        concurrencies = [int(c) for c in args.concurrency.split(",")]
        for path, label in pages.items():
            measure(port, path, 2, 1.0)  # warm up: connections, jieba's dictionary, each worker's index
            for concurrency in concurrencies:
                results.append((label, measure(port, path, concurrency, args.seconds)))
    report(
        f"Yiwang catalogue benchmark — {engine}, {args.count} implementations, gunicorn {args.workers}×"
        f"{args.threads}, {args.seconds:g}s per row, {os.cpu_count()} CPU cores shared by server and load",
        results,
        f"catalogue-{engine}",
        {"engine": engine, "count": args.count},
    )


if __name__ == "__main__":
    main()
