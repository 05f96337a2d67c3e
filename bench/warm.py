"""Warm workers: what the first request after a start costs on each hot path, and how long a worker takes
to start, with the application's warm-up (core.warmup) as configured and without it.

    .venv/bin/python bench/warm.py                                        # embedded SQLite (var/bench-warm/)
    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench_warm .venv/bin/python bench/warm.py
    .venv/bin/python bench/warm.py --before /tmp/before/src --modes preload,before   # and a checkout before a change

Prepares the database (migrate, the demo data, a generated 12345 history of ``--history`` tickets and the
dispatch and category models trained on it). Then, for each mode and each hot path, starts gunicorn afresh in
production mode with one worker (every request meets the same process), waits until the worker has started
— its CPU gone quiet, with no request sent, since a readiness probe would itself load the URL map — times the
path's first request and the ten after it, and stops the server. Modes:

- ``preload``: as deployed — the master imports and warms, workers fork from it (``YIWANG_WEB_PRELOAD``);
- ``no-preload``: each worker imports the application and warms itself;
- ``off``: nothing warmed (``YIWANG_WARM_UP=false``, no preload): every first use is paid by a request;
- ``as-is``: whatever the checkout's own gunicorn settings do (with ``--source``, a commit before a change);
- ``before``: as-is, served from ``--before`` (a commit before a change, measured in the same run).

Then, per mode, the start: seconds from launch until one worker has started, and until four have (on this
machine's cores), the memory the master and four workers take (PSS: a page shared by several processes
counts a share in each), and a worker recycled after ``max_requests`` with no other worker to cover for it:
the seconds until its replacement has started, and that one's first category suggestion against the next ten.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import FORM, ITEM, PDF, _multipart
from run import PYTHON, ROOT, SESSION_FOR, _free_port, pgbench_line, prepared, shell_line

TRAIN = """
from yiwang.demo.history.hotline import history_generate
from yiwang.hotline.learning import model_train
from yiwang.hotline.models import DispatchModel

if not DispatchModel.objects.exists():
    history_generate(HISTORY, seed=7)
    model_train()
"""

SETUP = """
import json
from yiwang.accounts.models import User
from yiwang.accounts.services import api_token_issue
from yiwang.catalogue.models import ItemImplementation
from yiwang.licences.models import Licence

