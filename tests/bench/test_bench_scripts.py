"""The benchmarks still run: a tiny catalogue, one short row per page (the figures are not checked)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_catalogue_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "catalogue.py"),
            "--count=300",
            "--seconds=0.3",
            "--concurrency=2",
            "--workers=1",
            "--threads=2",
            f"--var-dir={tmp_path}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Yiwang catalogue benchmark — sqlite, 300 implementations" in result.stdout
    table = result.stdout.split("SQL/req", 1)[1]
    assert "guide page" in table and "portal search, pinyin initials" in table


def test_the_case_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "cases.py"),
            "--count=2000",
            "--seconds=0.3",
            "--concurrency=2",
            "--write-concurrency=2",
            "--workers=1",
            "--threads=2",
            f"--var-dir={tmp_path}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Yiwang case benchmark — sqlite, 2000 cases" in result.stdout
    table = result.stdout.split("SQL/req", 1)[1]
    assert "approver: inbox (page)" in table and "submit + accept" in table


def test_the_online_hall_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "online.py"),
            "--count=1000",
            "--citizens=2",
            "--history=5",
            "--seconds=0.3",
            "--concurrency=2",
            "--workers=1",
            "--threads=2",
            f"--var-dir={tmp_path}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Yiwang online hall benchmark — sqlite, 1000 cases, 2 citizens" in result.stdout
    table = result.stdout.split("SQL/req", 1)[1]
    assert "my page: my cases" in table and "online submission (API)" in table
