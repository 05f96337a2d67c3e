"""What the aggregates recounted by day share (the hotline's daily KPIs, the oversight's case, queue and
rating aggregates; their dirty marks are ``core.dirty_days``): a summed duration in seconds, the span of
days the records cover, and the ``<context>_kpis rebuild|check`` command built on both."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max, Min, Model
from django.utils import timezone


def duration_seconds(value: Any) -> int:
    """A duration the database summed, in whole seconds (0 for none)."""
    if value is None:
        return 0
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    return int(value) // 1_000_000  # microseconds, as some backends sum durations


def records_span(sources: Iterable[tuple[type[Model], str]]) -> tuple[date, date] | None:
    """The first and last local day of the records, over every (model, time field); None if there are none."""
    firsts, lasts = [], []
    for model, field in sources:
        span = model._default_manager.aggregate(first=Min(field), last=Max(field))
        if span["first"] is not None:
            firsts.append(timezone.localdate(span["first"]))
            lasts.append(timezone.localdate(span["last"]))
    return (min(firsts), max(lasts)) if firsts else None


class AggregatesCommand(BaseCommand):
    """``rebuild`` recounts every day of the records' span (after a bulk write); ``check`` compares the
    stored aggregates with a recount and fails on any difference. A context's command says what its
    records are called, where their span comes from, how to recount them and how to compare."""

    records = "records"  # as the output names them
    period_options = False  # --start and --end narrow the span

    def span(self) -> tuple[date, date] | None:
        raise NotImplementedError

    def recount(self, first: date, last: date) -> int:
        raise NotImplementedError

    def differences(self, first: date, last: date) -> list[str]:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])
        if self.period_options:
            parser.add_argument("--start", type=date.fromisoformat, help="first day (default: the first record's)")
            parser.add_argument("--end", type=date.fromisoformat, help="last day (default: the last record's)")

    def handle(self, *args: Any, **options: Any) -> None:
        span = self.span()
        if span is None:
            self.stdout.write(f"no {self.records}")
            return
        first, last = options.get("start") or span[0], options.get("end") or span[1]
        if options["action"] == "rebuild":
            rows = self.recount(first, last)
            self.stdout.write(f"recounted {first} to {last}: {rows} aggregate rows")
            return
        differences = self.differences(first, last)
        for difference in differences[:20]:
            self.stdout.write(difference)
        if differences:
            raise CommandError(f"{len(differences)} aggregate rows differ from a recount")
        self.stdout.write(f"aggregates of {first} to {last} equal a recount of the {self.records}")
