"""Call records with 接通率 and 15秒应答率, hotspot analysis with its bulletin, and the supervisor's
dashboard with its Excel export."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from yiwang.accounts.api_keys import api_key_issue
from yiwang.accounts.roles import Role
from yiwang.demo.city import demo_departments
from yiwang.demo.hotline import demo_hotline_load
from yiwang.hotline.calls import call_kpis, calls_import, rows_from_csv
from yiwang.hotline.hotspots import hotspots
from yiwang.hotline.models import CallRecord, Category, Ticket, TicketStatus
from yiwang.organisation.models import Region

pytestmark = pytest.mark.django_db
CSV = (
    "呼叫编号,来电时间,接听时间,挂机时间,坐席\n"
    "c1,2026-11-20 09:00:00,2026-11-20 09:00:10,2026-11-20 09:03:00,A01\n"
    "c2,2026-11-20 09:01:00,2026-11-20 09:01:20,2026-11-20 09:05:00,A02\n"
    "c3,2026-11-20 09:02:00,,2026-11-20 09:02:40,\n"
    "c4,2026-11-21 10:00:00,2026-11-21 10:00:15,2026-11-21 10:06:00,A01\n"
)


@pytest.fixture
def supervisor(demo_city, make_user, city):  # type: ignore[no-untyped-def]
    demo_hotline_load(demo_departments())
    return make_user(Role.SUPERVISOR, region=city)


def test_call_records_give_the_answer_rate_and_the_15_second_rate(supervisor) -> None:  # type: ignore[no-untyped-def]
    rows, problems = rows_from_csv(CSV.encode())
    assert problems == []
    report = calls_import(actor=supervisor, rows=rows)
    assert (report.imported, report.skipped, report.errors) == (4, 0, [])
    assert calls_import(actor=supervisor, rows=rows).skipped == 4  # sent again: nothing doubled
    (total,) = call_kpis(start=date(2026, 11, 20), end=date(2026, 11, 21))
    # 接通率 = 3 answered / 4 incoming; 15秒应答率 = 2 answered within 15 s (10 s, 15 s) / 3 answered.
    assert (total.incoming, total.answered, total.within_15s) == (4, 3, 2)
    assert (total.answer_rate, total.rate_15s, total.average_wait) == (75.0, 66.67, 15.0)
    by_day = call_kpis(start=date(2026, 11, 20), end=date(2026, 11, 21), group="day")
    assert [(r.group, r.incoming) for r in by_day] == [("2026-11-20", 3), ("2026-11-21", 1)]


def test_a_bad_call_file_imports_nothing_and_says_where(supervisor) -> None:  # type: ignore[no-untyped-def]
    bad = CSV + "c5,昨天,,,\nc6,2026-11-21 10:00:00,2026-11-21 09:00:00,,\nc1,2026-11-22 10:00:00,,,\n"
    rows, _ = rows_from_csv(bad.encode())
    report = calls_import(actor=supervisor, rows=rows)
    assert CallRecord.objects.count() == 0
    assert [(e["row"], e["column"]) for e in report.errors] == [(6, "arrived_at"), (7, "answered_at"), (8, "call_id")]
    assert "不是有效的日期时间" in report.errors[0]["message"]
    _rows, header = rows_from_csv(b"foo,bar\n1,2\n")
    assert "呼叫编号" in header[0]["message"]


def test_call_records_through_the_api_with_a_scoped_key(supervisor) -> None:  # type: ignore[no-untyped-def]
    secret, _key = api_key_issue(actor=None, name="话务系统", scopes=["hotline:calls"])
    client = Client()
    call = {"call_id": "x1", "arrived_at": "2026-11-20T09:00:00+08:00", "answered_at": "2026-11-20T09:00:05+08:00"}
    body = {"calls": [call]}
    assert client.post("/api/v1/hotline/calls", body, content_type="application/json").status_code == 401
    sent = client.post("/api/v1/hotline/calls", body, content_type="application/json", HTTP_X_API_KEY=secret)
    assert sent.status_code == 200 and sent.json()["imported"] == 1
    bad = {"calls": [{"call_id": "x2", "arrived_at": "later"}]}
    refused = client.post("/api/v1/hotline/calls", bad, content_type="application/json", HTTP_X_API_KEY=secret)
    assert refused.status_code == 422 and refused.json()["code"] == "validation_error"
    assert CallRecord.objects.count() == 1
    kpis = Client()
    kpis.force_login(supervisor)
    got = kpis.get("/api/v1/hotline/calls/kpis", {"start": "2026-11-20", "end": "2026-11-20"}).json()
    assert got["rows"][0]["answer_rate"] == 100.0


def _tickets(category: Category, region: Region, count: int, days_ago: float) -> None:
    """``count`` closed tickets about ``days_ago`` days old (received_at is set after the insert, as
    auto_now_add would overwrite it)."""
    now = timezone.now()
    made = Ticket.objects.bulk_create(
        Ticket(
            number=f"T{category.code}{region.code}{days_ago}-{n}", channel="phone", kind="complaint",
            category=category, region=region, status=TicketStatus.CLOSED,
            description="工地夜间施工打桩噪音扰民" if category.code == "CX0101" else "路灯不亮",
        )
        for n in range(count)
    )  # fmt: skip
    for n, ticket in enumerate(made):
        Ticket.objects.filter(pk=ticket.pk).update(created_at=now - timedelta(days=days_ago, hours=n % 20))


def test_a_category_rising_against_its_baseline_is_a_hotspot(supervisor) -> None:  # type: ignore[no-untyped-def]
    night = Category.objects.get(code="CX0101")
    lights = Category.objects.exclude(code="CX0101").filter(children__isnull=True).first()
    assert lights is not None
    street = Region.objects.get(code="990102002")
    for week in range(1, 5):  # four weeks before: two a week of each
        _tickets(night, street, 2, 7 * week + 2)
        _tickets(lights, street, 2, 7 * week + 2)
    _tickets(night, street, 30, 2)  # this week: night construction soars, street lights as usual
    _tickets(lights, street, 2, 2)
    spots = hotspots(Ticket.objects.all(), end=timezone.localdate(), days=7)
    assert [e.name for e in spots.categories] == ["夜间施工"]
    entry = spots.categories[0]
    assert (entry.count, entry.baseline) == (30, 2.0) and entry.change == 1400.0
    assert spots.areas[0].name == street.name
    assert "打桩" in [e.name for e in spots.keywords] and "路灯" not in [e.name for e in spots.keywords]
    assert spots.districts[0][1][0] == ("夜间施工", 30)


def test_the_hotspot_page_and_its_bulletin(client, supervisor) -> None:  # type: ignore[no-untyped-def]
    night = Category.objects.get(code="CX0101")
    _tickets(night, Region.objects.get(code="990102002"), 12, 1)
    client.force_login(supervisor)
    page = client.get("/workbench/hotline/hotspots/")
    assert page.status_code == 200 and "上升的诉求类别" in page.content.decode() and "<svg" in page.content.decode()
    assert client.get("/workbench/hotline/hotspots/", {"days": "abc"}).status_code == 422
    pdf = client.get("/workbench/hotline/hotspots/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "热线热点聚焦" in text and "夜间施工" in text
    book = load_workbook(io.BytesIO(client.get("/workbench/hotline/hotspots/", {"format": "xlsx"}).content))
    assert book["上升的诉求类别"]["A2"].value == "夜间施工"


def test_the_dashboard_shows_the_kpis_with_charts_and_exports_them(client, supervisor) -> None:  # type: ignore[no-untyped-def]
    night = Category.objects.get(code="CX0101")
    _tickets(night, Region.objects.get(code="990102002"), 3, 1)
    call_command("hotline_kpis", "rebuild")  # the tickets were written in bulk, past the aggregates
    rows, _ = rows_from_csv(CSV.replace("2026-11-2", timezone.localdate().isoformat()[:-1]).encode())
    client.force_login(supervisor)
    page = client.get("/workbench/hotline/dashboard/", {"group": "category"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-kpi="accepted">3<' in html and html.count("<svg") >= 2
    assert client.get("/workbench/hotline/dashboard/", {"start": "2026-13-01"}).status_code == 422
    export = client.get("/workbench/hotline/dashboard/", {"format": "xlsx", "group": "category"})
    book = load_workbook(io.BytesIO(export.content))
    sheet = book["指标"]
    assert sheet["A2"].value == "分组" and sheet["B3"].value == 3
    assert {"话务", "黄红牌"} <= set(book.sheetnames)
    assert rows  # the CSV is valid for any day


def test_only_supervisors_and_dispatchers_see_the_dashboard(client, demo_city, make_user, city) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.HOTLINE_AGENT, region=city))
    assert client.get("/workbench/hotline/dashboard/").status_code == 403
    assert client.get("/workbench/hotline/calls/").status_code == 403


def test_the_weekly_bulletin_is_made_kept_and_downloaded(client, supervisor, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from yiwang.hotline.models import Bulletin
    from yiwang.hotline.tasks import bulletin_weekly

    settings.MEDIA_ROOT = tmp_path
    _tickets(Category.objects.get(code="CX0101"), Region.objects.get(code="990102002"), 12, 2)
    call_command("hotline_kpis", "rebuild")
    bulletin_weekly.call_local()
    bulletin_weekly.call_local()  # made again: the same period's bulletin, replaced
    bulletin = Bulletin.objects.get()
    assert bulletin.end == timezone.localdate() - timedelta(days=1) and bulletin.tickets == 12
    client.force_login(supervisor)
    page = client.get("/workbench/hotline/hotspots/").content.decode()
    assert "data-bulletins" in page
    pdf = client.get(f"/workbench/hotline/bulletins/{bulletin.pk}.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/workbench/hotline/bulletins/{bulletin.pk}.doc").status_code == 404
