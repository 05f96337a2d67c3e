"""HTTP benchmark of the platform as it is deployed: gunicorn (gthread, several workers) in
production mode against the configured database, driven over real HTTP by separate load
processes on this machine.

    .venv/bin/python bench/run.py                         # embedded SQLite (var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1/yiwang_bench .venv/bin/python bench/run.py

Prints a table of requests/s, latency percentiles and SQL queries per request (reported by the
server in X-Query-Count) for each endpoint at each concurrency, and writes it as JSON under
bench/results/. Load goes to 127.0.0.1 only; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ENDPOINTS = {
    "/readyz": "readiness (database + task queue)",
    "/api/v1/departments?page_size=20": "API read: departments, page of 20",
    "/api/v1/regions?level=township&page_size=20": "API read: regions filtered",
}


# Pasted into the `manage.py shell -c` set-up scripts of the benchmarks: a logged-in browser session
# for a user, as the login page would leave it (the key goes into a Cookie header).
SESSION_FOR = """
from django.conf import settings as _settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore


def session_for(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = _settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
"""


@dataclass
class Result:
    endpoint: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    queries_per_request: float


def _pgbench_scratch(database_url: str) -> str:
    """A pgbench database (scale 1) beside the benchmark's, initialised afresh."""
    import psycopg

    base = database_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'yiwang_pgbench'").fetchone():
            conn.execute("CREATE DATABASE yiwang_pgbench")
    scratch = f"{base}/yiwang_pgbench"
    subprocess.run(["pgbench", "-i", "-q", "-s", "1", scratch], check=True, capture_output=True)
    return scratch


def _pgbench_available(database_url: str | None) -> bool:
    import shutil

    return bool(database_url and database_url.startswith("postgres") and shutil.which("pgbench"))


def _pgbench_run(scratch: str, seconds: int, select_only: bool = False) -> float | None:
    import re

    out = subprocess.run(
        ["pgbench", *(["-S"] if select_only else []), "-T", str(seconds), "-c", "8", "-j", "2", scratch],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"tps = ([\d.]+)", out)
    return float(found.group(1)) if found else None


def pgbench_tps(database_url: str | None, seconds: int = 10) -> float | None:
    """The machine's pgbench TPC-B-like read-write TPS measured now (8 clients, 2 threads, scale 1, in a
    scratch database beside the benchmark's), or ``None`` on SQLite or without pgbench."""
    if not _pgbench_available(database_url):
        return None
    assert database_url is not None
    return _pgbench_run(_pgbench_scratch(database_url), seconds)


def pgbench_line(database_url: str | None, seconds: int = 5, read_only: bool = False) -> str:
    """The line a benchmark prints under its table: pgbench's read-write TPS of the same run (and its
    select-only TPS with ``read_only``), or why there is none."""
    if not _pgbench_available(database_url):
        return "pgbench: not measured (SQLite run, or pgbench not installed)"
    assert database_url is not None
    scratch = _pgbench_scratch(database_url)
    figures = [("read-write", _pgbench_run(scratch, seconds))]
    if read_only:
        figures.append(("read-only", _pgbench_run(scratch, seconds, select_only=True)))
    said = ", ".join(f"{label} {f'{tps:,.0f}' if tps is not None else '?'} TPS" for label, tps in figures)
    return f"pgbench (same run, 8 clients, {seconds} s each): {said}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bench_secret(var_dir: Path) -> str:
    """One secret per benchmark home, kept there: personal data written by one run (encrypted under a
    key derived from it) must still decrypt in the next run against the same database."""
    path = var_dir / "bench-secret-key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def _server_env(database_url: str | None, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YIWANG_", "DJANGO_"))}
    env.update(
        YIWANG_ENV="production",
        YIWANG_SECRET_KEY=_bench_secret(var_dir),
        YIWANG_ALLOWED_HOSTS="127.0.0.1",
        YIWANG_VAR_DIR=str(var_dir),
        YIWANG_QUERY_COUNT_HEADER="true",
        YIWANG_LOG_LEVEL="WARNING",
        YIWANG_ACCESS_LOG="false",
        DJANGO_SETTINGS_MODULE="yiwang.settings",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def shell_line(env: dict[str, str], script: str, *, development: bool = True) -> str:
    """Runs ``script`` in ``manage.py shell`` with the benchmark's environment — in development mode, where
    the demo accounts may sign in, unless ``development`` is false — and returns its last printed line."""
    out = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", script],
        env={**env, "YIWANG_ENV": "development"} if development else env,
        check=True,
        capture_output=True,
        text=True,
    )
    lines = out.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def shell_json(env: dict[str, str], script: str, *, development: bool = True) -> Any:
    """``shell_line``'s line read as JSON: how the scripts' set-up code hands back what it made."""
    return json.loads(shell_line(env, script, development=development))


