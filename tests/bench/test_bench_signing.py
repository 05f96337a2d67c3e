"""The signing bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

import subprocess
import sys

from tests.bench.scripts import ROOT
from yiwang.core import crypto


def test_the_signing_benchmark_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "licences.py"), "--seconds=0.2", "--workers=1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout.split("per second", 1)[1]
    assert "sign" in table and "verify" in table and "gmssl (pure Python)" in table
    if crypto.SM2_BACKEND == "tongsuo":
        assert "Tongsuo (C, tongsuopy)" in table
