"""``manage.py oversight_kpis rebuild`` recounts every day's case, queue and rating aggregates and their
monthly roll-ups (after a bulk write); ``manage.py oversight_kpis check`` compares them with a recount
from the records and fails on any difference."""

from __future__ import annotations

from datetime import date

from yiwang.core.aggregates import AggregatesCommand, records_span
from yiwang.oversight.aggregates import RECOUNTS, aggregates_check, days_recount


class Command(AggregatesCommand):
    help = "Rebuild or check the oversight's KPI aggregates (cases, queue, ratings)."
    records = "records"
    period_options = True

    def span(self) -> tuple[date, date] | None:
        from yiwang.cases.models import Case
        from yiwang.evaluation.models import Rating
        from yiwang.hall.models import QueueTicket

        return records_span([(Case, "submitted_at"), (Rating, "created_at"), (QueueTicket, "taken_at")])

    def recount(self, first: date, last: date) -> int:
        return days_recount(RECOUNTS, first, last)

    def differences(self, first: date, last: date) -> list[str]:
        return aggregates_check(first, last)
