"""The audit trail: what is written, and how tampering is found (等保 2.0 level 3)."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.test import Client

from conftest import PASSWORD
from yiwang.accounts.roles import Role
from yiwang.audit.models import AuditChainHead, AuditRecord, AuditResult, AuditSeal
from yiwang.audit.services import audit_record, audit_seal, audit_verify
from yiwang.organisation.models import Region
from yiwang.organisation.services import department_upsert

pytestmark = pytest.mark.django_db

CODE = "91110108551385082Q"


def test_a_change_is_recorded_with_actor_roles_before_and_after(city: Region, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.SYSADMIN, username="admin")
    department, _ = department_upsert(actor=admin, credit_code=CODE, name="某局", region=city)
    department_upsert(actor=admin, credit_code=CODE, name="某某局", region=city)
    created, updated = AuditRecord.objects.filter(
        object_type="organisation.department", object_id=str(department.pk)
    ).order_by("id")
    assert created.action == "organisation.department_create"
    assert (created.actor_name, created.actor_roles) == ("admin", ["sysadmin"])
    assert created.object_id == str(department.pk)
    assert updated.action == "organisation.department_update"
    assert updated.changes == {"name": ["某局", "某某局"]}


def test_an_upsert_that_changes_nothing_leaves_no_record(city: Region) -> None:
    department_upsert(actor=None, credit_code=CODE, name="某局", region=city)
    before = AuditRecord.objects.count()
    department_upsert(actor=None, credit_code=CODE, name="某局", region=city)
    assert AuditRecord.objects.count() == before


def test_a_rolled_back_change_leaves_no_record(city: Region) -> None:
    before = AuditRecord.objects.count()

    def change_then_fail() -> None:
        with transaction.atomic():
            department_upsert(actor=None, credit_code=CODE, name="某局", region=city)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert AuditRecord.objects.count() == before


def test_logins_failures_and_logouts_are_recorded(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CLERK, username="clerk")
    client.post("/accounts/login/", {"username": "13812345678", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}, headers={"X-Request-ID": "req-7"})
    client.post("/accounts/logout/")
    failed, login, logout = AuditRecord.objects.filter(action__startswith="auth.").order_by("id")
    assert (failed.action, failed.result, failed.actor_name) == ("auth.login_failed", "failed", "138****5678")
    assert failed.source_ip == "10.1.2.3"
    assert (login.action, login.actor_name, login.request_id) == ("auth.login", "clerk", "req-7")
    assert logout.action == "auth.logout"


def test_refusals_are_recorded_for_pages_and_the_api(client: Client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CITIZEN, username="citizen"))
    client.get("/workbench/")
    denied = AuditRecord.objects.get(action="auth.permission_denied")
    assert (denied.actor_name, denied.result, denied.object_id) == ("citizen", AuditResult.DENIED, "GET /workbench/")


def test_personal_data_is_masked_in_changes() -> None:
    record = audit_record(actor=None, action="test.mask", changes={"phone": [None, "13812345678"]})
    assert record.changes == {"phone": [None, "138****5678"]}


def _trail(n: int = 5) -> list[AuditRecord]:
    records = [audit_record(actor=None, action="test.event", object_id=str(i)) for i in range(n)]
    assert audit_seal() == n
    return records


def test_a_sealed_trail_verifies() -> None:
    _trail()
    result = audit_verify()
    assert result.ok
    assert result.checked == 5
    assert AuditChainHead.objects.get().seq == 5


def test_sealing_twice_seals_nothing_twice() -> None:
    _trail()
    assert audit_seal() == 0
    assert AuditSeal.objects.count() == 5


def _without_triggers(sql: str, params: list[object]) -> None:
    """What an attacker with direct database access can do (on PostgreSQL, a superuser)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_an_altered_record_is_named() -> None:
    records = _trail()
    _without_triggers("UPDATE audit_auditrecord SET action = %s WHERE id = %s", ["test.forged", records[2].pk])
    result = audit_verify()
    assert (result.problem, result.record_id) == ("altered", records[2].pk)


def test_a_removed_record_is_named() -> None:
    records = _trail()
    _without_triggers("DELETE FROM audit_auditseal WHERE record_id = %s", [records[1].pk])
    _without_triggers("DELETE FROM audit_auditrecord WHERE id = %s", [records[1].pk])
    result = audit_verify()
    assert (result.problem, result.seq) == ("removed", 2)


def test_a_record_inserted_behind_the_platform_is_named_and_never_sealed() -> None:
    _trail()
    forged = AuditRecord.objects.create(action="test.forged", digest="0" * 64)
    assert audit_seal() == 0
    result = audit_verify()
    assert (result.problem, result.record_id) == ("inserted", forged.pk)


def test_seals_removed_from_the_end_are_found() -> None:
    records = _trail()
    _without_triggers("DELETE FROM audit_auditseal WHERE record_id = %s", [records[-1].pk])
    assert audit_verify().problem == "truncated"


def test_the_verify_command_exits_non_zero_naming_the_record(capsys: pytest.CaptureFixture[str]) -> None:
    records = _trail()
    call_command("audit_verify")
    assert "intact: 5" in capsys.readouterr().out
    _without_triggers("UPDATE audit_auditrecord SET actor_name = %s WHERE id = %s", ["someone", records[3].pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    assert exit_info.value.code == 1
    assert f"altered at record {records[3].pk}" in capsys.readouterr().err


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database triggers are PostgreSQL's")
def test_postgresql_refuses_update_and_delete_of_the_trail() -> None:
    record = _trail(1)[0]
    for statement in (
        "UPDATE audit_auditrecord SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditrecord WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, ProgrammingError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [record.pk])
    with pytest.raises((InternalError, ProgrammingError, IntegrityError)), transaction.atomic():
        AuditSeal.objects.filter(record=record).update(mac="0" * 64)


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_all_end_up_in_one_unbroken_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the concurrency that matters is PostgreSQL's")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                with transaction.atomic():
                    audit_record(actor=None, action="test.concurrent", object_id=f"{n}-{i}")
                if i % 5 == 0:
                    audit_seal()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    audit_seal()
    result = audit_verify()
    assert result.ok, result
    assert AuditSeal.objects.filter(record__action="test.concurrent").count() == 160
