"""The online bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.scripts import bench


def test_the_online_hall_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = bench("online.py", tmp_path, "--count=1000", "--citizens=2", "--history=5")
    assert "Yiwang online hall benchmark — sqlite, 1000 cases, 2 citizens" in out
    table = out.split("SQL/req", 1)[1]
    assert "my page: my cases" in table and "online submission (API)" in table
