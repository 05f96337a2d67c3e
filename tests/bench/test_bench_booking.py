"""The flash-crowd booking script still runs end to end (tests/bench/scripts.py), and its checks hold at a
small scale: 300 citizens for 60 places in 3 slots, a few pressing twice, then the kiosks' check-in."""

from __future__ import annotations

from pathlib import Path

from tests.bench.scripts import bench


def test_the_flash_crowd_booking_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = bench("booking.py", tmp_path, "--citizens=300", "--places=60", "--slots=3", "--repeat=10", "--kiosks=2")
    assert "Yiwang flash-crowd booking — sqlite, 300 citizens, 60 places in 3 slots" in out
    assert "60 of 60 places booked" in out and "60 queue numbers for 60 appointments" in out
    assert "server errors (5xx, 'database is locked' among them): 0; connection failures: 0" in out
    assert "slots booked/capacity 60/60, none over (0 over); people holding two 0" in out
    assert "numbers distinct 60, serials 1…n a day without a gap: True" in out
    table = out.split("SQL/req", 1)[1]
    assert "refused slot_full (409)" in table and "refused already_booked (409)" in table
    assert "queue number (201)" in table and "refused wrong_status (409)" in table
    assert "first come first served — all hold" in out
