"""A consistent online copy of the embedded SQLite database (SQLite's backup API)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Copy the SQLite database to DESTINATION while the site runs (use pg_dump for PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination")

    def handle(self, *args: Any, destination: str, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError("This command backs up SQLite; for PostgreSQL use pg_dump (docs/deployment.md).")
        if connection.in_atomic_block:
            raise CommandError("Run the backup outside a transaction: it copies committed data only.")
        target = Path(destination)
        if target.exists():
            raise CommandError(f"{target} exists; choose a new file name.")
        target.parent.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
        source = connection.connection
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        self.stdout.write(f"backed up to {target} ({target.stat().st_size} bytes)")
