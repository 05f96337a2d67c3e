"""``manage.py hotline_kpis rebuild`` recounts every day's aggregates (after a bulk write);
``manage.py hotline_kpis check`` compares them with a recount from the tickets and fails on any
difference."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max, Min
from django.utils import timezone

from yiwang.hotline.aggregates import aggregates_check, days_recount
from yiwang.hotline.models import Ticket


class Command(BaseCommand):
    help = "Rebuild or check the hotline's daily KPI aggregates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])

    def handle(self, *args: Any, **options: Any) -> None:
        span = Ticket.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
        if span["first"] is None:
            self.stdout.write("no tickets")
            return
        first: date = timezone.localdate(span["first"])
        last: date = timezone.localdate(span["last"])
        if options["action"] == "rebuild":
            rows = days_recount(first, last)
            self.stdout.write(f"recounted {first} to {last}: {rows} aggregate rows")
            return
        differences = aggregates_check(first, last)
        for difference in differences[:20]:
            self.stdout.write(difference)
        if differences:
            raise CommandError(f"{len(differences)} aggregate rows differ from a recount")
        self.stdout.write(f"aggregates of {first} to {last} equal a recount of the tickets")
