"""Production mode, end to end: refusal to start when misconfigured, ``check --deploy`` clean,
JSON logs with the request id, and a 503 maintenance notice when the database is unreachable.

These start real processes (manage.py, gunicorn) with a production environment.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
MANAGE = [sys.executable, str(ROOT / "manage.py")]
SECRET = "p" * 20 + "roduction-secret-for-tests-only-" + "x7Kq2" * 4


def _env(**overrides: str) -> dict[str, str]:
    inherited = ("YIWANG_", "DATABASE_URL", "REDIS_URL", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    env["DJANGO_SETTINGS_MODULE"] = "yiwang.settings"
    env["YIWANG_VAR_DIR"] = str(ROOT / "var" / "test" / "production")
    env.update(overrides)
    return env


def _production(**overrides: str) -> dict[str, str]:
    defaults = {"YIWANG_ENV": "production", "YIWANG_SECRET_KEY": SECRET, "YIWANG_ALLOWED_HOSTS": "127.0.0.1"}
    return _env(**{**defaults, **overrides})


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        (_env(YIWANG_ENV="production"), "YIWANG_SECRET_KEY"),  # no secret key
        (_production(YIWANG_SECRET_KEY="short"), "YIWANG_SECRET_KEY"),  # a weak one
        (_production(YIWANG_DEBUG="true"), "YIWANG_DEBUG"),  # debug on in production
        (_env(YIWANG_DEBUG="maybe"), "YIWANG_DEBUG"),  # a malformed value
        (_env(YIWANG_ENV="staging"), "YIWANG_ENV"),  # an unknown environment
    ],
    ids=["no-secret", "weak-secret", "debug-in-production", "malformed-bool", "unknown-env"],
)
def test_misconfiguration_stops_start_up_naming_the_variable(environment: dict[str, str], named: str) -> None:
    result = subprocess.run([*MANAGE, "check"], env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert named in result.stderr


def test_check_deploy_reports_nothing_in_production() -> None:
    result = subprocess.run(
        [*MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        env=_production(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server_without_database(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """gunicorn in production mode, pointed at a database and a Redis that are not there."""
    port = _free_port()
    dead = _free_port()  # nothing listens here
    log = tmp_path / "server.log"
    env = _production(
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{dead}/nothing",
        REDIS_URL=f"redis://127.0.0.1:{dead}/0",
        YIWANG_DB_CONN_MAX_AGE="0",
    )
    subprocess.run([*MANAGE, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True, timeout=120)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:yiwang.gunicorn_conf", "yiwang.wsgi:application"],
            env={**env, "YIWANG_BIND": f"127.0.0.1:{port}", "YIWANG_WEB_WORKERS": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, OSError):  # refused, or accepted before the app has loaded
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start:\n" + log.read_text())
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **(headers or {})})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_database_outage_gives_503_and_a_chinese_notice(server_without_database: tuple[str, Path]) -> None:
    base, _log = server_without_database

    status, _headers, body = _get(base + "/readyz")
    assert status == 503
    checks = json.loads(body)["checks"]
    assert checks["database"].startswith("error")
    assert checks["task_queue"].startswith("error")

    status, _headers, body = _get(base + "/")
    assert status == 503
    assert "系统正在维护" in body
    assert "Traceback" not in body and "OperationalError" not in body

    status, _headers, body = _get(base + "/api/v1/regions")
    assert status == 503
    assert json.loads(body)["code"] == "service_unavailable"

    status, _headers, _body = _get(base + "/healthz")
    assert status == 200


def test_production_logs_are_json_lines_with_the_request_id(server_without_database: tuple[str, Path]) -> None:
    base, log = server_without_database
    _get(base + "/", headers={"X-Request-ID": "trace-42"})
    time.sleep(0.5)
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line, gunicorn's own included, is JSON
    ours = [r for r in records if r.get("request_id") == "trace-42"]
    assert ours, log.read_text()
    assert {"time", "level", "logger", "message"} <= ours[0].keys()


def test_production_hashes_passwords_with_argon2() -> None:
    # The test settings put a fast hasher first; the real settings must not.
    import yiwang.settings as real

    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
