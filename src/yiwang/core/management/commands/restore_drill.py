from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from yiwang.core.backup import restore_drill


class Command(BaseCommand):
    help = (
        "Rehearse a restore: back up the database, restore it into a new empty one, compare every "
        "table's rows and run audit_verify on the restored copy (exit 1 on any difference)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workdir", default=str(Path(settings.VAR_DIR) / "restore-drill"))
        parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the restored database")

    def handle(self, *args: Any, workdir: str, keep: bool, **options: Any) -> None:
        report = restore_drill(Path(workdir), keep=keep)
        rows = [
            ("engine", report.engine),
            ("backup taken", report.backup_taken.isoformat(timespec="seconds")),
            ("backup size", f"{report.backup_bytes / 1_048_576:.1f} MiB"),
            ("backup time", f"{report.backup_seconds:.2f} s"),
            ("restore time", f"{report.restore_seconds:.2f} s"),
            ("restored into", report.restored_to),
            ("tables compared", str(len(report.counts))),
            ("rows restored", str(report.rows)),
            ("tables differing", ", ".join(report.differing) or "0"),
            ("audit_verify", report.audit_output.splitlines()[-1] if report.audit_output else "(no output)"),
        ]
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            self.stdout.write(f"{label:<{width}}  {value}")
        for table in report.differing:
            before, after = report.counts[table]
            self.stderr.write(f"{table}: {before} backed up, {after} restored")
        if not report.ok:
            self.stderr.write(self.style.ERROR("RESTORE DRILL FAILED"))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("restore drill passed"))
