"""The Excel import checks the whole file first and imports all of it or nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from yiwang.core.identifiers import credit_code_with_check
from yiwang.organisation.importer import (
    DEPARTMENT_SHEET,
    REGION_SHEET,
    organisation_import,
    organisation_template,
)
from yiwang.organisation.models import Department, Region

pytestmark = pytest.mark.django_db

REGION_HEADER = ["代码", "名称", "级别", "上级代码"]
DEPARTMENT_HEADER = ["名称", "简称", "统一社会信用代码", "所属区划代码", "上级部门信用代码"]
CODE_A = credit_code_with_check("11880100000000001")
CODE_B = credit_code_with_check("11880100000000002")
CODE_C = credit_code_with_check("11880102000000003")


def workbook(regions: list[list[Any]] | None = None, departments: list[list[Any]] | None = None) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    if regions is not None:
        sheet = book.create_sheet(REGION_SHEET)
        for row in [REGION_HEADER, *regions]:
            sheet.append(row)
    if departments is not None:
        sheet = book.create_sheet(DEPARTMENT_SHEET)
        for row in [DEPARTMENT_HEADER, *departments]:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_REGIONS = [
    # Children before parents on purpose: order in the file does not matter.
    ["880102001", "江南街道", "街道", "880102"],
    [880100, "样例市", "市", None],  # typed as a number in Excel
    ["880102", "江南区", "区", "880100"],
]
GOOD_DEPARTMENTS = [
    ["样例市江南区民政局", "区民政局", CODE_C, "880102", CODE_B],
    ["样例市民政局", "民政局", CODE_B, "880100", None],
    ["样例市政务服务数据管理局", "政数局", CODE_A, "880100", ""],
]


def test_a_good_workbook_is_imported() -> None:
    report = organisation_import(actor=None, source=workbook(GOOD_REGIONS, GOOD_DEPARTMENTS))
    assert report.ok, report.errors
    assert (report.regions_created, report.departments_created) == (3, 3)
    assert Region.objects.get(code="880102001").path == "/880100/880102/880102001/"
    district_office = Department.objects.get(credit_code=CODE_C)
    assert district_office.parent is not None and district_office.parent.credit_code == CODE_B
    assert district_office.region.code == "880102"


def test_importing_the_same_file_twice_changes_nothing() -> None:
    data = workbook(GOOD_REGIONS, GOOD_DEPARTMENTS)
    organisation_import(actor=None, source=data)
    before = (Region.objects.count(), Department.objects.count())
    report = organisation_import(actor=None, source=data)
    assert report.ok
    assert (report.regions_created, report.departments_created) == (0, 0)
    assert (Region.objects.count(), Department.objects.count()) == before


def test_every_error_is_reported_and_nothing_is_imported() -> None:
    regions = [
        *GOOD_REGIONS,
        ["88010", "坏代码", "区", "880100"],  # row 5: code length
        ["880103", "", "区", "880100"],  # row 6: name missing
        ["880104", "某区", "大区", "880100"],  # row 7: unknown level
        ["880102", "重复", "区", "880100"],  # row 8: duplicate code
        ["880105", "孤儿区", "区", "770100"],  # row 9: parent nowhere
    ]
    departments = [
        *GOOD_DEPARTMENTS,
        ["坏码局", "", CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1"), "880100", ""],  # row 5: checksum
        ["无区划局", "", credit_code_with_check("11880100000000009"), "660000", ""],  # row 6: region nowhere
    ]
    report = organisation_import(actor=None, source=workbook(regions, departments))
    found = {(e.sheet, e.row, e.column) for e in report.errors}
    assert found == {
        (REGION_SHEET, 5, "A"),
        (REGION_SHEET, 6, "B"),
        (REGION_SHEET, 7, "C"),
        (REGION_SHEET, 8, "A"),
        (REGION_SHEET, 9, "D"),
        (DEPARTMENT_SHEET, 5, "C"),
        (DEPARTMENT_SHEET, 6, "D"),
    }
    messages = {(e.row, e.sheet): e.message for e in report.errors}
    assert messages[(8, REGION_SHEET)] == "区划代码 880102 已在第 4 行出现。"
    assert messages[(5, DEPARTMENT_SHEET)] == "统一社会信用代码的校验码不正确。"
    assert Region.objects.count() == 0
    assert Department.objects.count() == 0


def test_parents_may_already_be_in_the_system(city: Region) -> None:
    report = organisation_import(
        actor=None,
        source=workbook(
            [["990105", "新区", "区", "990100"]],
            [["示范市新区民政局", "", CODE_A, "990105", Department.objects.get(short_name="民政局").credit_code]],
        ),
    )
    assert report.ok, report.errors
    assert Region.objects.get(code="990105").parent == city


def test_a_cycle_among_departments_is_an_error_on_each_row() -> None:
    departments = [
        ["甲局", "", CODE_A, "880100", CODE_B],
        ["乙局", "", CODE_B, "880100", CODE_A],
    ]
    report = organisation_import(actor=None, source=workbook([[880100, "样例市", "市", None]], departments))
    assert {(e.row, e.column) for e in report.errors} == {(2, "E"), (3, "E")}
    assert Department.objects.count() == 0


def test_a_name_clash_with_an_existing_department_is_reported(city: Region) -> None:
    report = organisation_import(actor=None, source=workbook(None, [["示范市民政局", "", CODE_A, "990100", ""]]))
    assert [(e.row, e.column) for e in report.errors] == [(2, "A")]


def test_missing_columns_are_named() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = REGION_SHEET
    sheet.append(["代码", "名称"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = organisation_import(actor=None, source=buffer.getvalue())
    assert len(report.errors) == 1
    assert report.errors[0].message == "缺少列：级别"


def test_a_file_that_is_not_excel_is_refused_clearly() -> None:
    report = organisation_import(actor=None, source=b"name,code\nfoo,1\n")
    assert [e.message for e in report.errors] == ["文件不是有效的 Excel 工作簿（.xlsx）。"]


def test_a_workbook_without_our_sheets_is_refused() -> None:
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    report = organisation_import(actor=None, source=buffer.getvalue())
    assert not report.ok


def test_progress_is_reported() -> None:
    seen: list[tuple[int, int]] = []
    organisation_import(
        actor=None,
        source=workbook(GOOD_REGIONS, GOOD_DEPARTMENTS),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(0, 6), (1, 6), (2, 6), (3, 6), (4, 6), (5, 6), (6, 6)]


def test_the_template_has_both_sheets_and_their_headers() -> None:
    book = load_workbook(io.BytesIO(organisation_template()))
    assert book.sheetnames == [REGION_SHEET, DEPARTMENT_SHEET]
    assert [c.value for c in book[REGION_SHEET][1]] == REGION_HEADER
    assert [c.value for c in book[DEPARTMENT_SHEET][1]] == DEPARTMENT_HEADER
