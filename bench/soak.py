"""Crash soak: clients submit cases and hotline tickets with idempotency keys while the app servers and
the task worker are killed with SIGKILL every minute; afterwards every acknowledged submission must be
stored exactly once (issue 17).

    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_soak .venv/bin/python bench/soak.py
    DATABASE_URL=… .venv/bin/python bench/soak.py --minutes 2 --clients 16     # a shorter try

Prepares the database as bench/run.py does (migrate, demo data), then starts two gunicorn app servers
(production mode, each its own process group) and one Huey consumer. ``--clients`` threads, spread over
four load processes, each submit in turn a case at the window (the API, multipart with a real PDF per
material, a clerk's bearer token) and a ticket from a channel (the API, an API key) — each with a fresh
``Idempotency-Key``, retried with the same key on any connection error or 5xx, against either server,
until it is acknowledged (201, or 200 for a replay). Every ``--kill-every`` seconds one server — or both
— and the worker are killed with SIGKILL and started again at once.

Each submission carries its key as a marker (the case's agent name, the ticket's description), so the
check afterwards counts what the database holds per key, independently of how idempotency is stored:

- acknowledged: submissions a client got a 2xx for;
- stored: acknowledged submissions found in the database under the number acknowledged;
- missing: acknowledged but not stored (goal 0);
- duplicated: records beyond the first for one key (goal 0);
- unacknowledged: keys still retried when the run ended (stored or not, they were never promised).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import FORM, ITEM, PDF, _multipart
from run import PYTHON, ROOT, _free_port, _percentile, _wait_until_up, load_processes, prepared, shell_json

MARK = "浸泡"
QUANTILES = (0.5, 0.95, 0.99)
TICKET = {
    "kind": "complaint", "category": "CX0101", "region": "990102002", "caller_phone": "13800138000",
    "channel": "app",
}  # fmt: skip

SETUP = """
import json
from yiwang.accounts.api_keys import api_key_issue
from yiwang.accounts.models import User
from yiwang.accounts.services import api_token_issue
from yiwang.catalogue.models import ItemImplementation

raw, _key = api_key_issue(actor=None, name="soak channel", scopes=["hotline:submit"])
implementation = ItemImplementation.objects.get(current__name=ITEM, base_item__base_code__startswith="99")
print(json.dumps({
    "clerk": api_token_issue(user=User.objects.get(username="demo-clerk"))[0],
    "channel": raw,
    "implementation": implementation.code,
    "materials": [
        m.pk for m in implementation.current.materials.all() if not m.shared_data and m.necessity == "required"
    ],
}))
"""

CHECK = """
import json, re, sys
from yiwang.cases.models import Case
from yiwang.hotline.models import Ticket

pattern = re.compile(MARK + r"([0-9a-f]{32})")
found = {}
for number, text in Case.objects.filter(agent_name__startswith=MARK).values_list("number", "agent_name"):
    found.setdefault(pattern.search(text).group(1), []).append(number)
for number, text in Ticket.objects.filter(description__contains=MARK).values_list("number", "description"):
    match = pattern.search(text)
    if match:
        found.setdefault(match.group(1), []).append(number)
print(json.dumps(found))
"""


class Fleet:
    """Two app servers and a worker, each in its own process group so SIGKILL takes all its processes."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.ports = [_free_port(), _free_port()]
        self.servers: list[subprocess.Popen[bytes] | None] = [None, None]
        self.worker: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start_server(self, index: int) -> None:
        env = {
            **self.env,
            "YIWANG_BIND": f"127.0.0.1:{self.ports[index]}",
            "YIWANG_WEB_WORKERS": "2",
            "YIWANG_WEB_THREADS": "4",
        }
        command = [PYTHON, "-m", "gunicorn", "-c", "python:yiwang.gunicorn_conf", "yiwang.wsgi:application"]
        self.servers[index] = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)

    def start_worker(self) -> None:
        command = [PYTHON, str(ROOT / "manage.py"), "run_huey", "--workers", "2"]
        self.worker = subprocess.Popen(
            command, env=self.env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL
        )

    def start(self) -> None:
        for index in (0, 1):
            self.start_server(index)
        self.start_worker()
        for index in (0, 1):
            _wait_until_up(self.ports[index], self.servers[index])  # type: ignore[arg-type]

    @staticmethod
    def _kill(process: subprocess.Popen[bytes] | None) -> None:
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def crash(self, round_number: int) -> str:
        """Kills server A, server B or both (in turn) and the worker, and starts them again at once."""
        which = [(0,), (1,), (0, 1)][round_number % 3]
        for index in which:
            self._kill(self.servers[index])
        self._kill(self.worker)
        self.kills += len(which) + 1
        for index in which:
            self.start_server(index)
        self.start_worker()
        return "+".join("AB"[i] for i in which) + "+worker"

    def stop(self) -> None:
        for process in [*self.servers, self.worker]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)


