"""The calendar's admin screens write through the services (issue 17, defect 7).

Each screen is posted as the system administrator would: the change is saved, the audit trail names
them, and a bad value is refused on the re-rendered form in Chinese with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.audit.models import AuditRecord
from yiwang.calendar.models import CalendarDay, CalendarYear, DayKind
from yiwang.calendar.services import calendar_day_set, calendar_year_set

pytestmark = pytest.mark.django_db

YEARS = "/admin/workcalendar/calendaryear/"
DAYS = "/admin/workcalendar/calendarday/"


@pytest.fixture
def sysadmin(make_user: Callable[..., User], login: Callable[[User], Client]) -> User:
    user = make_user(Role.SYSADMIN)
    login(user)
    return user


def _audited(action: str, target: Any, actor: User) -> AuditRecord:
    record = AuditRecord.objects.get(action=action, object_id=str(target.pk), actor_id=actor.pk)
    assert (record.actor_id, record.actor_name) == (actor.pk, actor.username)
    return record


def test_calendar_year_admin_saves_through_the_service_and_audits(client: Client, sysadmin: User) -> None:
    """Defect 7: CalendarYearAdmin saved without a service or audit."""
    year = calendar_year_set(actor=None, year=2100, complete=True, note="")

    response = client.post(f"{YEARS}{year.pk}/change/", {"note": "本地调休待定"})  # "complete" unticked

    assert response.status_code == 302
    year.refresh_from_db()
    assert (year.complete, year.note) == (False, "本地调休待定")
    assert _audited("calendar.year_set", year, sysadmin).changes == {
        "complete": [True, False],
        "note": ["", "本地调休待定"],
    }


def test_a_new_calendar_year_is_created_through_the_service(client: Client, sysadmin: User) -> None:
    """Defect 7: CalendarYearAdmin saved without a service or audit — the add form too."""
    response = client.post(f"{YEARS}add/", {"year": 2099, "complete": "on", "note": "全年已录入"})

    assert response.status_code == 302
    _audited("calendar.year_set", CalendarYear.objects.get(year=2099), sysadmin)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"year": 2099, "complete": "on", "note": "已\x01录入"}, "此项含有不允许的字符"),
        ({"year": 2099, "complete": "on", "note": "注" * 201}, "不超过 200 字符"),
        ({"year": 1949, "complete": "on", "note": ""}, "请输入 2000 至 2100 之间的年份。"),
    ],
)
def test_calendar_year_admin_refuses_a_bad_value_in_chinese(
    client: Client, sysadmin: User, form: dict[str, Any], message: str
) -> None:
    """Defect 7: CalendarYearAdmin saved without a service or audit — and without the field rules."""
    response = client.post(f"{YEARS}add/", form)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarYear.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="calendar.").exists()


def test_a_calendar_year_is_withdrawn_by_unticking_it_not_deleted(client: Client, sysadmin: User) -> None:
    """Defect 7: deleting a year would drop what was said of it; the screen does not delete."""
    year = calendar_year_set(actor=None, year=2099, complete=True, note="全年已录入")

    assert client.post(f"{YEARS}{year.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CalendarYear.objects.filter(pk=year.pk).exists()


def test_a_day_of_the_table_is_changed_and_removed_through_the_services(client: Client, sysadmin: User) -> None:
    """Defect 7: the day screen next to the years deletes through the service too, audited."""
    day = calendar_day_set(actor=None, when=date(2099, 10, 1), kind=DayKind.REST, reason="国庆节")

    refused = client.post(f"{DAYS}{day.pk}/change/", {"kind": DayKind.REST, "reason": "国庆\x01节"})
    assert refused.status_code == 200
    assert "此项含有不允许的字符" in refused.content.decode()
    assert CalendarDay.objects.get(pk=day.pk).reason == "国庆节"

    assert client.post(f"{DAYS}{day.pk}/change/", {"kind": DayKind.WORK, "reason": "调休上班"}).status_code == 302
    assert _audited("calendar.day_set", day, sysadmin).changes["kind"] == [DayKind.REST, DayKind.WORK]

    assert client.post(f"{DAYS}{day.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not CalendarDay.objects.exists()
    assert _audited("calendar.day_clear", day, sysadmin).changes["kind"] == [DayKind.WORK, None]


def test_deleting_selected_days_goes_through_the_service(client: Client, sysadmin: User) -> None:
    """Defect 7: the changelist's "delete selected" action bypassed delete_model; it is audited too."""
    days = [calendar_day_set(actor=None, when=date(2099, 10, n), kind=DayKind.REST, reason="国庆节") for n in (1, 2)]

    response = client.post(
        DAYS, {"action": "delete_selected", "_selected_action": [day.pk for day in days], "post": "yes"}
    )

    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    for day in days:
        _audited("calendar.day_clear", day, sysadmin)
