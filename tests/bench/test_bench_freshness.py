"""The freshness bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.bench.scripts import ROOT, SHORT, embedded_env


def test_the_freshness_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    """A short stream with the consumer killed -9 in the middle: every write in the figures within the bound
    (the script fails otherwise), the aggregates equal a recount — SQLite with Huey on SQLite."""
    env = embedded_env(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "freshness.py"), "--rate=20", *SHORT, f"--var-dir={tmp_path}"],
        env=env, capture_output=True, text=True, timeout=400, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "Figures' freshness — sqlite, Huey on SQLite, 20 writes/s for 0.3 s, consumer killed -9" in result.stdout
    table = result.stdout.split("recounts", 1)[1]
    assert "tickets" in table and "cases" in table
    assert "hotline_kpis check: equal to a recount" in table and "oversight_kpis check: equal to a recount" in table
