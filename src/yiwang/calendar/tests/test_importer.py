from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook

from yiwang.calendar.importer import SHEET, calendar_import
from yiwang.calendar.models import CalendarDay, CalendarYear
from yiwang.calendar.workdays import add_working_days

pytestmark = pytest.mark.django_db


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(["日期", "类型", "说明"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SCHEDULE_2027 = [
    [date(2027, 1, 1), "休", "元旦"],
    ["2027-02-06", "班", "春节调休上班"],  # typed as text
    [date(2027, 2, 10), "休", "春节"],
]


def test_a_year_is_imported_and_its_deadlines_become_firm() -> None:
    report = calendar_import(actor=None, source=workbook(SCHEDULE_2027))
    assert report.errors == []
    assert (report.year, report.days) == (2027, 3)
    assert CalendarYear.objects.get(year=2027).complete
    assert add_working_days(date(2026, 12, 28), 5).provisional is False


def test_importing_again_replaces_the_year() -> None:
    calendar_import(actor=None, source=workbook(SCHEDULE_2027))
    calendar_import(actor=None, source=workbook(SCHEDULE_2027[:1]))
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [date(2027, 1, 1)]


def test_every_bad_row_is_reported_and_nothing_is_written() -> None:
    rows = [*SCHEDULE_2027, ["2027-13-01", "休", ""], [date(2027, 1, 1), "休", "重复"], [date(2027, 5, 1), "放风", ""]]
    report = calendar_import(actor=None, source=workbook(rows))
    assert [(e["row"], e["column"]) for e in report.errors] == [(5, "A"), (6, "A"), (7, "B")]
    assert not CalendarDay.objects.exists()
    assert not CalendarYear.objects.exists()


def test_one_file_is_one_year() -> None:
    report = calendar_import(actor=None, source=workbook([[date(2027, 1, 1), "休", ""], [date(2028, 1, 1), "休", ""]]))
    assert report.errors[0]["message"] == "一个文件只能包含一年；此文件包含 2027、2028。"


def test_the_admin_screen_imports_a_year_as_a_job(make_user, login, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.accounts.roles import Role

    client = login(make_user(Role.SYSADMIN))
    refused = client.post("/admin/workcalendar/calendarday/import/", {"file": SimpleUploadedFile("2027.csv", b"a,b\n")})
    assert "请上传 .xlsx 格式的工作簿。" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/workcalendar/calendarday/import/",
            {"file": SimpleUploadedFile("2027.xlsx", workbook(SCHEDULE_2027))},
        )
    assert response["Location"].startswith("/workbench/jobs/")
    assert "<dt>年份</dt><dd>2027</dd>" in client.get(response["Location"]).content.decode()
    assert CalendarYear.objects.get(year=2027).complete