def _client(
    ports: list[int],
    setup: dict[str, Any],
    deadline: float,
    first: int,
    threads: int,
    seconds: float,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    """``threads`` clients until ``seconds`` pass; a key in flight then is retried until ``deadline``."""
    files = {f"material_{pk}": PDF for pk in setup["materials"]}
    lock = threading.Lock()
    acknowledged: list[tuple[str, str, str, int]] = []  # (kind, key, number, status)
    unacknowledged: list[str] = []
    refused: list[str] = []
    retries: Counter[str] = Counter()
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds

    def request(kind: str, key: str, port: int) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            if kind == "case":
                fields = {
                    "implementation": setup["implementation"],
                    "applicant_kind": "legal_person",
                    "applicant_name": "示范餐饮有限公司",
                    "applicant_id_type": "credit_code",
                    "applicant_id_number": "91350100M000100Y43",
                    "agent_name": f"{MARK}{key}",
                    "form_data": json.dumps(FORM, ensure_ascii=False),
                }
                body, content_type = _multipart(fields, files)
                token = setup["clerk"]
            else:
                description = f"康宁里夜间施工噪音扰民 {MARK}{key}"
                body = json.dumps({**TICKET, "description": description}, ensure_ascii=False).encode()
                content_type, token = "application/json", setup["channel"]
            headers = {
                **({"Authorization": f"Bearer {token}"} if kind == "case" else {"X-API-Key": token}),
                "Content-Type": content_type,
                "Idempotency-Key": key,
                "X-Forwarded-Proto": "https",
            }
            path = "/api/v1/cases" if kind == "case" else "/api/v1/hotline/tickets"
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def worker(index: int) -> None:
        rng = random.Random(index)
        mine: list[tuple[str, str, str, int]] = []
        mine_latency: list[float] = []
        gave_up: list[str] = []
        counts: Counter[str] = Counter()
        turn = index
        while time.monotonic() < stop_at:
            kind = "case" if turn % 2 == 0 else "ticket"
            turn += 1
            key = uuid.uuid4().hex
            started = time.perf_counter()
            port = ports[rng.randrange(2)]
            while True:
                try:
                    status, payload = request(kind, key, port)
                except (OSError, http.client.HTTPException):
                    status, payload = 0, b""
                if status in (200, 201):
                    mine.append((kind, key, json.loads(payload)["number"], status))
                    mine_latency.append(time.perf_counter() - started)
                    break
                if 400 <= status < 500 and status != 429:  # a refusal is the soak's own mistake: stop this client
                    refused.append(f"{kind} {status}: {payload[:300]!r}")
                    flush(mine, gave_up, counts, mine_latency)
                    return
                counts["connection" if status == 0 else str(status)] += 1
                if time.monotonic() > deadline:
                    gave_up.append(key)
                    break
                port = ports[1 - ports.index(port)]  # the other server, as a balancer would
                time.sleep(rng.uniform(0.05, 0.3))
        flush(mine, gave_up, counts, mine_latency)

    def flush(
        mine: list[tuple[str, str, str, int]], gave_up: list[str], counts: Counter[str], mine_latency: list[float]
    ) -> None:
        with lock:
            acknowledged.extend(mine)
            unacknowledged.extend(gave_up)
            retries.update(counts)
            latencies.extend(mine_latency)

    pool = [threading.Thread(target=worker, args=(first + n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((acknowledged, unacknowledged, dict(retries), latencies, refused))


def _shell(env: dict[str, str], script: str) -> Any:
    return shell_json(env, script)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--kill-every", type=float, default=60.0, help="seconds between crashes")
    parser.add_argument("--grace", type=float, default=120.0, help="seconds to finish keys in flight at the end")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "soak", help="the SQLite database's home")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        print("note: no DATABASE_URL — soaking the embedded SQLite database; the issue's figure is PostgreSQL's")

    env, engine = prepared(args.var_dir)
    setup = _shell(env, f"ITEM = {ITEM!r}\n{SETUP}")
    fleet = Fleet(env)
    fleet.start()
    seconds = args.minutes * 60
    crashes: list[str] = []
    stop = threading.Event()

    def killer() -> None:
        round_number = 0
        while not stop.wait(args.kill_every):
            crashes.append(fleet.crash(round_number))
            round_number += 1
            print(f"  {time.strftime('%H:%M:%S')} killed -9: {crashes[-1]}", flush=True)

    crasher = threading.Thread(target=killer, daemon=True)
    crasher.start()
    started = time.monotonic()
    try:
        deadline = time.monotonic() + seconds + args.grace
        outputs, _elapsed = load_processes(_client, (fleet.ports, setup, deadline), args.clients, seconds)
    finally:
        stop.set()
        crasher.join()
        elapsed = time.monotonic() - started
        fleet.stop()

    acknowledged: list[tuple[str, str, str, int]] = []
    unacknowledged: list[str] = []
    retries: Counter[str] = Counter()
    latencies: list[float] = []
    refused: list[str] = []
    for got_acknowledged, got_unacknowledged, got_retries, got_latencies, got_refused in outputs:
        refused.extend(got_refused)
        acknowledged.extend(got_acknowledged)
        unacknowledged.extend(got_unacknowledged)
        retries.update(got_retries)
        latencies.extend(got_latencies)
    sent = {key for _kind, key, _number, _status in acknowledged} | set(unacknowledged)
    # Only this run's keys: the database may hold an earlier run's.
    found = {key: numbers for key, numbers in _shell(env, f"MARK = {MARK!r}\n{CHECK}").items() if key in sent}
    stored = sum(1 for _kind, key, number, _status in acknowledged if number in found.get(key, []))
    missing = len(acknowledged) - stored
    duplicated = sum(len(numbers) - 1 for numbers in found.values())
    stored_unacknowledged = sum(1 for key in unacknowledged if key in found)
    latencies.sort()
    by_kind = Counter(kind for kind, *_rest in acknowledged)
    replays = sum(1 for *_rest, status in acknowledged if status == 200)

    rows = [
        ("engine", engine),
        ("duration", f"{elapsed:.0f} s, {args.clients} clients"),
        ("crashes (kill -9)", f"{len(crashes)} rounds, {fleet.kills} process groups"),
        ("acknowledged", f"{len(acknowledged)} ({by_kind['case']} cases, {by_kind['ticket']} tickets)"),
        ("  of them replays (200)", str(replays)),
        ("stored", str(stored)),
        ("missing", str(missing)),
        ("duplicated", str(duplicated)),
        ("unacknowledged at end", f"{len(unacknowledged)} ({stored_unacknowledged} of them stored)"),
        ("keys in the database", str(len(found))),
        ("refused (4xx)", f"{len(refused)}" + (f" — first: {refused[0]}" if refused else "")),
        ("retries", ", ".join(f"{reason}: {n}" for reason, n in sorted(retries.items())) or "0"),
        ("acknowledged/s", f"{len(acknowledged) / elapsed:.1f}"),
        (
            "latency p50 / p95 / p99",
            " / ".join(f"{_percentile(latencies, q) * 1000:.0f} ms" for q in (0.5, 0.95, 0.99)),
        ),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"\nYiwang crash soak — {engine}, SIGKILL every {args.kill_every:g} s\n")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"soak-{engine}-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(dict(rows), ensure_ascii=False, indent=2)
    )
    if missing or duplicated:
        raise SystemExit("LOST OR DUPLICATED SUBMISSIONS")
    if refused:
        raise SystemExit("some submissions were refused: the soak's requests are wrong")


if __name__ == "__main__":
    main()
