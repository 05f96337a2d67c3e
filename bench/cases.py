"""Benchmark of case handling: submission + acceptance through the API, and the lists people work
from with a million cases in the database.

    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_cases .venv/bin/python bench/cases.py
    .venv/bin/python bench/cases.py --count 100000                      # embedded SQLite (var/bench-cases/)

Prepares the database (migrate, demo data, then bench/cases_fill.py up to --count cases), starts
gunicorn in production mode as bench/run.py does, and drives it over real HTTP from separate
processes with the demo clerk's and approver's bearer tokens and the approver's browser session:

- writes: each client submits a case for 食品经营许可（新办） (multipart, one scanned PDF per required
  material) and accepts it, as a window would; the table gives both requests and the pair;
- reads: the clerk's case list (the whole region), the approver's inbox (API and workbench page),
  the department's cases in review, one case in full.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
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
    pgbench_tps,
    prepared,
    report,
    serve,
    shell_json,
)


def _scan_pdf() -> bytes:
    """A real one-page PDF of about 40 kB (the upload checks parse what they accept)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setTitle("0" * 40_000)
    canvas.drawString(72, 720, "bench scan")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


PDF = _scan_pdf()
ITEM = "食品经营许可（新办）"
FORM = {"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"}

SETUP = """
import json
from yiwang.accounts.models import User
from yiwang.accounts.services import api_token_issue
from yiwang.cases.models import Case
from yiwang.catalogue.models import ItemImplementation

def token(name):
    return api_token_issue(user=User.objects.get(username=name))[0]

implementation = ItemImplementation.objects.get(current__name=ITEM, base_item__base_code__startswith="99")
case = Case.objects.filter(status="in_review", department=implementation.department).order_by("-id").first()
print(json.dumps({
    "clerk": token("demo-clerk"),
    "approver": token("demo-approver"),
    "session": session_for(User.objects.get(username="demo-approver")),
    "implementation": implementation.code,
    "materials": [
        m.pk for m in implementation.current.materials.all() if not m.shared_data and m.necessity == "required"
    ],
    "case": case.number,
}))
"""


def _setup(env: dict[str, str]) -> dict[str, object]:
    return shell_json(env, f"ITEM = {ITEM!r}\n{SESSION_FOR}\n{SETUP}")  # type: ignore[no-any-return]


def _multipart(fields: dict[str, str], files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, content in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="scan.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _writer(
    port: int,
    setup: dict[str, object],
    first: int,
    threads: int,
    seconds: float,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    fields = {
        "implementation": str(setup["implementation"]),
        "applicant_kind": "legal_person",
        "applicant_name": "示范餐饮有限公司",
        "applicant_id_type": "credit_code",
        "applicant_id_number": "91350100M000100Y43",
        "form_data": json.dumps(FORM, ensure_ascii=False),
    }
    files = {f"material_{pk}": PDF for pk in setup["materials"]}  # type: ignore[attr-defined]
    auth = {"Authorization": f"Bearer {setup['clerk']}", "X-Forwarded-Proto": "https"}
    accept_body = json.dumps({"opinion": "材料齐全，予以受理"}).encode()
    submit_times: list[float] = []
    accept_times: list[float] = []
    pair_times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: tuple[list[float], list[float], list[float]] = ([], [], [])
        failed: list[str] = []
        while time.monotonic() < stop_at:
            body, content_type = _multipart(fields, files)
            started = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    "/api/v1/cases",
                    body=body,
                    headers={**auth, "Content-Type": content_type, "Idempotency-Key": uuid.uuid4().hex},
                )
                response = connection.getresponse()
                payload = response.read()
                submitted = time.perf_counter()
                if response.status != 201:
                    failed.append(f"submit {response.status} {payload[:200]!r}")
                    continue
                number = json.loads(payload)["number"]
                connection.request(
                    "POST",
                    f"/api/v1/cases/{number}/actions/accept",
                    body=accept_body,
                    headers={**auth, "Content-Type": "application/json"},
                )
                response = connection.getresponse()
                payload = response.read()
                done = time.perf_counter()
                if response.status != 200:
                    failed.append(f"accept {response.status} {payload[:200]!r}")
                    continue
                mine[0].append(submitted - started)
                mine[1].append(done - submitted)
                mine[2].append(done - started)
            except (OSError, http.client.HTTPException) as error:
                failed.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.close()
        with lock:
            submit_times.extend(mine[0])
            accept_times.extend(mine[1])
            pair_times.extend(mine[2])
            errors.extend(failed)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((submit_times, accept_times, pair_times, errors))