implementation = ItemImplementation.objects.get(current__name=ITEM, base_item__base_code__startswith="99")
print(json.dumps({
    "agent": session_for(User.objects.get(username="demo-agent")),
    "clerk": api_token_issue(user=User.objects.get(username="demo-clerk"))[0],
    "implementation": implementation.code,
    "materials": [
        m.pk for m in implementation.current.materials.all() if not m.shared_data and m.necessity == "required"
    ],
    "licence": Licence.objects.filter(status="valid").order_by("pk").values_list("identifier", flat=True).first(),
}))
"""

CSRF = "w" * 32  # a CSRF secret of our own, sent as cookie and header alike (as a page's script would)
Answer = tuple[int, dict[str, str], bytes]
WORDS = [
    "楼下烧烤店油烟直排，熏得窗户都不敢开",
    "小区门口夜里施工噪音很大",
    "路灯坏了一个多月没人修",
    "共享单车堆在盲道上",
]


class Client:
    """Requests to the server as a browser behind the TLS proxy would send them; each on a new connection."""

    def __init__(self, port: int, setup: dict[str, Any]) -> None:
        self.port, self.setup = port, setup

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def agent(self) -> dict[str, str]:
        return {"Cookie": f"sessionid={self.setup['agent']}; csrftoken={CSRF}"}

    def expect(self, status: int, got: Answer, what: str) -> Answer:
        if got[0] != status:
            raise SystemExit(f"{what}: {got[0]} {got[2][:300]!r}")
        return got


def _ticket(client: Client, n: int) -> None:
    """The agent takes a call (the intake form's POST) and opens the new ticket, with its learned suggestions."""
    form = {
        "kind": "complaint", "category": "HB0101", "description": f"{WORDS[n % len(WORDS)]}（第{n}次来电）",
        "region": "990103001", "caller_phone": f"1380013{n % 10000:04d}", "caller_name": "李先生",
        "idempotency_key": uuid.uuid4().hex,
    }  # fmt: skip
    _status, headers, _body = client.expect(
        302,
        client.request(
            "POST",
            "/workbench/hotline/",
            body=urlencode(form).encode(),
            headers={
                **client.agent(),
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": CSRF,
                "Referer": f"https://127.0.0.1:{client.port}/workbench/hotline/",
            },
        ),
        "take a call",
    )
    client.expect(200, client.request("GET", headers["Location"], headers=client.agent()), "ticket page")


def _get(path: str, *, agent: bool = False) -> Callable[[Client, int], None]:
    def run(client: Client, n: int) -> None:
        client.expect(200, client.request("GET", path, headers=client.agent() if agent else None), path)

    return run


def _suggest(client: Client, n: int) -> None:
    path = f"/12345/new/categories/?description={quote(WORDS[n % len(WORDS)])}"
    client.expect(200, client.request("GET", path), "category suggestion")


def _case(client: Client, n: int) -> None:
    """A window clerk submits a case (multipart, one scan per required material) and accepts it."""
    setup = client.setup
    fields = {
        "implementation": setup["implementation"], "applicant_kind": "legal_person",
        "applicant_name": "示范餐饮有限公司", "applicant_id_type": "credit_code",
        "applicant_id_number": "91350100M000100Y43",
        "form_data": json.dumps(FORM, ensure_ascii=False),
    }  # fmt: skip
    body, content_type = _multipart(fields, {f"material_{pk}": PDF for pk in setup["materials"]})
    auth = {"Authorization": f"Bearer {setup['clerk']}"}
    _s, _h, payload = client.expect(
        201,
        client.request(
            "POST",
            "/api/v1/cases",
            body=body,
            headers={**auth, "Content-Type": content_type, "Idempotency-Key": uuid.uuid4().hex},
        ),
        "submit a case",
    )
    number = json.loads(payload)["number"]
    client.expect(
        200,
        client.request(
            "POST",
            f"/api/v1/cases/{number}/actions/accept",
            body=json.dumps({"opinion": "材料齐全，予以受理"}).encode(),
            headers={**auth, "Content-Type": "application/json"},
        ),
        "accept the case",
    )


def paths(setup: dict[str, Any]) -> dict[str, Callable[[Client, int], None]]:
    licence = setup["licence"]
    return {
        "12345 agent: take a call + open the ticket": _ticket,
        "12345 agent: knowledge as the caller speaks": _get(
            "/workbench/hotline/knowledge/?description=%E5%B0%8F%E5%8C%BA%E5%81%9C%E8%BD%A6", agent=True
        ),
        "12345 web: category suggestion": _suggest,
        "12345 web: the request form": _get("/12345/new/"),
        "12345 web: published answers, searched": _get("/12345/answers/?q=%E5%99%AA%E9%9F%B3"),
        "case: submit + accept (API)": _case,
        "licence: verify (API)": _get(f"/api/v1/licences/verify?identifier={licence}"),
        "licence: verify page": _get(f"/licences/verify/?identifier={licence}"),
        "portal: home": _get("/"),
        "portal: search": _get("/search/?q=%E8%BA%AB%E4%BB%BD%E8%AF%81%E6%8D%A2%E9%A2%86"),
        "portal: search, pinyin": _get("/search/?q=sfz"),
    }


MODES = {
    "preload": {"YIWANG_WEB_PRELOAD": "true"},
    "no-preload": {"YIWANG_WEB_PRELOAD": "false"},
    "off": {"YIWANG_WEB_PRELOAD": "false", "YIWANG_WARM_UP": "false"},
    "as-is": {},
    "before": {},  # as-is, served from --before
}


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    launched: float

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def settled(self, count: int, *, exclude: tuple[int, ...] = (), timeout: float = 300) -> float:
        """Seconds since launch when ``count`` workers (not ``exclude``) were running and had all gone
        quiet: under 20 ms of CPU in a second, their start (import, warm-up) over. No request is sent:
        a readiness probe would load the URL map for a server that does not warm up."""
        deadline = time.monotonic() + timeout
        previous: dict[int, int] = {}
        quiet_since: float | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("the server exited:\n" + self.log.read_text()[-3000:])
            now = {pid: _cpu_ticks(pid) for pid in self.workers() if pid not in exclude}
            busy = len(now) < count or any(pid not in previous or now[pid] - previous[pid] > 1 for pid in now)
            previous = now
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= 1.0:
                return quiet_since - self.launched
            time.sleep(0.5)
        raise SystemExit("the workers did not settle in time:\n" + self.log.read_text()[-3000:])

    def pss_mb(self) -> float:
        """The master's and its workers' proportional set size together."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
            total += int(match.group(1)) if match else 0
        return total / 1024


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks (10 ms)


@contextmanager
def serve(env: dict[str, str], mode: str, *, workers: int = 1, source: str | None, **extra: str) -> Iterator[Server]:
    port = _free_port()
    log = Path(env["YIWANG_VAR_DIR"]) / f"gunicorn-{mode}.log"
    server_env = {
        **env,
        **MODES[mode],
        "YIWANG_BIND": f"127.0.0.1:{port}",
        "YIWANG_WEB_WORKERS": str(workers),
        "YIWANG_WEB_THREADS": "4",
        "YIWANG_LOG_LEVEL": "INFO",
        "YIWANG_ACCESS_LOG": "false",
        **extra,
    }
    if source:
        server_env["PYTHONPATH"] = source
    with log.open("w") as out:
        launched = time.monotonic()
        process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "python:yiwang.gunicorn_conf", "yiwang.wsgi:application"],
            env=server_env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(port, process, log, launched)
    try:
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _timed(run: Callable[[Client, int], None], client: Client, n: int) -> float:
    started = time.perf_counter()
    run(client, n)
    return time.perf_counter() - started


@dataclass
class First:
    first_ms: float
    median_ms: float  # of the ten after the first


def first_requests(
    env: dict[str, str], mode: str, setup: dict[str, Any], source: str | None, only: list[str]
) -> dict[str, First]:
    found: dict[str, First] = {}
    for label, run in paths(setup).items():
        if only and not any(word in label for word in only):
            continue
        with serve(env, mode, source=source) as server:
            server.settled(1)
            client = Client(server.port, setup)
            first = _timed(run, client, 0)
            rest = [_timed(run, client, n) for n in range(1, 11)]
            found[label] = First(round(first * 1000, 1), round(statistics.median(rest) * 1000, 1))
            got = found[label]
            print(f"  {mode:<10} {label:<46} first {got.first_ms:>8.1f} ms, then {got.median_ms:>6.1f}")
    return found


@dataclass
class Start:
    ready_s: float  # launch until one worker has started (imported, warmed up)
    four_ready_s: float  # launch until four have
    pss_mb: float  # the master and four workers, started
    recycled_ready_s: float  # a worker recycled after max_requests, alone: until its replacement has started
    recycled_first_ms: float  # the replacement's first category suggestion
    recycled_median_ms: float  # the ten after


def starts(env: dict[str, str], mode: str, setup: dict[str, Any], source: str | None) -> Start:
    with serve(env, mode, source=source) as server:
        ready = server.settled(1)
    with serve(env, mode, workers=4, source=source) as server:
        four = server.settled(4)
        pss = server.pss_mb()
    with serve(env, mode, source=source, YIWANG_WEB_MAX_REQUESTS="20", YIWANG_WEB_MAX_REQUESTS_JITTER="0") as server:
        server.settled(1)
        old = tuple(server.workers())
        client = Client(server.port, setup)
        for n in range(100):  # under the suggestions' limit per address (120 a minute)
            if "Autorestarting worker" in server.log.read_text():
                break
            _suggest(client, n)  # until the worker has served its last request
        else:  # a checkout whose gunicorn settings do not read YIWANG_WEB_MAX_REQUESTS
            return Start(round(ready, 1), round(four, 1), round(pss), *(float("nan"),) * 3)
        gone = time.monotonic()
        while any(Path(f"/proc/{pid}").exists() for pid in old):
            time.sleep(0.01)
        recycled_ready = server.settled(1, exclude=old) + server.launched - gone
        first = _timed(_suggest, client, 0)
        rest = [_timed(_suggest, client, n) for n in range(1, 11)]
    return Start(
        round(ready, 1),
        round(four, 1),
        round(pss),
        round(recycled_ready, 2),
        round(first * 1000, 1),
        round(statistics.median(rest) * 1000, 1),
    )


def _shell(env: dict[str, str], script: str) -> str:
    return shell_line(env, script)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modes", default="preload,no-preload,off", help=f"comma-separated, of {', '.join(MODES)}")
    parser.add_argument("--source", help="the src/ directory of another checkout to serve instead of this one")
    parser.add_argument("--before", help="the src/ directory of a checkout before a change, for the mode before")
    parser.add_argument("--history", type=int, default=5000, help="generated 12345 tickets the models learn from")
    parser.add_argument("--paths", default="", help="comma-separated words: only the hot paths whose label has one")
    parser.add_argument("--no-first", action="store_true", help="skip the first requests of the hot paths")
    parser.add_argument("--no-start", action="store_true", help="skip the start and recycling measurements")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-warm"))
    # The options every bench script takes (tests/bench/scripts.py); one worker is the point here.
    for option in ("--seconds", "--concurrency", "--workers", "--threads"):
        parser.add_argument(option, help=argparse.SUPPRESS)
    args = parser.parse_args()

    env, engine = prepared(Path(args.var_dir))
    _shell(env, f"HISTORY = {args.history}\n{TRAIN}")
    setup = json.loads(_shell(env, f"ITEM = {ITEM!r}\n{SESSION_FOR}\n{SETUP}"))
    modes = [m for m in args.modes.split(",") if m]
    only = [w for w in args.paths.split(",") if w]

    sources = {mode: args.before if mode == "before" else args.source for mode in modes}
    firsts = {} if args.no_first else {m: first_requests(env, m, setup, sources[m], only) for m in modes}
    started = {} if args.no_start else {m: starts(env, m, setup, sources[m]) for m in modes}

    source = f", serving {args.source}" if args.source else ""
    source += f", before: {args.before}" if args.before else ""
    print(
        f"\nYiwang warm workers — {engine}, {args.history} tickets learned from, gunicorn 1 worker × 4 threads started "
        f"afresh for each path{source}, {os.cpu_count()} CPU cores shared by server and client"
    )
    print(pgbench_line(os.environ.get("DATABASE_URL"), 5))
    if firsts:
        labels = list(next(iter(firsts.values())).keys())
        width = max((len(label) for label in labels), default=10)
        print("\nFirst request after a start, ms (the median of the next ten in brackets)\n")
        print(f"{'':<{width}} " + " ".join(f"{mode:>20}" for mode in modes))
        for label in labels:
            cells = [f"{firsts[m][label].first_ms:>9.0f} ({firsts[m][label].median_ms:>6.0f})" for m in modes]
            print(f"{label:<{width}} " + " ".join(f"{cell:>20}" for cell in cells))
    if started:
        print("\nStarting and recycling\n")
        rows = [
            ("launch → 1 worker started, s", "ready_s"),
            ("launch → 4 workers started, s", "four_ready_s"),
            ("4 workers + master, PSS MB", "pss_mb"),
            ("a recycled worker's replacement started, s", "recycled_ready_s"),
            ("its first suggestion, ms", "recycled_first_ms"),
            ("the next ten, median ms", "recycled_median_ms"),
        ]
        width = max(len(r[0]) for r in rows)
        print(f"{'':<{width}} " + " ".join(f"{mode:>12}" for mode in modes))
        for title, field in rows:
            print(f"{title:<{width}} " + " ".join(f"{getattr(started[m], field):>12}" for m in modes))
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"warm-{engine}-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(
            {
                "engine": engine,
                "source": args.source,
                "before": args.before,
                "first": {m: {k: vars(v) for k, v in f.items()} for m, f in firsts.items()},
                "start": {m: vars(s) for m, s in started.items()},
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
