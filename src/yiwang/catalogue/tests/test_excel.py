"""Excel export and import of the catalogue (issue 4, item 5)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from yiwang.accounts.roles import Role
from yiwang.catalogue.excel import catalogue_export, catalogue_import, catalogue_template
from yiwang.catalogue.models import ImplementationVersion, ItemImplementation, VersionStatus
from yiwang.organisation.models import Department

pytestmark = pytest.mark.django_db


def _cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def _edit(data: bytes, sheet: str, row: int, header: str, value: object) -> bytes:
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    column = [c.value for c in ws[1]].index(header) + 1
    ws.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _wipe_catalogue() -> None:
    from yiwang.catalogue.models import BaseItem, LicenceType

    ItemImplementation.objects.update(current=None)
    ImplementationVersion.objects.all().delete()
    ItemImplementation.objects.all().delete()
    BaseItem.objects.all().delete()
    LicenceType.objects.all().delete()


def test_the_template_has_one_sheet_per_table() -> None:
    sheets = _cells(catalogue_template())
    assert list(sheets) == ["基本目录", "证照类型", "实施清单", "收费", "办理流程", "申请材料", "表单字段"]
    assert sheets["实施清单"][0][:4] == ("实施编码", "基本编码", "实施部门信用代码", "行使层级")


def test_export_then_import_round_trips_exactly(demo_catalogue: None) -> None:
    exported = catalogue_export()
    versions_before = ImplementationVersion.objects.count()
    _wipe_catalogue()
    report = catalogue_import(actor=None, source=exported, publish=True)
    assert report.errors == []
    assert report.created == report.published == 39
    assert _cells(catalogue_export()) == _cells(exported)
    assert ImplementationVersion.objects.count() == versions_before == 39


def test_importing_the_same_file_twice_changes_nothing(demo_catalogue: None) -> None:
    exported = catalogue_export()
    report = catalogue_import(actor=None, source=exported, publish=True)
    assert (report.created, report.changed, report.unchanged) == (0, 0, 39)
    assert ImplementationVersion.objects.count() == 39


def test_a_changed_row_becomes_a_new_version(demo_catalogue: None) -> None:
    exported = catalogue_export()
    rows = _cells(exported)["实施清单"]
    row = next(i for i, r in enumerate(rows, start=1) if r[4] == "工伤认定")
    changed = _edit(exported, "实施清单", row, "承诺办结时限", 25)
    report = catalogue_import(actor=None, source=changed, publish=True)
    assert (report.changed, report.unchanged) == (1, 38)
    item = ItemImplementation.objects.get(current__name="工伤认定")
    assert (item.current.number, item.current.promised_limit) == (2, 25)
    assert item.versions.get(number=1).status == VersionStatus.SUPERSEDED


def test_every_problem_is_reported_by_sheet_row_and_column_and_nothing_is_imported(demo_catalogue: None) -> None:
    exported = catalogue_export()
    rows = _cells(exported)["实施清单"]
    row = next(i for i, r in enumerate(rows, start=1) if r[4] == "工伤认定")
    bad = _edit(exported, "实施清单", row, "承诺办结时限", 90)  # more than the statutory 60
    bad = _edit(bad, "实施清单", row + 1, "到现场次数", "两次")  # not a number
    bad = _edit(bad, "申请材料", 2, "必要性", "看情况")  # not a choice
    bad = _edit(bad, "办理流程", 3, "实施编码", "NOPE")  # no such implementation
    before = list(ImplementationVersion.objects.values_list("pk", "status", "promised_limit"))
    report = catalogue_import(actor=None, source=bad, publish=True)
    located = {(e.sheet, e.row, e.column) for e in report.errors}
    assert ("实施清单", row + 1, "V") in located  # 到现场次数 is column V
    assert ("申请材料", 2, "E") in located
    assert ("办理流程", 3, "A") in located
    assert all(e.message for e in report.errors)
    assert list(ImplementationVersion.objects.values_list("pk", "status", "promised_limit")) == before
    # The rule the services enforce is reported on its cell once the cells themselves are readable.
    report = catalogue_import(actor=None, source=_edit(exported, "实施清单", row, "承诺办结时限", 90), publish=True)
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("实施清单", row, "Q")]
    assert "承诺办结时限不能超过法定办结时限" in report.errors[0].message
    assert list(ImplementationVersion.objects.values_list("pk", "status", "promised_limit")) == before


@pytest.mark.parametrize("data", [b"not a workbook", b"PK\x03\x04broken zip"])
def test_an_unreadable_file_is_refused(data: bytes) -> None:
    report = catalogue_import(actor=None, source=data)
    assert [e.message for e in report.errors] == ["文件不是有效的 Excel 工作簿（.xlsx）。"]


def test_a_workbook_of_another_template_is_refused(db: None) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet1"  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    report = catalogue_import(actor=None, source=out.getvalue())
    assert "实施清单" in report.errors[0].message


def test_a_department_administrator_imports_only_for_their_department(demo_catalogue: None, make_user, city) -> None:  # type: ignore[no-untyped-def]
    market = Department.objects.get(short_name="市场监管局")
    admin = make_user(Role.DEPT_ADMIN, department=market, region=city)
    exported = catalogue_export(ItemImplementation.objects.filter(department__short_name="公安局"))
    rows = _cells(exported)["实施清单"]
    changed = _edit(exported, "实施清单", 2, "时限说明", "改一下")
    report = catalogue_import(actor=admin, source=changed)
    assert report.errors and report.errors[0].row == 2
    assert len(rows) > 1


def test_a_code_that_does_not_fit_its_department_level_and_base_code_is_refused(demo_catalogue: None) -> None:
    book = load_workbook(io.BytesIO(catalogue_export(ItemImplementation.objects.filter(current__name="工伤认定"))))
    for title in ("收费", "办理流程", "申请材料", "表单字段"):  # only the implementation row
        del book[title]
    book["实施清单"]["A2"] = "11990100MALFORMED"
    out = io.BytesIO()
    book.save(out)
    report = catalogue_import(actor=None, source=out.getvalue(), publish=True)
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("实施清单", 2, "A")]
    assert "应为 " in report.errors[0].message
    assert not ItemImplementation.objects.filter(code="11990100MALFORMED").exists()
