"""Case numbers: `{region}-{yyyymmdd}-{serial}`, unique under concurrency (docs/cases.md)."""

from __future__ import annotations

from datetime import date

from yiwang.cases.models import CaseNumberCounter
from yiwang.core.counters import counter_next

SERIAL_DIGITS = 6


def case_number_next(*, region_code: str, day: date) -> str:
    """The next number for ``region_code`` on ``day``. Call inside the transaction that creates the
    case: the counter row stays locked until it commits, so concurrent creations queue on it."""
    serial = counter_next(CaseNumberCounter, what="case numbers", region_code=region_code, day=day)
    return f"{region_code}-{day:%Y%m%d}-{serial:0{SERIAL_DIGITS}d}"
