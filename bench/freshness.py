"""Benchmark of the figures' freshness (core.dirty_days; docs/architecture.md, "Figures that stay current"):
how long after a write commits the hotline's KPI aggregates and the oversight's case aggregates include
it, under a steady stream of writes with a Huey consumer running — and after the consumer is killed.

    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_freshness REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/freshness.py
    .venv/bin/python bench/freshness.py --rate 50 --seconds 60        # embedded SQLite (var/bench-freshness/)

Prepares the database as bench/run.py does (migrate, demo data) and one case submitted at the window to
copy, then starts a Huey consumer (``manage.py run_huey --workers 2``, production mode, Huey on SQLite
or on Redis with ``REDIS_URL``) and, in separate processes:

- a writer: ``--rate`` writes a second for ``--seconds``, two in five 12345 tickets through
  ``hotline.services.ticket_create`` and three in five cases saved as the case's own row (a copy of the
  submitted one: its signals and marks are the service's, without its files and checks — bench/cases.py
  measures those), each kind from one thread, each write its own transaction;
- an observer: every 50 ms, the tickets counted by ``TicketDaily`` and the cases by ``CaseDaily`` since
  the stream's first day — what the dashboards read.

A kind's writes commit one after another, so its figure counts a prefix of them: the k-th write is in the
figures at the first sample that counts k. Its lag runs from the moment the write began (an upper
bound: the commit comes later) to the end of that sample's query. ``--kill-at`` seconds into the stream
the consumer is killed with SIGKILL and started again at once. Afterwards ``hotline_kpis check`` and
``oversight_kpis check`` compare every stored day with a recount. Prints lag p50, p95 and max per kind and
the recounts the stream cost; with PostgreSQL, the machine's pgbench figure of the same run beside; fails
if a write took longer than the bound (``BOUND_SECONDS``) or a check found a difference.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import FORM, ITEM, PDF
from run import PYTHON, ROOT, _percentile, pgbench_line, prepared, shell_json

BOUND_SECONDS = 30.0  # yiwang.core.dirty_days.BOUND_SECONDS
KINDS = ("tickets", "cases")

SETUP = """
import json
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from yiwang.accounts.models import User
from yiwang.cases import services as cases
from yiwang.catalogue.models import ItemImplementation

pdf = Path(PDF_PATH).read_bytes()
version = ItemImplementation.objects.get(current__name=ITEM, base_item__base_code__startswith="99").current
uploads = {
    m.pk: SimpleUploadedFile("scan.pdf", pdf, content_type="application/pdf")
    for m in version.materials.all() if not m.shared_data and m.necessity == "required"
}
case = cases.case_submit(
    actor=User.objects.get(username="demo-clerk"), version=version, channel="window",
    applicant=cases.Applicant("legal_person", "示范餐饮有限公司", "credit_code", "91350100M000100Y43"),
    form_data=FORM, uploads=uploads,
)
print(json.dumps({"template": case.number}))
"""

WRITE = """
import itertools, json, sys, threading, time
from django.db import connection, transaction
from django.utils import timezone
from yiwang.accounts.models import User
from yiwang.cases.models import Case
from yiwang.hotline import services

agent = User.objects.get(username="demo-agent")
intake = services.Intake(
    channel="phone", kind="complaint", category_code="CX0101", description="康宁里夜间施工噪音扰民",
    region_code="990102002", caller_name="王先生", caller_phone="13800138000",
)
template = Case.objects.get(number=TEMPLATE)
serial = itertools.count(1)


def ticket():
    services.ticket_create(actor=agent, intake=intake)


def case():
    with transaction.atomic():
        copy = Case.objects.get(pk=template.pk)
        copy.pk, copy.idempotency_key = None, None
        copy.number = f"{template.number[:24]}-F{RUN}{next(serial)}"
        copy.submitted_at = timezone.now()
        copy.save(force_insert=True)


began = {"tickets": [], "cases": []}
errors = []
start = time.time() + 0.5
print("start " + json.dumps({"start": start}), flush=True)


def writer(kind, write, rate):
    mine = began[kind]
    try:
        while (now := time.time()) < start + SECONDS:
            slot = start + len(mine) / rate
            if slot > now:
                time.sleep(slot - now)
            mine.append(time.time())
            write()
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()