def measure_writes(port: int, setup: dict[str, object], concurrency: int, seconds: float) -> list[tuple[str, Result]]:
    outputs, elapsed_seconds = load_processes(_writer, (port, setup), concurrency, seconds)
    series: tuple[list[float], list[float], list[float]] = ([], [], [])
    errors: list[str] = []
    for submit_times, accept_times, pair_times, failed in outputs:
        series[0].extend(submit_times)
        series[1].extend(accept_times)
        series[2].extend(pair_times)
        errors.extend(failed)
    elapsed = round(elapsed_seconds, 2)
    for message in errors[:5]:
        print("  error:", message, file=sys.stderr)
    rows = []
    labels = ("API submit (multipart)", "API accept", "submit + accept")
    for label, values in zip(labels, series, strict=True):
        values.sort()
        rows.append(
            (
                label,
                Result(
                    endpoint=label,
                    concurrency=concurrency,
                    requests=len(values),
                    errors=len(errors),
                    seconds=elapsed,
                    rps=round(len(values) / seconds, 1),
                    p50_ms=round(_percentile(values, 0.50) * 1000, 1),
                    p95_ms=round(_percentile(values, 0.95) * 1000, 1),
                    p99_ms=round(_percentile(values, 0.99) * 1000, 1),
                    queries_per_request=0.0,
                ),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000, help="cases in the database")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", default="1,8,32", help="for the reads (0: no reads)")
    parser.add_argument("--write-concurrency", default="32", help="for submission + acceptance")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-cases", help="for SQLite")
    parser.add_argument("--pgbench-seconds", type=int, default=10, help="0: no pgbench run")
    args = parser.parse_args()

    env, engine = prepared(args.var_dir)
    subprocess.run([PYTHON, str(ROOT / "bench" / "cases_fill.py"), "--count", str(args.count)], env=env, check=True)
    setup = _setup(env)
    clerk = {"Authorization": f"Bearer {setup['clerk']}"}
    approver = {"Authorization": f"Bearer {setup['approver']}"}
    page = {"Cookie": f"sessionid={setup['session']}"}
    reads = [
        ("clerk: case list, region", "/api/v1/cases?page_size=20", clerk),
        ("clerk: overdue cases", "/api/v1/cases?overdue=true&page_size=20", clerk),
        ("approver: inbox (API)", "/api/v1/cases?queue=inbox&page_size=20", approver),
        ("approver: inbox (page)", "/workbench/cases/?queue=inbox", page),
        ("approver: in review (API)", "/api/v1/cases?status=in_review&page_size=20", approver),
        ("case detail (API)", f"/api/v1/cases/{setup['case']}", approver),
    ]

    results: list[tuple[str, Result]] = []
    with serve(env, args.workers, args.threads) as port:
        for label, path, headers in reads if args.concurrency != "0" else []:
            measure(port, path, 2, 1.0, headers)  # warm up connections and caches
            for concurrency in (int(c) for c in args.concurrency.split(",")):
                results.append((label, measure(port, path, concurrency, args.seconds, headers)))
        for concurrency in (int(c) for c in args.write_concurrency.split(",")):
            results += measure_writes(port, setup, concurrency, args.seconds)
    # The database's own rate in the same run, for scale (the machine is shared: only same-run ratios compare).
    tps = pgbench_tps(env.get("DATABASE_URL"), args.pgbench_seconds) if args.pgbench_seconds else None
    mean_pairs = statistics.fmean(r.rps for label, r in results if label == "submit + accept")
    report(
        f"Yiwang case benchmark — {engine}, {args.count} cases, gunicorn {args.workers}×{args.threads}, "
        f"{args.seconds:g}s per row, {os.cpu_count()} CPU cores shared by server and load "
        f"(≈{mean_pairs:.0f} cases submitted and accepted per second)"
        + (
            f"; pgbench read-write {tps:.0f} TPS in the same run: pairs/s = {100 * mean_pairs / tps:.2f}% of it"
            if tps
            else "; pgbench: not measured (SQLite)"
        ),
        results,
        f"cases-{engine}",
        {"engine": engine, "count": args.count},
    )


if __name__ == "__main__":
    main()
