"""The security auditor reads, searches and exports the trail; nobody else may (三员分立)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from yiwang.accounts.roles import Role
from yiwang.audit.models import AuditRecord, AuditResult
from yiwang.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(client: Client, make_user, login) -> Client:  # type: ignore[no-untyped-def]
    audit_record(
        actor=None,
        action="organisation.department_update",
        object_type="organisation.department",
        object_id="7",
        changes={"name": ["甲局", "乙局"]},
    )
    audit_record(actor=None, action="auth.login_failed", actor_name="someone", result=AuditResult.FAILED)
    return login(make_user(Role.AUDITOR, username="aud"))


def test_the_auditor_sees_the_trail(auditor_client: Client) -> None:
    content = auditor_client.get("/audit/").content.decode()
    assert "organisation.department_update" in content
    assert "<code>name</code>: 甲局 → 乙局" in content
    assert "auth.login_failed" in content


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("action=auth", "auth.login_failed", "organisation.department_update"),
        ("result=failed", "auth.login_failed", "organisation.department_update"),
        ("q=7", "organisation.department_update", "auth.login_failed"),
        ("q=someone", "auth.login_failed", "organisation.department_update"),
        ("since=2000-01-01&until=2000-01-02", "", "organisation.department_update"),
    ],
)
def test_filters(auditor_client: Client, query: str, present: str, absent: str) -> None:
    content = auditor_client.get(f"/audit/?{query}").content.decode()
    assert present in content
    assert absent not in content.split("<tbody>")[1]


def test_bad_filters_are_explained_not_a_500(auditor_client: Client) -> None:
    response = auditor_client.get("/audit/export.xlsx?since=not-a-date")
    assert response.status_code == 400
    assert "搜索条件无效。" in response.content.decode()


def test_export_is_excel_and_is_itself_audited(auditor_client: Client) -> None:
    response = auditor_client.get("/audit/export.xlsx?action=organisation")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "时间", "操作人")
    assert [row[4] for row in rows[1:]] == ["organisation.department_update"]
    export = AuditRecord.objects.get(action="audit.export")
    assert export.actor_name == "aud"
    assert export.changes["rows"] == [None, 1]


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.SUPERVISOR])
def test_no_one_else_reads_the_trail(client: Client, make_user, login, role: Role) -> None:  # type: ignore[no-untyped-def]
    login(make_user(role))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.xlsx").status_code == 403