threads = [
    threading.Thread(target=writer, args=("tickets", ticket, RATE * 2 / 5)),
    threading.Thread(target=writer, args=("cases", case, RATE * 3 / 5)),
]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("written " + json.dumps({"began": began, "ended": time.time(), "errors": errors}), flush=True)
"""

OBSERVE = """
import time
from django.db.models import Sum
from django.utils import timezone
from yiwang.hotline.models import TicketDaily
from yiwang.oversight.models import CaseDaily

first = timezone.localdate()
while True:
    tickets = TicketDaily.objects.filter(day__gte=first).aggregate(n=Sum("accepted"))["n"] or 0
    cases = CaseDaily.objects.filter(day__gte=first).aggregate(n=Sum("received"))["n"] or 0
    print(f"sample {time.time():.3f} {tickets} {cases}", flush=True)
    time.sleep(0.05)
"""

RECOUNTS = """
import json
from django.db.models import Sum
from django.utils import timezone
from yiwang.core.models import DayRecount

first = timezone.localdate()
print(json.dumps({
    scope: DayRecount.objects.filter(scope=scope, day__gte=first).aggregate(n=Sum("started"))["n"] or 0
    for scope in ("hotline", "oversight.cases")
}))
"""


def _shell(env: dict[str, str], script: str) -> Any:
    return shell_json(env, script)


class Consumer:
    """``run_huey`` in a process group of its own, so SIGKILL takes every process of it."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [PYTHON, str(ROOT / "manage.py"), "run_huey", "--workers", "2"],
                env=self.env, cwd=ROOT, start_new_session=True, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def kill(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _lags(began: list[float], samples: list[tuple[float, int]]) -> list[float]:
    lags, at = [], 0
    for k, start in enumerate(began, 1):
        while at < len(samples) and samples[at][1] < k:
            at += 1
        lags.append(samples[at][0] - start if at < len(samples) else float("inf"))
    return lags


def _line(pipe: Any, prefix: str) -> str:
    """The next line of a ``manage.py shell`` child's output that starts with ``prefix``, without it."""
    for line in pipe:
        if line.startswith(prefix):
            return str(line[len(prefix) :])
    raise SystemExit(f"the child process ended before saying {prefix.strip()!r}")


def _stream(
    env: dict[str, str], rate: float, seconds: float, kill_at: float, template: str, consumer: Consumer
) -> tuple[list[tuple[float, int, int]], dict[str, Any], float, float | None]:
    """Runs the stream with the consumer up (killed once at ``kill_at``); the observer's samples, what the
    writer wrote, when it began and when the consumer was killed (seconds into the stream)."""
    consumer.start()
    time.sleep(5)  # the consumer warms up (core.warmup) before the stream
    observer = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", OBSERVE],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    samples: list[tuple[float, int, int]] = []
    first_sample = threading.Event()

    def read_samples() -> None:
        for line in observer.stdout or ():
            if line.startswith("sample "):
                _sample, at, tickets, cases = line.split()
                samples.append((float(at), int(tickets), int(cases)))
                first_sample.set()

    threading.Thread(target=read_samples, daemon=True).start()
    try:
        if not first_sample.wait(120):
            raise SystemExit("the observer did not start")
        base = samples[0]
        settings = f"RATE = {rate}\nSECONDS = {seconds}\nTEMPLATE = {template!r}\nRUN = {uuid.uuid4().hex[:4]!r}\n"
        writer = subprocess.Popen(
            [PYTHON, str(ROOT / "manage.py"), "shell", "-c", settings + WRITE],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        start = float(json.loads(_line(writer.stdout, "start "))["start"])
        killed_at = None
        if kill_at > 0:
            time.sleep(max(0.0, start + kill_at - time.time()))
            consumer.kill()
            killed_at = time.time() - start
            consumer.start()
        written = json.loads(_line(writer.stdout, "written "))
        writer.wait()
        if written["errors"]:
            raise SystemExit(f"writes failed: {written['errors'][:3]}")
        expected = [len(written["began"][kind]) for kind in KINDS]
        deadline = written["ended"] + BOUND_SECONDS + 10
        while time.time() < deadline:
            last = samples[-1]
            if last[1] - base[1] >= expected[0] and last[2] - base[2] >= expected[1]:
                break
            time.sleep(0.1)
    finally:
        os.killpg(observer.pid, signal.SIGTERM)
        observer.wait()
    return samples, written, start, killed_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=50.0, help="writes a second, tickets and cases together")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the stream lasts")
    parser.add_argument("--kill-at", type=float, default=-1.0, help="seconds into the stream (default: half; 0: never)")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-freshness", help="for SQLite")
    for ignored in ("--workers", "--threads", "--concurrency"):  # the options every bench script takes
        parser.add_argument(ignored, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    kill_at = args.seconds / 2 if args.kill_at < 0 else args.kill_at

    env, engine = prepared(args.var_dir)
    env = {**env, "YIWANG_LOG_LEVEL": "INFO"}
    pdf_path = args.var_dir / "scan.pdf"
    pdf_path.write_bytes(PDF)
    template = _shell(env, f"PDF_PATH = {str(pdf_path)!r}\nITEM = {ITEM!r}\nFORM = {FORM!r}\n{SETUP}")["template"]
    recounts_before = _shell(env, RECOUNTS)
    consumer = Consumer(env, args.var_dir / "huey.log")
    try:
        samples, written, start, killed_at = _stream(env, args.rate, args.seconds, kill_at, template, consumer)
    finally:
        consumer.stop()
    began = written["began"]
    base = samples[0]

    checks = []
    for command in ("hotline_kpis", "oversight_kpis"):
        done = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), command, "check"], env=env, capture_output=True, text=True, check=False
        )
        checks.append((command, done.returncode == 0, (done.stdout + done.stderr).strip().splitlines()[-1:]))
    recounts_after = _shell(env, RECOUNTS)

    rows: list[dict[str, Any]] = []
    for index, kind in enumerate(KINDS, 1):
        series = [(sample[0], int(sample[index]) - int(base[index])) for sample in samples]
        lags = sorted(_lags(began[kind], series))
        times = began[kind]
        rows.append({
            "kind": kind, "writes": len(times),
            "rate": round(len(times) / (written["ended"] - start), 1) if times else 0.0,
            "p50_s": round(_percentile(lags, 0.50), 2), "p95_s": round(_percentile(lags, 0.95), 2),
            "max_s": round(max(lags, default=0.0), 2),
        })  # fmt: skip
    scopes = {"tickets": "hotline", "cases": "oversight.cases"}
    for row in rows:
        row["recounts"] = recounts_after[scopes[row["kind"]]] - recounts_before[scopes[row["kind"]]]

    title = (
        f"Figures' freshness — {engine}, Huey on {'Redis' if env.get('REDIS_URL') else 'SQLite'}, "
        f"{args.rate:g} writes/s for {args.seconds:g} s, "
        + (f"consumer killed -9 at {killed_at:.1f} s and started again" if killed_at else "no kill")
        + f", {os.cpu_count()} CPU cores shared by writers, consumer and observer"
    )
    header = f"{'':<10} {'writes':>7} {'writes/s':>9} {'lag p50 s':>10} {'p95 s':>7} {'max s':>7} {'recounts':>9}"
    print(f"\n{title}\n")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['kind']:<10} {row['writes']:>7} {row['rate']:>9.1f} {row['p50_s']:>10.2f} {row['p95_s']:>7.2f} "
            f"{row['max_s']:>7.2f} {row['recounts']:>9}"
        )
    print(f"\nbound: {BOUND_SECONDS:g} s; lag from the write's start to the first sample that counts it")
    for command, ok, last_line in checks:
        print(f"{command} check: {'equal to a recount' if ok else 'DIFFERENCES'} {' '.join(last_line)}")
    print(pgbench_line(os.environ.get("DATABASE_URL"), 5))
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"freshness-{engine}-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(
            {"engine": engine, "rate": args.rate, "seconds": args.seconds, "killed_at": killed_at, "results": rows},
            indent=2,
        )
    )
    if any(row["max_s"] > BOUND_SECONDS for row in rows) or not all(ok for _c, ok, _l in checks):
        raise SystemExit("a write stayed out of the figures longer than the bound, or a check failed")


if __name__ == "__main__":
    main()
