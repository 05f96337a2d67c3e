"""Notifications: inbox at once, SMS and e-mail in the background with retries, channels chosen by the user."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from yiwang.accounts.agents import agent_authorise
from yiwang.accounts.roles import Role
from yiwang.accounts.services import citizen_register, password_change
from yiwang.core.models import TaskFailure
from yiwang.core.sms import LocmemSmsBackend
from yiwang.notifications.models import Notification
from yiwang.notifications.selectors import unread_count
from yiwang.notifications.services import channels_set, notify

pytestmark = pytest.mark.django_db
PASSWORD = "Kx9-long-pass"


class BrokenSmsBackend:
    def send(self, message: object) -> None:
        raise ConnectionError("gateway down")


@pytest.fixture
def citizen():  # type: ignore[no-untyped-def]
    LocmemSmsBackend.outbox.clear()
    user = citizen_register(full_name="张三", id_number="11010519491231002X", phone="13812345678", password=PASSWORD)
    user.email = "zhang@example.cn"
    user.save()
    return user


@override_settings(YIWANG_SMS_BACKEND="yiwang.core.sms.LocmemSmsBackend")
def test_a_message_reaches_the_inbox_and_sms_in_chinese(citizen, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        password_change(user=citizen, old_password=PASSWORD, new_password="Another-Good-7")
    notification = Notification.objects.get(recipient=citizen)
    assert notification.subject == "您的密码已修改"
    assert "如非本人操作，请立即拨打 12345" in notification.body
    assert notification.delivered == ["sms"]
    assert LocmemSmsBackend.outbox[0].text.startswith("【一网通办】您的密码已修改：")
    assert not mail.outbox  # e-mail is off until the user turns it on


@override_settings(YIWANG_SMS_BACKEND="yiwang.core.sms.LocmemSmsBackend")
def test_the_user_chooses_channels(citizen, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    channels_set(user=citizen, sms=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=citizen, template="account.password_changed", context={"time": "2026-11-22 10:00"})
    assert not LocmemSmsBackend.outbox
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"]]
    assert mail.outbox[0].subject == "您的密码已修改"


@override_settings(YIWANG_SMS_BACKEND="yiwang.notifications.tests.test_notifications.BrokenSmsBackend")
def test_a_failing_gateway_is_retried_and_the_message_kept(citizen, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from huey.contrib.djhuey import HUEY

    HUEY.flush()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=citizen, template="account.password_changed", context={"time": "x"})
    notification.refresh_from_db()
    assert notification.delivered == []  # still in the inbox, never lost
    retries = [t for t in HUEY.scheduled() if t.name.endswith("notification_deliver")]
    assert [t.retries for t in retries] == [2]  # the first of three retries is scheduled
    assert not TaskFailure.objects.exists()  # a failure is recorded only after the last retry
    HUEY.flush()


def test_an_agent_is_told(citizen, make_user) -> None:  # type: ignore[no-untyped-def]
    from yiwang.accounts.services import company_register
    from yiwang.core.identifiers import credit_code_with_check

    company = company_register(
        company_name="示范科技",
        credit_code=credit_code_with_check("91990100MA0000001"),
        phone="13900000000",
        password=PASSWORD,
    )
    agent_authorise(
        principal=company, agent_login="13812345678", items=[], valid_until=timezone.localdate() + timedelta(days=3)
    )
    assert "示范科技 已授权您" in Notification.objects.get(recipient=citizen).body


def test_the_inbox_page_marks_read_and_saves_channels(client: Client, citizen) -> None:  # type: ignore[no-untyped-def]
    notify(recipient=citizen, template="account.password_changed", context={"time": "2026-11-22 10:00"})
    client.force_login(citizen)
    content = client.get("/notifications/").content.decode()
    assert "您的密码已修改" in content
    assert unread_count(user=citizen) == 1
    client.post("/notifications/read/")
    assert unread_count(user=citizen) == 0
    response = client.post("/notifications/", {"email": "on"}, follow=True)
    assert "已保存您选择的接收方式。" in response.content.decode()
    assert citizen.channel_preference.email is True
    assert citizen.channel_preference.sms is False


def test_staff_read_messages_in_the_workbench(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    clerk = make_user(Role.CLERK)
    client.force_login(clerk)
    assert 'data-nav="messages"' in client.get("/workbench/").content.decode()
    assert "工作台" in client.get("/notifications/").content.decode()
