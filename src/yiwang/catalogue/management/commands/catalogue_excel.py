from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.catalogue.excel import catalogue_export, catalogue_import


class Command(BaseCommand):
    help = (
        "Exports the published catalogue to an Excel workbook, or imports one (all or nothing; "
        "--publish for loading a catalogue the system is given, e.g. from the provincial platform)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("path", type=Path)
        parser.add_argument("--publish", action="store_true", help="publish what the import creates or changes")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if options["action"] == "export":
            path.write_bytes(catalogue_export())
            self.stdout.write(f"Exported to {path}")
            return
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        report = catalogue_import(actor=None, source=path.read_bytes(), publish=options["publish"])
        for error in report.errors:
            self.stderr.write(f"{error.sheet} {error.row}{error.column}: {error.message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} problems; nothing was imported.")
        self.stdout.write(
            f"created {report.created}, changed {report.changed}, unchanged {report.unchanged}, "
            f"published {report.published}"
        )
