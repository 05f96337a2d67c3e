"""``manage.py oversight_kpis rebuild`` recounts every day's case, queue and rating aggregates and their
monthly roll-ups (after a bulk write); ``manage.py oversight_kpis check`` compares them with a recount
from the records and fails on any difference."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max, Min
from django.utils import timezone

from yiwang.oversight.aggregates import RECOUNTS, aggregates_check, days_recount


def _span() -> tuple[date, date] | None:
    from yiwang.cases.models import Case
    from yiwang.evaluation.models import Rating
    from yiwang.hall.models import QueueTicket

    firsts, lasts = [], []
    for model, field in ((Case, "submitted_at"), (Rating, "created_at"), (QueueTicket, "taken_at")):
        span = model.objects.aggregate(first=Min(field), last=Max(field))
        if span["first"] is not None:
            firsts.append(timezone.localdate(span["first"]))
            lasts.append(timezone.localdate(span["last"]))
    return (min(firsts), max(lasts)) if firsts else None


class Command(BaseCommand):
    help = "Rebuild or check the oversight's KPI aggregates (cases, queue, ratings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument("--start", type=date.fromisoformat, help="first day (default: the first record's)")
        parser.add_argument("--end", type=date.fromisoformat, help="last day (default: the last record's)")

    def handle(self, *args: Any, **options: Any) -> None:
        span = _span()
        if span is None:
            self.stdout.write("no records")
            return
        first, last = options.get("start") or span[0], options.get("end") or span[1]
        if options["action"] == "rebuild":
            rows = days_recount(RECOUNTS, first, last)
            self.stdout.write(f"recounted {first} to {last}: {rows} aggregate rows")
            return
        differences = aggregates_check(first, last)
        for difference in differences[:20]:
            self.stdout.write(difference)
        if differences:
            raise CommandError(f"{len(differences)} aggregate rows differ from a recount")
        self.stdout.write(f"aggregates of {first} to {last} equal a recount of the records")
