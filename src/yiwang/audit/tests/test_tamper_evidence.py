"""Issue 17, defect 8: the audit trail could be rewound or padded unnoticed.

A copy of a record under a new id verified as intact and pushed the sealer's look-back past later
records; deleting the newest records and rewinding the head went unseen (nothing outside the database
remembered the head); TRUNCATE passed the triggers; the table owner — the application's own role — could
disable them; and a verify during traffic reported "truncated" falsely. 等保 2.0 level 3 asks for audit
records protected from deletion, modification and overwriting."""

from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.utils import timezone

from yiwang.audit.models import AuditChainHead, AuditRecord, AuditSeal
from yiwang.audit.services import audit_anchor, audit_record, audit_seal, audit_verify

pytestmark = pytest.mark.django_db
REFUSED = (InternalError, ProgrammingError, IntegrityError)


def _without_triggers(sql: str, params: list[object]) -> None:
    """What an attacker with direct database access can do (on PostgreSQL, a superuser)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _sealed(n: int, capture: Any) -> list[AuditRecord]:
    """n records sealed, with the anchor the seal's commit writes."""
    records = [audit_record(actor=None, action="test.event", object_id=str(i)) for i in range(n)]
    with capture(execute=True):
        assert audit_seal() == n
    return records


def _checks_done() -> None:
    """Runs the deferred foreign-key checks of the test's transaction, which TRUNCATE and ALTER TABLE wait
    for (outside a test, each request's transaction has committed them)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _anchors() -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(settings.YIWANG_AUDIT_ANCHOR_PATH).read_text().splitlines()]


def _copy(record: AuditRecord, **changes: Any) -> AuditRecord:
    fields = {f.name: getattr(record, f.name) for f in AuditRecord._meta.concrete_fields if f.name != "id"}
    return AuditRecord.objects.create(**{**fields, **changes})


def test_each_seal_anchors_the_head_outside_the_database(django_capture_on_commit_callbacks: Any) -> None:
    _sealed(3, django_capture_on_commit_callbacks)
    _sealed(2, django_capture_on_commit_callbacks)
    head = AuditChainHead.objects.get()
    assert [(a["seq"], a["mac"]) for a in _anchors()] == [(3, _anchors()[0]["mac"]), (5, head.mac)]
    assert audit_anchor() is False  # already there: one line per head
    assert audit_verify().ok


def test_a_copy_under_a_new_id_is_inserted_and_does_not_stop_the_sealer(
    django_capture_on_commit_callbacks: Any,
) -> None:
    original = _sealed(2, django_capture_on_commit_callbacks)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        _copy(original, id=10**12)  # the uid is unique
    copy = _copy(original, id=10**12, uid=uuid.uuid4())  # a new uid: the digest no longer matches
    assert audit_seal() == 0
    later = audit_record(actor=None, action="test.later")  # the look-back did not move to the copy's id
    assert audit_seal() == 1 and AuditSeal.objects.filter(record=later).exists()
    assert not AuditSeal.objects.filter(record=copy).exists()
    result = audit_verify()
    assert (result.problem, result.record_id) == ("inserted", copy.pk)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite cannot drop a column's unique constraint")
def test_a_copy_with_the_same_uid_is_never_sealed(django_capture_on_commit_callbacks: Any) -> None:
    """Even where the unique constraint was dropped (the owner can), the sealer keeps a uid on the chain once."""
    original = _sealed(1, django_capture_on_commit_callbacks)[0]
    _without_triggers("ALTER TABLE audit_auditrecord DROP CONSTRAINT IF EXISTS audit_auditrecord_uid_key", [])
    copy = _copy(original)
    assert audit_seal() == 0
    result = audit_verify()
    assert (result.problem, result.record_id) == ("inserted", copy.pk)


def _rewind(records: list[AuditRecord], keep: int) -> None:
    """Deletes the newest records with their seals and sets the head back to the last one kept."""
    for record in records[keep:]:
        _without_triggers("DELETE FROM audit_auditseal WHERE record_id = %s", [record.pk])
        _without_triggers("DELETE FROM audit_auditrecord WHERE id = %s", [record.pk])
    seal = AuditSeal.objects.get(record=records[keep - 1])
    _without_triggers(
        "UPDATE audit_auditchainhead SET seq = %s, mac = %s, last_record_id = %s WHERE id = 1",
        [seal.seq, seal.mac, records[keep - 1].pk],
    )


def test_a_rewound_chain_is_found_against_its_anchor(django_capture_on_commit_callbacks: Any) -> None:
    records = _sealed(5, django_capture_on_commit_callbacks)
    _rewind(records, keep=3)
    result = audit_verify()  # the database alone is consistent again: only the anchor says otherwise
    assert (result.problem, result.seq) == ("rewound", 5)


def test_a_rewound_chain_grown_again_is_found(django_capture_on_commit_callbacks: Any) -> None:
    records = _sealed(5, django_capture_on_commit_callbacks)
    _rewind(records, keep=3)
    _sealed(2, django_capture_on_commit_callbacks)  # positions 4 and 5 again, with other records
    result = audit_verify()
    assert (result.problem, result.seq) == ("rewound", 5)


def test_a_restored_copy_verifies_against_the_anchors_of_its_time(django_capture_on_commit_callbacks: Any) -> None:
    records = _sealed(3, django_capture_on_commit_callbacks)
    backup_taken = timezone.now()
    later = _sealed(2, django_capture_on_commit_callbacks)
    _rewind([*records, *later], keep=3)  # the restored copy holds what the backup held
    assert audit_verify().problem == "rewound"  # the two lost records are not forgotten…
    assert audit_verify(anchors_until=backup_taken).ok  # …and the copy is intact as of its backup


def test_a_forged_anchor_line_is_reported(django_capture_on_commit_callbacks: Any) -> None:
    _sealed(2, django_capture_on_commit_callbacks)
    path = Path(settings.YIWANG_AUDIT_ANCHOR_PATH)
    line = json.loads(path.read_text())
    line["seq"] = 1
    path.write_text(json.dumps(line) + "\n")
    assert audit_verify().problem == "anchor_forged"


def test_the_anchor_file_is_only_appended_to(django_capture_on_commit_callbacks: Any) -> None:
    _sealed(1, django_capture_on_commit_callbacks)
    path = Path(settings.YIWANG_AUDIT_ANCHOR_PATH)
    first = path.read_bytes()
    _sealed(1, django_capture_on_commit_callbacks)
    assert path.read_bytes().startswith(first) and oct(os.stat(path).st_mode & 0o777) == "0o640"


def test_verify_command_takes_the_backup_time(
    django_capture_on_commit_callbacks: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    records = _sealed(3, django_capture_on_commit_callbacks)
    _rewind(records, keep=2)
    with pytest.raises(SystemExit):
        call_command("audit_verify")
    assert "rewound" in capsys.readouterr().err
    past = (timezone.now() - timedelta(days=1)).isoformat()
    call_command("audit_verify", "--anchors-until", past)  # a backup from before any anchor: nothing expected
    assert "intact: 2" in capsys.readouterr().out


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the database triggers are PostgreSQL's")


@postgresql_only
@pytest.mark.parametrize("table", ["audit_auditrecord", "audit_auditseal", "audit_auditchainhead"])
def test_postgresql_refuses_truncate(table: str, django_capture_on_commit_callbacks: Any) -> None:
    _sealed(1, django_capture_on_commit_callbacks)
    _checks_done()
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditRecord.objects.exists()


@postgresql_only
def test_postgresql_keeps_the_head_and_only_moves_it_forward(django_capture_on_commit_callbacks: Any) -> None:
    _sealed(3, django_capture_on_commit_callbacks)
    for statement in ("DELETE FROM audit_auditchainhead", "UPDATE audit_auditchainhead SET seq = 1"):
        with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditChainHead.objects.get().seq == 3


@postgresql_only
def test_the_application_role_cannot_alter_the_trail_nor_lift_its_triggers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The owner (migration) role can disable the triggers — which is why the app must not be it; the
    application role granted by ``db_grant_app_role`` can append and nothing else (docs/deployment.md)."""
    record = _sealed(1, django_capture_on_commit_callbacks)[0]
    _checks_done()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    owner, app = f"yiwang_test_owner_{worker}", f"yiwang_test_app_{worker}"
    with connection.cursor() as cursor:  # roles are rolled back with the test's transaction
        cursor.execute(f"CREATE ROLE {owner} NOLOGIN")
        cursor.execute(f"CREATE ROLE {app} NOLOGIN")
        for table in ("audit_auditrecord", "audit_auditseal", "audit_auditchainhead"):
            cursor.execute(f"ALTER TABLE {table} OWNER TO {owner}")
    call_command("db_grant_app_role", app, stdout=open(os.devnull, "w"))  # noqa: SIM115

    def as_role(role: str, statement: str) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
            cursor.execute(statement, [record.pk] if "%s" in statement else None)

    as_role(app, "SELECT count(*) FROM audit_auditrecord")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {app}")
        audit_record(actor=None, action="test.as_app")  # appending is what the app does
    for statement in (
        "UPDATE audit_auditrecord SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditrecord WHERE id = %s",
        "TRUNCATE audit_auditrecord CASCADE",
        "DELETE FROM audit_auditseal",
        "DELETE FROM audit_auditchainhead",
        "ALTER TABLE audit_auditrecord DISABLE TRIGGER USER",
        "ALTER TABLE audit_auditrecord OWNER TO CURRENT_USER",
        "SET session_replication_role = replica",
    ):
        with pytest.raises(REFUSED):
            as_role(app, statement)
    # The owner is stopped by the triggers, but may lift them: so the app must never be the owner.
    with pytest.raises(REFUSED):
        as_role(owner, "UPDATE audit_auditrecord SET action = 'x' WHERE id = %s")
    as_role(owner, "ALTER TABLE audit_auditrecord DISABLE TRIGGER USER")


@pytest.mark.django_db(transaction=True)
def test_verify_during_traffic_reads_one_snapshot() -> None:
    """Seals committed between the reads of the seals and of the head made ``truncated`` appear."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race that matters is PostgreSQL's")
    for i in range(50):
        audit_record(actor=None, action="test.traffic", object_id=str(i))
    audit_seal()
    stop, errors = threading.Event(), []

    def traffic() -> None:
        try:
            while not stop.is_set():
                audit_record(actor=None, action="test.traffic")
                audit_seal()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=traffic)
    thread.start()
    try:
        results = [audit_verify() for _ in range(30)]
    finally:
        stop.set()
        thread.join()
    assert not errors, errors
    assert all(result.ok for result in results), [r for r in results if not r.ok][:1]


def test_an_anchor_file_that_cannot_be_written_does_not_fail_the_seal(
    django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The seal is committed; the anchor's failure is logged and the periodic task anchors the head later."""
    settings.YIWANG_AUDIT_ANCHOR_PATH = str(tmp_path)  # a directory: appending to it fails
    audit_record(actor=None, action="test.event")
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_seal() == 1
    assert AuditSeal.objects.count() == 1
    assert any(record.levelname == "ERROR" for record in caplog.records)
