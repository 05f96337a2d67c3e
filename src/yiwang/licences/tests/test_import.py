"""Bulk import of existing licences: the whole file checked first, every bad row listed, nothing issued
unless all rows are good; signing spread over worker processes; progress shown (issue 7)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from yiwang.accounts.roles import Role
from yiwang.core.identifiers import resident_id_with_check
from yiwang.licences.importer import licences_import
from yiwang.licences.models import Licence
from yiwang.licences.selectors import licence_verify
from yiwang.organisation.models import Department

pytestmark = pytest.mark.django_db
HEADER = ["证照类型代码", "证照编号", "持证主体", "持证主体代码", "颁发日期", "有效期起始日期", "有效期截止日期",
          "性别", "民族", "出生日期", "住址"]  # fmt: skip


def _people(count: int) -> list[list[str]]:
    rows = []
    for n in range(count):
        code = resident_id_with_check(f"1101011980{1 + n // 28 % 12:02d}{1 + n % 28:02d}{n % 1000:03d}")
        rows.append(["99001", f"SFZ{n:06d}", f"居民{n}", code, "2020-05-01", "2020-05-01", "", "女", "汉",
                     "1980-01-01", "示范市城东区"])  # fmt: skip
    return rows


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "证照"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def test_a_file_with_bad_rows_issues_nothing_and_lists_every_bad_row(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    rows = _people(4)
    rows[1][3] = "110101198013011234"  # no 13th month
    rows[2][0] = "00000"  # unknown type
    rows[3][1] = rows[0][1]  # the same number twice
    rows.append(["99001", "SFZ-X", "某人", resident_id_with_check("11010119800101999"), "2020-13-01", "", "", "", "汉",
                 "1980-01-01", "示范市"])  # fmt: skip
    report = licences_import(actor=None, data=_xlsx(rows), name="licences.xlsx", workers=1)
    assert report.issued == 0 and Licence.objects.count() == 0
    problems = {(e["row"], e["column"]) for e in report.errors}
    assert {(3, "D"), (4, "A"), (5, "B"), (6, "E"), (6, "H")} <= problems
    assert all(e["message"] for e in report.errors)


def test_a_good_csv_is_issued_signed_in_parallel_and_a_second_import_adds_nothing(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []
    data = _csv(_people(450))
    report = licences_import(
        actor=None, data=data, name="licences.csv", workers=2, progress=lambda d, t: seen.append((d, t))
    )
    assert (report.rows, report.issued, report.errors) == (450, 450, [])
    assert seen[-1] == (450, 450) and len(seen) >= 3
    licences = list(Licence.objects.order_by("pk"))
    assert len({l.identifier for l in licences}) == 450  # noqa: E741
    assert all(licence_verify(l.identifier).authentic for l in licences[::45])  # noqa: E741
    assert licences[0].valid_until is not None and licences[0].events.get().action == "issue"
    again = licences_import(actor=None, data=data, name="licences.csv", workers=1)
    assert again.issued == 0 and len(again.errors) == 450 and Licence.objects.count() == 450


def test_the_import_runs_as_a_job_for_the_issuing_department_only(  # type: ignore[no-untyped-def]
    client, demo_catalogue, make_user, django_capture_on_commit_callbacks
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.core.models import Job

    police = Department.objects.get(short_name="公安局")
    market_admin = make_user(Role.DEPT_ADMIN, department=Department.objects.get(short_name="市场监管局"))
    report = licences_import(actor=market_admin, data=_xlsx(_people(2)), name="x.xlsx", workers=1)
    assert report.issued == 0 and [(e["row"], e["column"]) for e in report.errors] == [(2, "A"), (3, "A")]
    client.force_login(make_user(Role.DEPT_ADMIN, department=police))
    assert client.post("/licences/manage/import/", {"file": SimpleUploadedFile("a.txt", b"x")}).status_code == 422
    upload = SimpleUploadedFile("licences.xlsx", _xlsx(_people(3)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/licences/manage/import/", {"file": upload})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == "succeeded" and job.summary == {"rows": 3, "issued": 3}, job.errors
    assert Licence.objects.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "3" in page
