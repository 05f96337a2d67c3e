"""The learned dispatch suggestions, from the command line.

manage.py hotline_dispatch_model evaluate     # top-1 / top-3 accuracy on a held-out fifth
manage.py hotline_dispatch_model train        # evaluate, fit on everything, store; suggestions use it
manage.py hotline_dispatch_model history 20000  # add a generated history of dispatched tickets (demo)

It lives in the demo context because of its ``history`` action: the generated history is demo data, which
the hotline does not hold (``demo.history.hotline``); training and evaluating are the hotline's own
``hotline.learning``, also retrained nightly by its task.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.demo.history.hotline import history_generate
from yiwang.hotline.learning import model_evaluate, model_train


class Command(BaseCommand):
    help = "Evaluate or train the learned dispatch suggestions; generate a demo ticket history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["evaluate", "train", "history"])
        parser.add_argument("count", nargs="?", type=int, default=20_000)

    def handle(self, *args: Any, action: str, count: int, **options: Any) -> None:
        try:
            if action == "history":
                made = history_generate(count)
                self.stdout.write(f"{made.tickets} tickets generated in {made.seconds:.1f} s")
                return
            result = model_train() if action == "train" else model_evaluate()
        except ValueError as reason:
            raise CommandError(str(reason)) from reason
        self.stdout.write(
            f"{result.samples} dispatched tickets, {result.units} units: "
            f"top-1 accuracy {result.top1:.1%}, top-3 accuracy {result.top3:.1%} (held-out fifth)"
        )
