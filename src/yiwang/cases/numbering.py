"""Case numbers: `{region}-{yyyymmdd}-{serial}`, unique and gap-free under concurrency (docs/cases.md).

The counter's row stays locked from the draw to the commit, so parallel submissions of a region's day
draw one at a time. A submission therefore inserts its case under a provisional number, writes
everything that does not need the real one (materials and their files, the visit, the event, the audit
record), and draws the number among its last writes: the lock is held for those few statements (and
what needs the number: uses of licences or shared data in place of materials, the applicant's notice)
and the commit, not for the whole submission (issue 22, docs/performance.md). A provisional number never
commits: the transaction that wrote it either replaces it or rolls back."""

from __future__ import annotations

import uuid
from datetime import date

from yiwang.cases.models import CaseNumberCounter
from yiwang.core.counters import counter_next

SERIAL_DIGITS = 6


def case_number_next(*, region_code: str, day: date) -> str:
    """The next number for ``region_code`` on ``day``. Call inside the transaction that creates the
    case: the counter row stays locked until it commits, so concurrent creations queue on it."""
    serial = counter_next(CaseNumberCounter, what="case numbers", region_code=region_code, day=day)
    return f"{region_code}-{day:%Y%m%d}-{serial:0{SERIAL_DIGITS}d}"


PROVISIONAL_PREFIX = "~"


def case_number_provisional() -> str:
    """A number no other case has, for the case's insert until ``case_number_next`` gives the real one
    in the same transaction (33 characters; no real number begins with ``~``)."""
    return f"{PROVISIONAL_PREFIX}{uuid.uuid4().hex}"
