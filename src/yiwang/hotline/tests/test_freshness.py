"""Figures that stay current (docs/architecture.md; core.dirty_days): tickets written through the service at
50 a second (or as fast as the machine writes them) from one thread while two workers and the drain
recount in others — no committed ticket stays out of the KPI aggregates longer than the bound, and after
the last one the aggregates equal a full recount. PostgreSQL (tests/freshness.py)."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.utils import timezone

from tests.freshness import Feed, stream
from tests.parallel import require_postgresql
from yiwang.core.dirty_days import BOUND_SECONDS
from yiwang.hotline import services
from yiwang.hotline.aggregates import aggregates_check
from yiwang.hotline.models import Ticket, TicketDaily, TicketDayDirty

INTAKE = {
    "kind": "complaint", "category_code": "CX0101", "description": "康宁里夜间施工噪音扰民",
    "region_code": "990102002", "caller_name": "王先生", "caller_phone": "13800138000", "channel": "phone",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    require_postgresql()  # before the fixtures load a city for nothing


def _accepted() -> int:
    return int(TicketDaily.objects.aggregate(n=Sum("accepted"))["n"] or 0)


@pytest.mark.django_db(transaction=True)
def test_a_stream_of_tickets_is_counted_within_the_bound(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def write() -> None:
        services.ticket_create(actor=people["agent"], intake=services.Intake(**INTAKE))

    result = stream(monkeypatch, [Feed("tickets", write, _accepted)], rate=50, seconds=5)["tickets"]
    print(result.describe())
    assert result.writes >= 100 and max(result.lags) <= BOUND_SECONDS, result.describe()
    assert _accepted() == Ticket.objects.count() == result.writes
    days = sorted({timezone.localdate(t) for t in Ticket.objects.values_list("created_at", flat=True)})
    assert aggregates_check(days[0], days[-1]) == [] and not TicketDayDirty.objects.exists()
