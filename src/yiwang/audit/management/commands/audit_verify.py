from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from yiwang.audit.services import audit_seal, audit_verify


def _instant(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return timezone.make_aware(when) if timezone.is_naive(when) else when


class Command(BaseCommand):
    help = "Walk the audit chain against its anchors; name the first damaged record (exit 1 if any)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seal-first", action="store_true", help="seal pending records before checking")
        parser.add_argument(
            "--anchors-until",
            type=_instant,
            help="on a restored copy: the time the backup was taken (ISO 8601); heads anchored later are not expected",
        )

    def handle(self, *args: Any, seal_first: bool, anchors_until: datetime | None, **options: Any) -> None:
        if seal_first:
            audit_seal()
        result = audit_verify(anchors_until=anchors_until)
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"audit trail intact: {result.checked} sealed records verified"))
            return
        where = f"record {result.record_id}" if result.record_id is not None else f"chain position {result.seq}"
        self.stderr.write(
            f"AUDIT TRAIL DAMAGED: {result.problem} at {where} ({result.detail}); "
            f"{result.checked} records verified before it"
        )
        raise SystemExit(1)
