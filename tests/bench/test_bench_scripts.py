"""The benchmarks still run: tiny data, one short row per measurement (the figures are not checked)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHORT = ["--seconds=0.3", "--concurrency=2", "--workers=1", "--threads=2"]


def _bench(script: str, tmp_path: Path, *options: str) -> str:
    """Runs bench/<script> on embedded SQLite in ``tmp_path``; returns the table it printed."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *options, *SHORT, f"--var-dir={tmp_path}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_catalogue_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = _bench("catalogue.py", tmp_path, "--count=300")
    assert "Yiwang catalogue benchmark — sqlite, 300 implementations" in out
    table = out.split("SQL/req", 1)[1]
    assert "guide page" in table and "portal search, pinyin initials" in table


def test_the_case_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = _bench("cases.py", tmp_path, "--count=2000", "--write-concurrency=2")
    assert "Yiwang case benchmark — sqlite, 2000 cases" in out
    table = out.split("SQL/req", 1)[1]
    assert "approver: inbox (page)" in table and "submit + accept" in table


def test_the_online_hall_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = _bench("online.py", tmp_path, "--count=1000", "--citizens=2", "--history=5")
    assert "Yiwang online hall benchmark — sqlite, 1000 cases, 2 citizens" in out
    table = out.split("SQL/req", 1)[1]
    assert "my page: my cases" in table and "online submission (API)" in table


def test_the_signing_benchmark_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "licences.py"), "--seconds=0.2", "--workers=1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "sign" in result.stdout and "verify" in result.stdout


def test_the_licence_service_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [
            sys.executable, str(ROOT / "bench" / "licences_service.py"), "--rows=60", "--sign-workers=1,2",
            "--seconds=0.3", "--concurrency=2", "--workers=1", "--threads=2", f"--var-dir={tmp_path}",
        ],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Bulk import of 60 licences" in result.stdout and "verify API, random licence" in result.stdout


def test_the_fuzzing_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fuzz.py"), "--requests=100", "--no-coverage", f"--var-dir={tmp_path}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Yiwang API fuzzing — sqlite, in process: " in result.stdout
    assert "server errors (5xx): 0\nschema failures: 0\n" in result.stdout


def test_the_crash_soak_runs_end_to_end(tmp_path: Path) -> None:
    """A short soak: two kill -9 rounds of servers and worker; nothing acknowledged is lost or doubled."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [
            sys.executable, str(ROOT / "bench" / "soak.py"), "--minutes=0.4", "--clients=4", "--kill-every=9",
            "--grace=60", f"--var-dir={tmp_path}",
        ],
        env=env, capture_output=True, text=True, timeout=400, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    table = result.stdout.split("Yiwang crash soak — sqlite", 1)[1]
    assert "missing                  0" in table and "duplicated               0" in table
    rounds = int(re.search(r"crashes \(kill -9\)\s+(\d+) rounds", table).group(1))  # type: ignore[union-attr]
    assert rounds >= 2, table


def test_the_trading_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [
            sys.executable, str(ROOT / "bench" / "trading.py"), "--bidders=6", "--late=1", "--window=3",
            "--experts=60", "--draws=1", "--concurrency=3", "--workers=1", "--threads=2", "--size=2000",
            f"--var-dir={tmp_path}",
        ],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "5 accepted of 5 sent in time (0 reached the server after the deadline" in result.stdout
    assert "1 of 1 sent late refused, 0 late accepted" in result.stdout
    assert "random draw of 5 from 60 experts" in result.stdout


def test_the_freshness_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    """A short stream with the consumer killed -9 in the middle: every write in the figures within the bound
    (the script fails otherwise), the aggregates equal a recount — SQLite with Huey on SQLite."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "freshness.py"), "--rate=20", *SHORT, f"--var-dir={tmp_path}"],
        env=env, capture_output=True, text=True, timeout=400, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "Figures' freshness — sqlite, Huey on SQLite, 20 writes/s for 0.3 s, consumer killed -9" in result.stdout
    table = result.stdout.split("recounts", 1)[1]
    assert "tickets" in table and "cases" in table
    assert "hotline_kpis check: equal to a recount" in table and "oversight_kpis check: equal to a recount" in table
