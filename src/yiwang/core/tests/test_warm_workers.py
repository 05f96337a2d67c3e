"""Warm workers, end to end (issue 22): gunicorn in production mode, on a database with trained 12345
models, answers the first ticket and the first category suggestion after a start about as fast as the
ten after it (under 1 s, and within 3× their median or 0.1 s of it) — and so does a worker that replaced
one recycled after ``max_requests``.

Before the warm-up the first ticket after a restart took 5-10 s (the URL map and the API's schemas,
jieba's dictionary, the models, templates…); core.warmup and gunicorn_conf load them before a worker
accepts its first connection. One worker, so every request meets the same process.
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from yiwang.core.tests.test_deployment import MANAGE, ROOT, SECRET, _env, _free_port, _production

DATA = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from yiwang.accounts.models import User
from yiwang.demo.city import demo_city_load, demo_departments
from yiwang.demo.history.hotline import history_generate
from yiwang.demo.hotline import demo_hotline_load
from yiwang.hotline.learning import model_train

demo_city_load()
demo_hotline_load(demo_departments())
history_generate(1500, seed=7)
model_train()
agent = User.objects.get(username="demo-agent")
session = SessionStore()
session[SESSION_KEY] = str(agent.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = agent.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key}))
"""
CSRF = "k" * 32  # a CSRF secret of our own, in the cookie and the header alike
SAID = ["楼下烧烤店油烟直排，熏得窗户都不敢开", "小区门口夜里施工噪音很大", "路灯坏了一个多月没人修"]
FIRST_OVER_MEDIAN = 3.0
# …or within this of the median: a forked worker's first touches of the pages it shares with the master
# and its first database connection cost tens of milliseconds on a quiet machine and up to a few hundred on
# a loaded one (0.3 s seen in CI), where this test guards against seconds (the URL map 2 s, jieba's
# dictionaries 1-3 s, the OCR models 0.5-2 s).
FIRST_SLACK_SECONDS = 0.5
FIRST_UNDER_SECONDS = 1.0
MAX_REQUESTS = 40


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An embedded database with the demo city, its 12345 and models trained on 1,500 tickets; the
    agent's session key."""
    var = tmp_path_factory.mktemp("warm")
    env = _env(YIWANG_VAR_DIR=str(var), YIWANG_SECRET_KEY=SECRET, YIWANG_LOG_LEVEL="WARNING")
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=600)
    out = subprocess.run(
        [*MANAGE, "shell", "-c", DATA], env=env, check=True, timeout=600, capture_output=True, text=True
    ).stdout
    production = _production(YIWANG_VAR_DIR=str(var))
    subprocess.run([*MANAGE, "collectstatic", "--noinput", "-v", "0"], env=production, check=True, timeout=300)
    return var, json.loads(out.strip().splitlines()[-1])["session"]


@dataclass
class Server:
    base: tuple[str, int]
    log: Path
    session: str

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection(*self.base, timeout=120)
        try:
            connection.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **headers})
            response = connection.getresponse()
            response.read()
            return response.status, response.getheader("Location", "")
        finally:
            connection.close()

    def answers(self) -> bool:
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def ticket(self, n: int) -> None:
        """The agent takes a call and opens the new ticket, with the units the model suggests."""
        form = {
            "kind": "complaint", "category": "HB0101", "description": f"{SAID[n % len(SAID)]}（{n}）",
            "region": "990103001", "caller_phone": f"1380013{n:04d}", "idempotency_key": uuid.uuid4().hex,
        }  # fmt: skip
        cookie = f"sessionid={self.session}; csrftoken={CSRF}"
        status, location = self.request(
            "POST", "/workbench/hotline/", urlencode(form).encode(), Cookie=cookie, **{
                "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": CSRF,
                "Referer": f"https://127.0.0.1:{self.base[1]}/workbench/hotline/",
            },
        )  # fmt: skip
        assert status == 302 and "/tickets/" in location, (status, location)
        assert self.request("GET", location, Cookie=cookie)[0] == 200

    def suggestion(self, n: int) -> None:
        """A citizen types what happened; the categories tickets like it were filed under come back."""
        path = f"/12345/new/categories/?description={quote(SAID[n % len(SAID)])}"
        assert self.request("GET", path)[0] == 200

    def warmed(self) -> int:
        return self.log.read_text().count("warmed up:")


@pytest.fixture
def server(database: tuple[Path, str], tmp_path: Path) -> Iterator[Server]:
    var, session = database
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = _production(
        YIWANG_VAR_DIR=str(var),
        YIWANG_BIND=f"127.0.0.1:{port}",
        YIWANG_WEB_WORKERS="1",
        YIWANG_WEB_THREADS="2",
        YIWANG_WEB_MAX_REQUESTS=str(MAX_REQUESTS),
        YIWANG_WEB_MAX_REQUESTS_JITTER="0",
        YIWANG_ACCESS_LOG="false",
    )
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:yiwang.gunicorn_conf", "yiwang.wsgi:application"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    served = Server(("127.0.0.1", port), log, session)
    try:
        deadline = time.monotonic() + 240
        while not served.answers():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start:\n" + log.read_text()[-5000:])
            time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=60)


def _first_and_median(action: Callable[[int], None], start: int, count: int = 11) -> tuple[float, float]:
    times = []
    for n in range(start, start + count):
        began = time.perf_counter()
        action(n)
        times.append(time.perf_counter() - began)
    return times[0], statistics.median(times[1:])


def _warm(what: str, first: float, median: float) -> None:
    assert first < FIRST_UNDER_SECONDS, f"{what}: the first took {first:.3f} s"
    assert first <= max(FIRST_OVER_MEDIAN * median, median + FIRST_SLACK_SECONDS), (
        f"{what}: the first took {first:.3f} s, then {median:.3f} s"
    )


def test_the_first_ticket_and_suggestion_after_a_start_or_a_recycle_are_warm(server: Server) -> None:
    ticket = _first_and_median(server.ticket, 0)
    suggestion = _first_and_median(server.suggestion, 0)
    _warm("ticket", *ticket)
    _warm("suggestion", *suggestion)
    log = server.log.read_text()
    assert "warmed up before forking" in log and server.warmed() == 1, log[-5000:]

    # The worker has served about 35 requests of its 40: on until it is recycled, then wait for its
    # replacement to have warmed up (it accepts after that) and time its first ticket and suggestion.
    n = 100
    while "Autorestarting worker" not in server.log.read_text():
        server.suggestion(n)
        n += 1
        assert n < 100 + MAX_REQUESTS, "the worker was not recycled"
    deadline = time.monotonic() + 120
    while "Worker exiting" not in server.log.read_text() or server.warmed() < 2:  # the old one gone, the new warm
        assert time.monotonic() < deadline, server.log.read_text()[-5000:]
        time.sleep(0.05)
    assert server.answers()
    began = time.perf_counter()
    server.ticket(200)
    _warm("ticket after a recycle", time.perf_counter() - began, ticket[1])
    began = time.perf_counter()
    server.suggestion(200)
    _warm("suggestion after a recycle", time.perf_counter() - began, suggestion[1])
