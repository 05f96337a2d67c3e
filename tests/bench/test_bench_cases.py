"""The cases bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.scripts import bench


def test_the_case_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = bench("cases.py", tmp_path, "--count=2000", "--write-concurrency=2")
    assert "Yiwang case benchmark — sqlite, 2000 cases" in out
    table = out.split("SQL/req", 1)[1]
    assert "approver: inbox (page)" in table and "submit + accept" in table
