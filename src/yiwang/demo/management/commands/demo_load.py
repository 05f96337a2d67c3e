from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yiwang.core.errors import DomainError
from yiwang.demo.city import DEMO_ACCOUNTS, demo_load


class Command(BaseCommand):
    help = "Loads the demo city 示范市 (idempotent; refused in production)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-history", action="store_true", help="skip the generated 12345 history and its dispatch model"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = demo_load(history=not options.get("no_history"))
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"示范市 ready: {summary.regions} regions, {summary.departments} departments, "
            f"{summary.accounts_created} demo accounts created now ({len(DEMO_ACCOUNTS)} in all), "
            f"{summary.implementations_created} catalogue items published now, "
            f"{summary.disclosure_items} disclosure items and {summary.disclosure_requests} disclosure requests "
            f"made now, {summary.tickets_generated} 12345 tickets and {summary.cases_generated} cases of history "
            "generated now."
        )
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Demo accounts (password {settings.YIWANG_DEMO_PASSWORD!r} unless changed):")
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  {account.username:<26} {account.role.label}")
