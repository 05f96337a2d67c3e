"""``manage.py hotline_kpis rebuild`` recounts every day's aggregates (after a bulk write);
``manage.py hotline_kpis check`` compares them with a recount from the tickets and fails on any
difference."""

from __future__ import annotations

from datetime import date

from yiwang.core.aggregates import AggregatesCommand, records_span
from yiwang.hotline.aggregates import aggregates_check, days_recount
from yiwang.hotline.models import Ticket


class Command(AggregatesCommand):
    help = "Rebuild or check the hotline's daily KPI aggregates."
    records = "tickets"

    def span(self) -> tuple[date, date] | None:
        return records_span([(Ticket, "created_at")])

    def recount(self, first: date, last: date) -> int:
        return days_recount(first, last)

    def differences(self, first: date, last: date) -> list[str]:
        return aggregates_check(first, last)
