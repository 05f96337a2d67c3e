from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yiwang.audit.services import audit_seal, audit_verify


class Command(BaseCommand):
    help = "Walk the audit chain; name the first altered, removed or inserted record (exit 1 if any)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seal-first", action="store_true", help="seal pending records before checking")

    def handle(self, *args: Any, seal_first: bool, **options: Any) -> None:
        if seal_first:
            audit_seal()
        result = audit_verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"audit trail intact: {result.checked} sealed records verified"))
            return
        where = f"record {result.record_id}" if result.record_id is not None else f"chain position {result.seq}"
        self.stderr.write(
            f"AUDIT TRAIL DAMAGED: {result.problem} at {where} ({result.detail}); "
            f"{result.checked} records verified before it"
        )
        raise SystemExit(1)
