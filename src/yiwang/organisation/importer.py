"""Excel import of regions and departments.

The whole workbook is read and validated before anything is written; every problem is reported
with its sheet, row and column, and if there is any problem nothing is imported. Rows are matched
on their natural keys (division code, credit code), so importing the same file twice changes nothing.

Workbook layout (``organisation_template`` writes a blank one):
- sheet 行政区划: 代码 | 名称 | 级别 | 上级代码
- sheet 部门: 名称 | 简称 | 统一社会信用代码 | 所属区划代码 | 上级部门信用代码
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from yiwang.core.excel import Progress, RowError, SheetReader, sheet_pick, workbook_read
from yiwang.core.identifiers import normalise_credit_code
from yiwang.organisation.models import LEVEL_DEPTH, Department, Region, RegionLevel
from yiwang.organisation.rules import department_problems, region_problems
from yiwang.organisation.services import department_upsert, region_upsert

if TYPE_CHECKING:
    from yiwang.accounts.models import User

REGION_SHEET = "行政区划"
DEPARTMENT_SHEET = "部门"

# Column key -> accepted header texts (Chinese as in the template, English for scripts).
REGION_COLUMNS = {
    "code": ("代码", "区划代码", "code"),
    "name": ("名称", "name"),
    "level": ("级别", "level"),
    "parent": ("上级代码", "上级区划代码", "parent_code", "parent"),
}
REGION_REQUIRED = ("code", "name", "level")
DEPARTMENT_COLUMNS = {
    "name": ("名称", "部门名称", "name"),
    "short_name": ("简称", "short_name"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "region": ("所属区划代码", "区划代码", "region_code", "region"),
    "parent": ("上级部门信用代码", "上级部门", "parent_credit_code", "parent"),
}
DEPARTMENT_REQUIRED = ("name", "credit_code", "region")

LEVEL_WORDS = {
    "省": RegionLevel.PROVINCE,
    "省级": RegionLevel.PROVINCE,
    "province": RegionLevel.PROVINCE,
    "市": RegionLevel.CITY,
    "市级": RegionLevel.CITY,
    "地级市": RegionLevel.CITY,
    "city": RegionLevel.CITY,
    "区": RegionLevel.DISTRICT,
    "县": RegionLevel.DISTRICT,
    "区县": RegionLevel.DISTRICT,
    "区/县": RegionLevel.DISTRICT,
    "县级": RegionLevel.DISTRICT,
    "district": RegionLevel.DISTRICT,
    "乡": RegionLevel.TOWNSHIP,
    "镇": RegionLevel.TOWNSHIP,
    "街道": RegionLevel.TOWNSHIP,
    "乡镇": RegionLevel.TOWNSHIP,
    "乡镇街道": RegionLevel.TOWNSHIP,
    "乡/镇/街道": RegionLevel.TOWNSHIP,
    "township": RegionLevel.TOWNSHIP,
    "村": RegionLevel.VILLAGE,
    "社区": RegionLevel.VILLAGE,
    "村社区": RegionLevel.VILLAGE,
    "村/社区": RegionLevel.VILLAGE,
    "village": RegionLevel.VILLAGE,
}


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    regions_created: int = 0
    regions_updated: int = 0
    departments_created: int = 0
    departments_updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _RegionRow:
    row: int
    code: str
    name: str
    level: str
    parent: str


@dataclass
class _DepartmentRow:
    row: int
    name: str
    short_name: str
    credit_code: str
    region: str
    parent: str


def _validate_regions(sheet: SheetReader, report: ImportReport) -> list[_RegionRow]:
    rows: list[_RegionRow] = []
    seen: dict[str, int] = {}
    for number, values in sheet.records:
        level = LEVEL_WORDS.get(values["level"].lower(), LEVEL_WORDS.get(values["level"], ""))
        row = _RegionRow(number, values["code"], values["name"], str(level) if level else "", values.get("parent", ""))
        errors_before = len(report.errors)
        if not row.code:
            report.errors.append(
                RowError(sheet.title, number, sheet.letter("code"), _("The division code is required."))
            )
        elif row.code in seen:
            report.errors.append(
                RowError(
                    sheet.title,
                    number,
                    sheet.letter("code"),
                    _("Division code %(code)s already appears in row %(row)d.")
                    % {"code": row.code, "row": seen[row.code]},
                )
            )
        if not values["level"]:
            report.errors.append(RowError(sheet.title, number, sheet.letter("level"), _("The level is required.")))
        elif not level:
            report.errors.append(
                RowError(
                    sheet.title,
                    number,
                    sheet.letter("level"),
                    _("Unknown level %(value)s; use 省, 市, 区县, 乡镇街道 or 村社区.") % {"value": values["level"]},
                )
            )
        if row.code:
            seen.setdefault(row.code, number)
        if level and row.code:
            for column, message in region_problems(code=row.code, name=row.name, level=row.level, parent_level=None):
                report.errors.append(RowError(sheet.title, number, sheet.letter(column), message))
        if row.parent and row.parent == row.code:
            report.errors.append(
                RowError(sheet.title, number, sheet.letter("parent"), _("A region cannot be its own parent."))
            )
        if len(report.errors) == errors_before:
            rows.append(row)
    # Parents: in the file or already in the database, at a higher level, and without cycles.
    in_file = {r.code: r for r in rows}
    existing = dict(
        Region.objects.filter(code__in={r.parent for r in rows if r.parent} - in_file.keys()).values_list(
            "code", "level"
        )
    )
    valid: list[_RegionRow] = []
    for row in rows:
        if not row.parent:
            valid.append(row)
            continue
        parent_level = in_file[row.parent].level if row.parent in in_file else existing.get(row.parent)
        if parent_level is None:
            report.errors.append(
                RowError(
                    sheet.title,
                    row.row,
                    sheet.letter("parent"),
                    _("Parent division code %(code)s is neither in the file nor in the system.") % {"code": row.parent},
                )
            )
        elif LEVEL_DEPTH[RegionLevel(parent_level)] >= LEVEL_DEPTH[RegionLevel(row.level)]:
            report.errors.append(
                RowError(
                    sheet.title,
                    row.row,
                    sheet.letter("parent"),
                    _("The parent region must be at a higher level than the region."),
                )
            )
        else:
            valid.append(row)
    return valid


def _region_depth_order(rows: list[_RegionRow]) -> list[_RegionRow]:
    # Levels strictly deepen from parent to child (checked above), so sorting by level depth
    # writes every parent before its children and no cycle can exist.
    return sorted(rows, key=lambda r: (LEVEL_DEPTH[RegionLevel(r.level)], r.code))


def _validate_departments(
    sheet: SheetReader, report: ImportReport, region_codes_in_file: set[str]
) -> list[_DepartmentRow]:
    rows: list[_DepartmentRow] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    for number, values in sheet.records:
        row = _DepartmentRow(
            number,
            values["name"],
            values.get("short_name", ""),
            normalise_credit_code(values["credit_code"]),
            values["region"],
            normalise_credit_code(values.get("parent", "")),
        )
        errors_before = len(report.errors)
        for column, message in department_problems(name=row.name, credit_code=row.credit_code):
            report.errors.append(RowError(sheet.title, number, sheet.letter(column), message))
        if row.credit_code and row.credit_code in seen_codes:
            report.errors.append(
                RowError(
                    sheet.title,
                    number,
                    sheet.letter("credit_code"),
                    _("Credit code %(code)s already appears in row %(row)d.")
                    % {"code": row.credit_code, "row": seen_codes[row.credit_code]},
                )
            )
        if (row.region, row.name) in seen_names:
            report.errors.append(
                RowError(
                    sheet.title,
                    number,
                    sheet.letter("name"),
                    _("A department with this name in this region already appears in row %(row)d.")
                    % {"row": seen_names[(row.region, row.name)]},
                )
            )
        if len(row.short_name) > 50:
            report.errors.append(
                RowError(
                    sheet.title, number, sheet.letter("short_name"), _("The short name may not exceed 50 characters.")
                )
            )
        if not row.region:
            report.errors.append(
                RowError(sheet.title, number, sheet.letter("region"), _("The region code is required."))
            )
        if row.parent and row.parent == row.credit_code:
            report.errors.append(
                RowError(sheet.title, number, sheet.letter("parent"), _("A department cannot be its own parent."))
            )
        seen_codes.setdefault(row.credit_code, number)
        seen_names.setdefault((row.region, row.name), number)
        if len(report.errors) == errors_before:
            rows.append(row)

    regions_known = region_codes_in_file | set(
        Region.objects.filter(code__in={r.region for r in rows}).values_list("code", flat=True)
    )
    codes_in_file = {r.credit_code for r in rows}
    parents_known = codes_in_file | set(
        Department.objects.filter(credit_code__in={r.parent for r in rows if r.parent}).values_list(
            "credit_code", flat=True
        )
    )
    clashes = {
        (region, name): code
        for region, name, code in Department.objects.filter(
            name__in={r.name for r in rows}, region__code__in={r.region for r in rows}
        ).values_list("region__code", "name", "credit_code")
    }
    valid: list[_DepartmentRow] = []
    for row in rows:
        ok = True
        if row.region not in regions_known:
            ok = False
            report.errors.append(
                RowError(
                    sheet.title,
                    row.row,
                    sheet.letter("region"),
                    _("Division code %(code)s is neither in the file nor in the system.") % {"code": row.region},
                )
            )
        if row.parent and row.parent not in parents_known:
            ok = False
            report.errors.append(
                RowError(
                    sheet.title,
                    row.row,
                    sheet.letter("parent"),
                    _("Parent department %(code)s is neither in the file nor in the system.") % {"code": row.parent},
                )
            )
        other = clashes.get((row.region, row.name))
        if other is not None and other != row.credit_code:
            ok = False
            report.errors.append(
                RowError(
                    sheet.title,
                    row.row,
                    sheet.letter("name"),
                    _("Another department with this name already exists in this region (credit code %(code)s).")
                    % {"code": other},
                )
            )
        if ok:
            valid.append(row)
    return valid


def _department_order(rows: list[_DepartmentRow], sheet: SheetReader, report: ImportReport) -> list[_DepartmentRow]:
    """Parents before children; a cycle among the file's rows is an error on each row in it."""
    by_code = {r.credit_code: r for r in rows}
    ordered: list[_DepartmentRow] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(row: _DepartmentRow, trail: list[_DepartmentRow]) -> bool:
        mark = state.get(row.credit_code)
        if mark == 2:
            return True
        if mark == 1:
            for member in trail[trail.index(row) :]:
                report.errors.append(
                    RowError(sheet.title, member.row, sheet.letter("parent"), _("The parent departments form a cycle."))
                )
            return False
        state[row.credit_code] = 1
        parent = by_code.get(row.parent)
        ok = visit(parent, [*trail, row]) if parent is not None else True
        state[row.credit_code] = 2
        ordered.append(row)
        return ok

    for row in rows:
        visit(row, [])
    return ordered


