"""The warm-workers bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.scripts import bench


def test_the_warm_workers_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = bench("warm.py", tmp_path, "--modes=preload", "--paths=suggestion", "--history=300", "--no-start")
    assert "Yiwang warm workers — sqlite, 300 tickets" in out
    assert "12345 web: category suggestion" in out.split("First request after a start", 1)[1]
