"""The restore drill (issue 17): back up, restore into an empty database, compare every table, and
verify the audit trail on the restored copy — on the engine the suite runs on (SQLite, then PostgreSQL
in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from yiwang.audit.models import AuditRecord
from yiwang.audit.services import audit_record, audit_seal
from yiwang.core.backup import restore_drill
from yiwang.organisation.models import Region


@pytest.mark.django_db(transaction=True)  # a backup copies committed data, as in real use
def test_a_restored_copy_has_every_row_and_an_intact_audit_trail(demo_city: None, tmp_path: Path) -> None:
    for i in range(30):
        audit_record(actor=None, action="test.drill", object_id=str(i))
    audit_seal()  # commits, so the head is anchored outside the database
    audit_record(actor=None, action="test.drill.unsealed")  # still waiting for the sealer: expected
    report = restore_drill(tmp_path)
    assert report.engine == connection.vendor
    assert report.ok, (report.differing, report.audit_output)
    assert report.counts["organisation_region"] == (Region.objects.count(),) * 2
    records = AuditRecord.objects.count()  # the demo city's and the drill's
    assert report.counts["audit_auditrecord"] == (records, records)
    assert f"intact: {records - 1} sealed records" in report.audit_output


@pytest.mark.django_db(transaction=True)
def test_the_drill_fails_loudly_when_the_restored_trail_is_damaged(
    demo_city: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy whose trail misses what was anchored before the backup is not a good backup."""
    from django.conf import settings

    from yiwang.audit.anchors import anchor_append
    from yiwang.audit.services import _chain_key

    for i in range(3):
        audit_record(actor=None, action="test.drill", object_id=str(i))
    audit_seal()
    anchor_append(_chain_key(), 999_999, "0" * 64)  # a head the database never had, anchored before the backup
    with pytest.raises(SystemExit):
        call_command("restore_drill", "--workdir", str(tmp_path))
    output = capsys.readouterr()
    assert "RESTORE DRILL FAILED" in output.err and "rewound" in output.out + output.err
    assert Path(settings.YIWANG_AUDIT_ANCHOR_PATH).exists()