def _ensure_postgres_database(url: str) -> None:
    """Creates the benchmark database if it does not exist yet (never touches an existing one's data)."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(url)
    name = info.get("dbname")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))


def _prepare(env: dict[str, str]) -> None:
    """Schema and demo data. Demo accounts are refused in production, so load them in development mode."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    dev_env = {**env, "YIWANG_ENV": "development"}
    subprocess.run(
        [*manage, "demo_load", "--no-history", "-v", "0"], env=dev_env, check=True, stdout=subprocess.DEVNULL
    )


def _from_template(template: Path, var_dir: Path) -> None:
    """Fills ``var_dir`` with a copy of an embedded home prepared once in ``template`` (by whichever process
    gets there first, under a lock): the suite runs a dozen scripts, each of which would otherwise migrate and
    load the demo data afresh (most of a script's test). The home is built beside the template and renamed
    into place only once prepared, so a failed or killed preparation leaves nothing the next one would reuse."""
    import fcntl
    import shutil

    template.parent.mkdir(parents=True, exist_ok=True)
    with open(template.with_name(template.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = template.with_name(f"{template.name}.building-{os.getpid()}")
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            _prepare(_server_env(None, building))
            building.rename(template)
    shutil.copytree(template, var_dir, dirs_exist_ok=True)


def prepared(var_dir: Path) -> tuple[dict[str, str], str]:
    """The benchmark's server environment and engine: ``DATABASE_URL``'s PostgreSQL (the database created
    if missing) or SQLite under ``var_dir``; migrated, static files collected, the demo data loaded.
    With ``YIWANG_BENCH_TEMPLATE`` (the suite's tests of these scripts) an embedded home is copied from
    that directory, prepared once."""
    database_url = os.environ.get("DATABASE_URL") or None
    var_dir.mkdir(parents=True, exist_ok=True)
    template = os.environ.get("YIWANG_BENCH_TEMPLATE")
    if template and not database_url:
        _from_template(Path(template), var_dir)
        return _server_env(None, var_dir), "sqlite"
    env = _server_env(database_url, var_dir)
    if database_url:
        _ensure_postgres_database(database_url)
    _prepare(env)
    return env, "postgresql" if database_url else "sqlite"


def _client(
    port: int,
    path: str,
    extra_headers: dict[str, str] | None,
    first: int,
    threads: int,
    seconds: float,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    latencies: list[float] = []
    queries: list[int] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    headers = {"X-Forwarded-Proto": "https", "Connection": "keep-alive", **(extra_headers or {})}

    def worker() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        mine_q: list[int] = []
        failed = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    failed += 1
                mine.append(elapsed)
                mine_q.append(int(response.getheader("X-Query-Count", "0")))
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()
        with lock:
            latencies.extend(mine)
            queries.extend(mine_q)
            errors += failed

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((latencies, queries, errors))


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def load_processes(target: Any, args: tuple[Any, ...], concurrency: int, seconds: float) -> tuple[list[Any], float]:
    """Runs ``target(*args, first, threads, seconds, queue)`` in up to 4 processes sharing ``concurrency``
    threads (``first``: the index of the process's first thread); returns what each put on the queue
    and the elapsed time."""
    processes = min(concurrency, 4)
    per_process = [concurrency // processes + (1 if i < concurrency % processes else 0) for i in range(processes)]
    firsts = [sum(per_process[:i]) for i in range(processes)]
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    started = time.monotonic()
    workers = [
        multiprocessing.Process(target=target, args=(*args, first, threads, seconds, queue))
        for first, threads in zip(firsts, per_process, strict=True)
    ]
    for worker in workers:
        worker.start()
    outputs = [queue.get(timeout=seconds + 180) for _ in workers]
    for worker in workers:
        worker.join()
    return outputs, time.monotonic() - started


def measure(port: int, path: str, concurrency: int, seconds: float, headers: dict[str, str] | None = None) -> Result:
    """GETs ``path`` from ``concurrency`` keep-alive connections for ``seconds``; ``headers`` e.g. a bearer token."""
    outputs, elapsed = load_processes(_client, (port, path, headers), concurrency, seconds)
    latencies: list[float] = []
    queries: list[int] = []
    errors = 0
    for got_latencies, got_queries, got_errors in outputs:
        latencies.extend(got_latencies)
        queries.extend(got_queries)
        errors += got_errors
    latencies.sort()
    return Result(
        endpoint=path,
        concurrency=concurrency,
        requests=len(latencies),
        errors=errors,
        seconds=round(elapsed, 2),
        rps=round(len(latencies) / seconds, 1),
        p50_ms=round(_percentile(latencies, 0.50) * 1000, 1),
        p95_ms=round(_percentile(latencies, 0.95) * 1000, 1),
        p99_ms=round(_percentile(latencies, 0.99) * 1000, 1),
        queries_per_request=round(statistics.fmean(queries), 2) if queries else 0.0,
    )


def _wait_until_up(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start in time")


@contextmanager
def serve(env: dict[str, str], workers: int, threads: int) -> Iterator[int]:
    """gunicorn in production mode on a free local port, stopped on exit; yields the port."""
    port = _free_port()
    server_env = {
        **env,
        "YIWANG_BIND": f"127.0.0.1:{port}",
        "YIWANG_WEB_WORKERS": str(workers),
        "YIWANG_WEB_THREADS": str(threads),
    }
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "python:yiwang.gunicorn_conf", "yiwang.wsgi:application"],
        env=server_env,
        cwd=ROOT,
    )
    try:
        _wait_until_up(port, server)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def report(title: str, rows: list[tuple[str, Result]], name: str, meta: dict[str, object]) -> None:
    """Prints the table and writes it as JSON under bench/results/; fails if any request failed."""
    width = max(len(label) for label, _r in rows) if rows else 10
    header = (
        f"{'':<{width}} {'conc':>4} {'reqs':>7} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'SQL/req':>7}"
    )
    print(f"\n{title}\n")
    print(header)
    print("-" * len(header))
    for label, r in rows:
        print(
            f"{label:<{width}} {r.concurrency:>4} {r.requests:>7} {r.rps:>8.1f} {r.p50_ms:>7.1f} {r.p95_ms:>7.1f} "
            f"{r.p99_ms:>7.1f} {r.errors:>6} {r.queries_per_request:>7.2f}"
        )
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out_dir / f"{name}-{stamp}.json").write_text(
        json.dumps({**meta, "results": [{"label": label, **asdict(r)} for label, r in rows]}, indent=2)
    )
    if any(r.errors for _label, r in rows):
        raise SystemExit("some requests failed; see the errors column")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated client concurrencies")
    args = parser.parse_args()

    env, engine = prepared(ROOT / "var" / "bench")

    results: list[tuple[str, Result]] = []
    with serve(env, args.workers, args.threads) as port:
        concurrencies = [int(c) for c in args.concurrency.split(",")]
        for path in ENDPOINTS:
            measure(port, path, 2, 1.0)  # warm up connections and caches
            for concurrency in concurrencies:
                results.append((path, measure(port, path, concurrency, args.seconds)))
    report(
        f"Yiwang HTTP benchmark — {engine}, gunicorn {args.workers} workers × {args.threads} threads, "
        f"{args.seconds:g}s per row, {os.cpu_count()} CPU cores shared by server and load",
        results,
        f"http-{engine}",
        {"engine": engine, "workers": args.workers, "threads": args.threads},
    )


if __name__ == "__main__":
    main()