def organisation_import(
    *, actor: User | None, source: IO[bytes] | bytes, progress: Progress | None = None
) -> ImportReport:
    """Validates the whole workbook, then imports it in one transaction, or imports nothing."""
    report = ImportReport()
    sheets = workbook_read(source, report.errors)
    if sheets is None:
        return report
    region_sheet = sheet_pick(sheets, REGION_SHEET, "regions")
    department_sheet = sheet_pick(sheets, DEPARTMENT_SHEET, "departments")
    if region_sheet is None and department_sheet is None:
        report.errors.append(RowError("", 0, "", _("The workbook needs a sheet named 行政区划 or 部门.")))
        return report
    regions: list[_RegionRow] = []
    departments: list[_DepartmentRow] = []
    if region_sheet is not None:
        sheet = SheetReader(*region_sheet, REGION_COLUMNS, REGION_REQUIRED, report.errors)
        regions = _region_depth_order(_validate_regions(sheet, report))
    if department_sheet is not None:
        sheet = SheetReader(
            department_sheet[0], department_sheet[1], DEPARTMENT_COLUMNS, DEPARTMENT_REQUIRED, report.errors
        )
        departments = _department_order(_validate_departments(sheet, report, {r.code for r in regions}), sheet, report)
    if report.errors:
        report.errors.sort(key=lambda e: (e.sheet != REGION_SHEET, e.sheet, e.row, e.column))
        return report

    total = len(regions) + len(departments)
    done = 0
    if progress:
        progress(0, total)
    with transaction.atomic():
        region_by_code: dict[str, Region] = {}
        for r in regions:
            parent = region_by_code.get(r.parent) or (Region.objects.get(code=r.parent) if r.parent else None)
            region, created = region_upsert(actor=actor, code=r.code, name=r.name, level=r.level, parent=parent)
            region_by_code[r.code] = region
            report.regions_created += created
            report.regions_updated += not created
            done += 1
            if progress:
                progress(done, total)
        department_by_code: dict[str, Department] = {}
        for d in departments:
            region = region_by_code.get(d.region) or Region.objects.get(code=d.region)
            parent_department = department_by_code.get(d.parent) or (
                Department.objects.get(credit_code=d.parent) if d.parent else None
            )
            department, created = department_upsert(
                actor=actor,
                credit_code=d.credit_code,
                name=d.name,
                region=region,
                parent=parent_department,
                short_name=d.short_name,
            )
            department_by_code[d.credit_code] = department
            report.departments_created += created
            report.departments_updated += not created
            done += 1
            if progress:
                progress(done, total)
    return report


def organisation_template() -> bytes:
    """A blank workbook with both sheets and their headers."""
    workbook = Workbook()
    regions = workbook.active
    assert regions is not None
    regions.title = REGION_SHEET
    regions.append([names[0] for names in REGION_COLUMNS.values()])
    departments = workbook.create_sheet(DEPARTMENT_SHEET)
    departments.append([names[0] for names in DEPARTMENT_COLUMNS.values()])
    for sheet in (regions, departments):
        for column in range(1, 6):
            sheet.column_dimensions[get_column_letter(column)].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
