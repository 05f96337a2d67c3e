"""The leaders' screens: the dashboard's figures equal the formulas on the records, in the page, the Excel
and the PDF; a department's head sees their department only; cards drill down to their cases; the
exceptions list; the window assessment names its red-flag window."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.evaluation.tests.conftest import make_case
from yiwang.oversight import aggregates

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(people: Any, company: Any, hall_visit: Any) -> dict[str, Any]:
    from yiwang.cases.models import Case
    from yiwang.evaluation import services as ratings
    from yiwang.evaluation.services import Given
    from yiwang.oversight.cards import oversee

    done = make_case(people)
    late = make_case(people, conclude=False)
    from yiwang.cases import services as cases

    cases.case_accept(actor=people["clerk"], case=late)
    Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    visit, clerk, _other = hall_visit
    ratings.rating_for_visit(visit=visit, actor=clerk, given=Given(level=4))
    ratings.rating_for_case(case=done, actor=company, channel="online", given=Given(level=5))
    oversee()
    aggregates.dirty_days_refresh()
    return {"done": done, "late": late, "visit": visit}


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboard_reads_the_formulas(data: Any, people: Any, django_assert_max_num_queries: Any) -> None:
    centre = _as(people["centre"])
    with django_assert_max_num_queries(40):
        page = centre.get("/workbench/oversight/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-kpi="received">2<' in body  # two cases submitted today
    assert 'data-kpi="on_time_rate">100.0%<' in body and 'data-kpi="satisfaction_rate">100.0%<' in body
    assert 'data-kpi="ratings">2<' in body and "<svg" in body and "示范市市场监督管理局" in body
    assert "按期办结率" in body and "政务服务效能" in body
    bad = centre.get("/workbench/oversight/?start=2026-13-01")
    assert "开始日期格式不正确" in bad.content.decode()


def test_exports_and_the_wall(data: Any, people: Any) -> None:
    from openpyxl import load_workbook

    centre = _as(people["centre"])
    xlsx = centre.get("/workbench/oversight/?group=channel&format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    kpis = {row[0]: row[1] for row in book["指标"].iter_rows(min_row=3, values_only=True)}
    assert kpis["办件量"] == 2 and kpis["按期办结率"] == 100.0
    assert "窗口绩效考核" in book.sheetnames
    pdf = centre.get("/workbench/oversight/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    wall = centre.get("/workbench/oversight/?wall=1").content.decode()
    assert "wall-display" in wall and 'hx-trigger="every 60s"' in wall


def test_department_heads_see_their_department_only(data: Any, people: Any, make_user: Any) -> None:
    other = _as(people["other_head"]).get("/workbench/oversight/").content.decode()
    assert 'data-kpi="received">0<' in other
    market = _as(people["head"]).get("/workbench/oversight/").content.decode()
    assert 'data-kpi="received">2<' in market
    from yiwang.accounts.roles import Role

    assert _as(make_user(Role.CLERK)).get("/workbench/oversight/").status_code == 403


def test_cards_drill_down_and_exceptions(data: Any, people: Any) -> None:
    centre = _as(people["centre"])
    cards = centre.get("/workbench/oversight/cards/").content.decode()
    assert data["late"].number in cards and 'data-card="overdue"' in cards
    department = data["late"].department_id
    drilled = centre.get(f"/workbench/oversight/cards/?department={department}&colour=red").content.decode()
    assert data["late"].number in drilled
    found = centre.get("/workbench/oversight/exceptions/").content.decode()
    assert "当前超期：1 件" in found and data["late"].number in found


def test_the_window_assessment_names_the_red_flag_window(data: Any, people: Any) -> None:
    page = _as(people["centre"]).get(f"/workbench/oversight/windows/?month={data['visit'].day:%Y-%m}").content.decode()
    assert "本月流动红旗窗口：A01" in page
