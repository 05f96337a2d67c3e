"""The staff screens of the catalogue: review and publication, import job, export, statistics."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from yiwang.accounts.roles import Role
from yiwang.catalogue import services
from yiwang.catalogue.excel import catalogue_export
from yiwang.catalogue.kpis import catalogue_kpis
from yiwang.catalogue.models import ItemImplementation, VersionStatus
from yiwang.organisation.models import Department

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def staff(make_user, city, demo_catalogue):  # type: ignore[no-untyped-def]
    market = Department.objects.get(short_name="市场监管局")
    return {
        "dept_admin": make_user(Role.DEPT_ADMIN, department=market, region=city),
        "centre_admin": make_user(Role.CENTRE_ADMIN, region=city),
        "clerk": make_user(Role.CLERK, region=city),
    }


def test_a_department_administrator_sees_only_their_department(staff, login) -> None:  # type: ignore[no-untyped-def]
    page = login(staff["dept_admin"]).get("/workbench/catalogue/").content.decode()
    assert "食品经营许可（新办）" in page
    assert "居民身份证换领" not in page


def test_other_staff_may_not_manage_the_catalogue(staff, login) -> None:  # type: ignore[no-untyped-def]
    client = login(staff["clerk"])
    assert client.get("/workbench/catalogue/").status_code == 403
    assert client.get("/workbench/catalogue/export.xlsx").status_code == 403


def test_change_submit_and_publish_through_the_screens(staff, login) -> None:  # type: ignore[no-untyped-def]
    item = ItemImplementation.objects.get(current__name="食品经营许可（变更）")
    admin = login(staff["dept_admin"])
    assert admin.post(f"/workbench/catalogue/{item.code}/change/").status_code == 302
    draft = item.versions.get(number=2)
    services.version_update(actor=staff["dept_admin"], version=draft, promised_limit=2)
    page = admin.get(f"/workbench/catalogue/{item.code}/").content.decode()
    assert 'data-action="submit"' in page
    assert '<th scope="row">承诺办结时限</th><td>3</td><td>2</td>' in page  # the difference from the published one
    admin.post(f"/workbench/catalogue/{item.code}/submit/")
    assert item.versions.get(number=2).status == VersionStatus.REVIEW
    # The department administrator may not publish; the centre administrator may.
    assert 'data-action="publish"' not in admin.get(f"/workbench/catalogue/{item.code}/").content.decode()
    centre = login(staff["centre_admin"])
    assert "1 个事项版本待审核" in centre.get("/workbench/").content.decode()
    assert 'data-action="publish"' in centre.get(f"/workbench/catalogue/{item.code}/").content.decode()
    centre.post(f"/workbench/catalogue/{item.code}/publish/")
    item.refresh_from_db()
    assert (item.current.number, item.current.promised_limit) == (2, 2)


def test_a_refused_step_is_explained_not_a_500(staff, login) -> None:  # type: ignore[no-untyped-def]
    item = ItemImplementation.objects.get(current__name="食品经营许可（变更）")
    client = login(staff["centre_admin"])
    response = client.post(f"/workbench/catalogue/{item.code}/return/", {"reason": "x"}, follow=True)
    assert response.status_code == 200
    assert "已发布" in response.content.decode()  # not possible for a published version


def test_import_job_submits_new_versions_and_reports(staff, login, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    data = catalogue_export(ItemImplementation.objects.filter(department__short_name="市场监管局"))
    book = load_workbook(io.BytesIO(data))
    sheet = book["实施清单"]
    column = [c.value for c in sheet[1]].index("时限说明") + 1
    sheet.cell(row=2, column=column, value="改为网上预约后办理")
    out = io.BytesIO()
    book.save(out)
    client = login(staff["dept_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/workbench/catalogue/import/",
            {"file": SimpleUploadedFile("c.xlsx", out.getvalue(), content_type=XLSX), "submit": "on"},
        )
    page = client.get(response["Location"]).content.decode()
    assert "完成。" in page
    assert "<dt>新版本</dt><dd>1</dd>" in page
    item = ItemImplementation.objects.get(versions__limit_note="改为网上预约后办理")
    assert item.versions.get(limit_note="改为网上预约后办理").status == VersionStatus.REVIEW


def test_kpis_follow_their_documented_formulas(staff) -> None:  # type: ignore[no-untyped-def]
    overall, rows = catalogue_kpis()
    published = ItemImplementation.objects.filter(current__status=VersionStatus.PUBLISHED)
    total = published.count()
    assert overall.total == total
    assert overall.counts["fully_online"] == published.filter(current__visits=0).count()
    assert overall.counts["at_most_one_visit"] == published.filter(current__visits__lte=1).count()
    assert overall.counts["on_the_spot"] == published.filter(current__case_kind="on_the_spot").count()
    assert sum(r.total for r in rows) == total
    by_region = catalogue_kpis(by="region")[1]
    assert [r.name for r in by_region] == ["示范市"]


def test_statistics_page_draws_a_chart(staff, login) -> None:  # type: ignore[no-untyped-def]
    page = login(staff["centre_admin"]).get("/workbench/catalogue/statistics/?kpi=fully_online").content.decode()
    assert "<svg" in page
    assert "全程网办率" in page
    assert page.count('class="chart-bar"') == 10  # ten departments have published items
