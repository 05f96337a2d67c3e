"""The soak bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.bench.scripts import ROOT, embedded_env


def test_the_crash_soak_runs_end_to_end(tmp_path: Path) -> None:
    """A short soak: two kill -9 rounds of servers and worker; nothing acknowledged is lost or doubled."""
    env = embedded_env(tmp_path)
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
