"""The trading bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.bench.scripts import ROOT, embedded_env


def test_the_trading_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
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
