from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from yiwang.core.sms import LocmemSmsBackend, sms_send
from yiwang.organisation.models import Region


@override_settings(YIWANG_SMS_BACKEND="yiwang.core.sms.LocmemSmsBackend")
def test_sms_goes_through_the_configured_backend() -> None:
    LocmemSmsBackend.outbox.clear()
    sms_send(phone="13812345678", text="您的办件已受理")
    assert [(m.phone, m.text) for m in LocmemSmsBackend.outbox] == [("13812345678", "您的办件已受理")]


def test_console_sms_masks_the_number(capsys: pytest.CaptureFixture[str]) -> None:
    sms_send(phone="13812345678", text="验证码 123456")
    assert "138****5678" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)  # a backup copies committed data, as in real use
def test_a_backup_restores_with_its_data(demo_city: None, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite backups; PostgreSQL uses pg_dump")
    target = tmp_path / "backup.sqlite3"
    call_command("backup_database", str(target))
    with sqlite3.connect(target) as restored:
        (count,) = restored.execute("SELECT count(*) FROM organisation_region").fetchone()
        (name,) = restored.execute("SELECT name FROM organisation_region WHERE code = '990100'").fetchone()
    assert count == Region.objects.count() == 10
    assert name == "示范市"
