"""The Excel import through the admin screen, as a system administrator would use it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.accounts.roles import Role
from yiwang.organisation.models import Department, Region
from yiwang.organisation.tests.test_importer import GOOD_DEPARTMENTS, GOOD_REGIONS, workbook

pytestmark = pytest.mark.django_db
URL = "/admin/organisation/region/import/"


def _upload(data: bytes, name: str = "orgs.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def _submit(client, data: bytes, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Uploads in the admin; the job runs when the upload commits (inline in tests), then the job page."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": _upload(data)})
    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/jobs/")
    return client.get(response["Location"])


def test_a_good_file_is_imported_and_summarised(make_user, login, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.SYSADMIN))
    page = _submit(client, workbook(GOOD_REGIONS, GOOD_DEPARTMENTS), django_capture_on_commit_callbacks)
    content = page.content.decode()
    assert "完成。" in content
    assert "<dt>新增行政区划</dt><dd>3</dd>" in content
    assert "<dt>新增部门</dt><dd>3</dd>" in content
    assert "hx-trigger" not in content  # finished: the page stops polling
    assert Region.objects.filter(code__startswith="88").count() == 3


def test_a_bad_file_lists_every_problem_and_imports_nothing(
    make_user, login, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.SYSADMIN))
    bad = [*GOOD_REGIONS, ["88010", "坏代码", "区", "880100"]]
    content = _submit(client, workbook(bad, GOOD_DEPARTMENTS), django_capture_on_commit_callbacks).content.decode()
    assert "发现 1 个问题，未导入任何数据。" in content
    assert "<td>行政区划</td><td>5</td><td>A</td><td>区划代码应为 6、9 或 12 位数字。</td>" in content
    assert not Region.objects.exists()
    assert not Department.objects.exists()


def test_only_xlsx_is_accepted(make_user, login) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.SYSADMIN))
    response = client.post(URL, {"file": _upload(b"a,b\n", name="orgs.csv")})
    assert "请上传 .xlsx 格式的工作簿。" in response.content.decode()


def test_the_template_downloads(make_user, login) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.SYSADMIN))
    response = client.get(URL + "template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename=organisation-template.xlsx"


def test_a_region_added_in_the_admin_gets_its_path(make_user, login, city) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.SYSADMIN))
    response = client.post(
        "/admin/organisation/region/add/", {"code": "990105", "name": "新区", "level": "district", "parent": city.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Region.objects.get(code="990105").path == "/990100/990105/"


def test_the_admin_form_refuses_a_bad_credit_code(make_user, login, city) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.SYSADMIN))
    response = client.post(
        "/admin/organisation/department/add/",
        {"name": "某局", "short_name": "", "credit_code": "91110108551385082R", "region": city.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "统一社会信用代码的校验码不正确。" in response.content.decode()


def test_a_department_administrator_sees_only_their_department(make_user, login, city) -> None:  # type: ignore[no-untyped-def]
    market = Department.objects.get(short_name="市场监管局")
    client = login(make_user(Role.DEPT_ADMIN, department=market, region=city))
    content = client.get("/admin/organisation/department/").content.decode()
    assert "示范市市场监督管理局" in content
    assert "示范市公安局" not in content


def test_a_district_centre_administrator_sees_only_their_district(make_user, login, city) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.CENTRE_ADMIN, region=Region.objects.get(code="990102")))
    content = client.get("/admin/organisation/region/").content.decode()
    assert "东湖街道" in content
    assert "西山街道" not in content
