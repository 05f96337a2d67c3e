"""The licence_service bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.bench.scripts import ROOT, embedded_env


def test_the_licence_service_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
    result = subprocess.run(
        [
            sys.executable, str(ROOT / "bench" / "licences_service.py"), "--rows=60", "--sign-workers=1,2",
            "--seconds=0.3", "--concurrency=2", "--workers=1", "--threads=2", f"--var-dir={tmp_path}",
        ],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Bulk import of 60 licences" in result.stdout and "verify API, random licence" in result.stdout
    assert "1.735 million" in result.stdout and "pgbench: not measured (SQLite run" in result.stdout
