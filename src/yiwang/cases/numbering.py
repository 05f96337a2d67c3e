"""Case numbers: `{region}-{yyyymmdd}-{serial}`, unique under concurrency (docs/cases.md)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from yiwang.cases.models import CaseNumberCounter

SERIAL_DIGITS = 6


def case_number_next(*, region_code: str, day: date) -> str:
    """The next number for ``region_code`` on ``day``. Call inside the transaction that creates the
    case: the counter row stays locked until it commits, so concurrent creations queue on it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case numbers are drawn inside the transaction that creates the case")
    counter = _counter_id(region_code, day)
    CaseNumberCounter.objects.filter(pk=counter).update(last=F("last") + 1)
    serial = CaseNumberCounter.objects.values_list("last", flat=True).get(pk=counter)
    return f"{region_code}-{day:%Y%m%d}-{serial:0{SERIAL_DIGITS}d}"


def _counter_id(region_code: str, day: date) -> int:
    existing = CaseNumberCounter.objects.filter(region_code=region_code, day=day).values_list("pk", flat=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():  # a savepoint: losing the race to create the row is not an error
            return CaseNumberCounter.objects.create(region_code=region_code, day=day).pk
    except IntegrityError:
        return CaseNumberCounter.objects.values_list("pk", flat=True).get(region_code=region_code, day=day)
