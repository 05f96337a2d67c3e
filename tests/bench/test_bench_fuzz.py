"""The fuzz bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.bench.scripts import ROOT, embedded_env


def test_the_fuzzing_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
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
