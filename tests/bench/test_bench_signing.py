"""The signing bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

import subprocess
import sys

from tests.bench.scripts import ROOT


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
