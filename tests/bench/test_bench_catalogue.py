"""The catalogue bench script still runs end to end (tests/bench/scripts.py)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.scripts import bench


def test_the_catalogue_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = bench("catalogue.py", tmp_path, "--count=300")
    assert "Yiwang catalogue benchmark — sqlite, 300 implementations" in out
    table = out.split("SQL/req", 1)[1]
    assert "guide page" in table and "portal search, pinyin initials" in table
