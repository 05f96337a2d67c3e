"""Running a bench script as a test: tiny data, one short row per measurement (the figures are not checked).
Each script's test has its own file, so the parallel suite spreads them over its workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHORT = ["--seconds=0.3", "--concurrency=2", "--workers=1", "--threads=2"]


def embedded_env(tmp_path: Path) -> dict[str, str]:
    """The environment without a configured database, cache or settings: the scripts run on embedded SQLite,
    their home copied from the run's prepared one (``template_for``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    return {**env, "YIWANG_BENCH_TEMPLATE": str(template_for(tmp_path))}


def template_for(tmp_path: Path) -> Path:
    """One prepared embedded home for the whole run, beside the test's temporary directory and shared by
    the parallel workers (bench/run.py prepares it once, under a lock, and copies it into each test's)."""
    root = tmp_path.parent
    if root.name.startswith("popen-gw"):
        root = root.parent
    return root / "bench-template"


def bench(script: str, tmp_path: Path, *options: str) -> str:
    """Runs bench/<script> on embedded SQLite in ``tmp_path``; returns the table it printed."""
    env = embedded_env(tmp_path)
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
