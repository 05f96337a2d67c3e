"""The annual report as files: Excel (one sheet per table of the form, numbers as numbers) and PDF (the title,
the computed tables, and the narrative sections staff write — blank and headed, or with the texts given)."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.platypus import Spacer, TableStyle

from yiwang.core.pdf import document, paragraph, table
from yiwang.disclosure.report import AnnualReport, C, Line, Table, Value

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The narrative parts of a report, written by the body's staff around the computed tables.
NARRATIVES = ("overview", "problems", "other")
INDENT = "\u3000"  # an ideographic space per level, as the printed forms indent their rows
EXTRA_MARK = "※"
PAGE_WIDTH = 470.0  # A4 less core.pdf's margins, in points


def shown(value: Value) -> str:
    """A figure as printed: whole numbers as they are, amounts without trailing zeros, nothing for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    return str(value)


def row_text(line: Line) -> str:
    return f"{EXTRA_MARK if line.extra else ''}{line.number}{line.label}"


def narrative_headings(report: AnnualReport) -> dict[str, str]:
    """The narrative sections' headings, numbered around the format's tables."""
    if report.format == "2016":
        return {
            "overview": C("I. Overview"),
            "problems": C("III. Main problems and improvements"),
            "other": C("IV. Other matters to report"),
        }
    return {
        "overview": C("I. Overview"),
        "problems": C("V. Main problems and improvements"),
        "other": C("VI. Other matters to report"),
    }


def filename(report: AnnualReport, extension: str) -> str:
    return f"{report.body_name}{report.year}-{report.format}.{extension}"


def header_rows(tab: Table, lead: list[str]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The table's header rows and their merged areas (first column, first row, last column, last row; from
    0): one row, or two when columns are grouped (the group over its columns, a lone column down both)."""
    if not tab.grouped:
        return [[*lead, *(c.label for c in tab.columns)]], []
    top, bottom = [*lead], [""] * len(lead)
    merges = [(i, 0, i, 1) for i in range(len(lead))]
    index = 0
    for group, span in tab.header_groups():
        columns = tab.columns[index : index + span]
        at = len(lead) + index
        if group:
            top += [group] + [""] * (span - 1)
            bottom += [c.label for c in columns]
            if span > 1:
                merges.append((at, 0, at + span - 1, 0))
        else:
            top.append(columns[0].label)
            bottom.append("")
            merges.append((at, 0, at, 1))
        index += span
    return [top, bottom], merges


# --- Excel -----------------------------------------------------------------------------------------------


def _sheet_title(title: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name[:28]}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _write_table(sheet: Worksheet, tab: Table) -> None:
    bold = Font(bold=True)
    sheet.append([tab.caption])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    lead = [tab.stub, C("Unit")] if tab.units else [tab.stub]
    header, merges = header_rows(tab, lead)
    first = sheet.max_row + 1
    for cells in header:
        sheet.append(cells)
    for column, top, last_column, bottom in merges:
        sheet.merge_cells(
            start_row=first + top, start_column=column + 1, end_row=first + bottom, end_column=last_column + 1
        )
    for row_number in range(first, first + len(header)):
        for cell in sheet[row_number]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for line in tab.lines:
        unit = [line.unit] if tab.units else []
        sheet.append([row_text(line), *unit, *line.values])
        label = sheet.cell(row=sheet.max_row, column=1)
        label.alignment = Alignment(indent=line.level * 2, wrap_text=True)
        if line.heading:
            label.font = bold
        if line.note:
            sheet.append([f"{INDENT * (line.level + 1)}{line.note}"])
    if tab.note:
        sheet.append([tab.note])
    sheet.append([])


def workbook(report: AnnualReport) -> bytes:
    """One sheet per table of the form (the 2021 table 二's four blocks share its sheet): the report's title,
    the table's title, its headers and rows; figures are numbers."""
    book = Workbook()
    taken: set[str] = set()
    for index, section in enumerate(report.sections):
        sheet = book.active if index == 0 else book.create_sheet()
        assert isinstance(sheet, Worksheet)
        sheet.title = _sheet_title(section.title, taken)
        sheet.append([report.title])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        sheet.append([report.period])
        sheet.append([section.title])
        sheet.cell(row=3, column=1).font = Font(bold=True)
        sheet.append([])
        widest = 1
        for tab in section.tables:
            _write_table(sheet, tab)
            widest = max(widest, len(tab.columns) + (2 if tab.units else 1))
        sheet.column_dimensions["A"].width = 64
        for column in range(2, widest + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 14
    if report.remarks:
        last = book.worksheets[-1]
        for remark in report.remarks:
            last.append([remark])
    problems = report.check()
    if problems:
        sheet = book.create_sheet(_sheet_title(_("Consistency check"), taken))
        sheet.append([_("Figures that do not add up")])
        for problem in problems:
            sheet.append([problem])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------------------------


def _pdf_table(tab: Table) -> list[object]:
    lead = [tab.stub, C("Unit")] if tab.units else [tab.stub]
    values = len(tab.columns)
    if tab.units:
        widths = [PAGE_WIDTH - 150.0, 60.0, 90.0]
    elif values == 1:
        widths = [PAGE_WIDTH - 170.0, 170.0]
    else:
        stub_width = 190.0 if values > 3 else 230.0
        widths = [stub_width] + [(PAGE_WIDTH - stub_width) / values] * values
    header, merges = header_rows(tab, lead)
    rows: list[list[object]] = [list(row) for row in header]
    for line in tab.lines:
        text = INDENT * line.level + row_text(line)
        if line.note:
            text += f"\n{line.note}"
        unit = [line.unit] if tab.units else []
        rows.append([text, *unit, *(shown(v) for v in line.values)])
    built = table(rows, widths)
    built.repeatRows = len(header)  # both header rows on every page the table runs over
    if merges:
        spans = [("SPAN", (column, row), (last_column, last_row)) for column, row, last_column, last_row in merges]
        built.setStyle(TableStyle([*spans, ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor("#e8eef5"))]))
    story: list[object] = [paragraph(tab.caption, "body"), Spacer(1, 3), built]
    if tab.note:
        story += [Spacer(1, 3), paragraph(tab.note, "subtitle")]
    story.append(Spacer(1, 8))
    return story


def _narrative(heading: str, text: str) -> list[object]:
    story: list[object] = [paragraph(heading, "h2")]
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    if parts:
        story += [paragraph(part, "letter") for part in parts]
    else:
        story.append(Spacer(1, 72))  # blank: the body's staff write this part
    return story


def pdf(report: AnnualReport, narratives: Mapping[str, str] | None = None) -> bytes:
    """The report: "<body><year>年政府信息公开工作年度报告", the overview, the computed tables, the problems and the
    other matters. ``narratives`` gives the texts of ``overview``, ``problems`` and ``other`` (blank headed
    sections without them)."""
    texts = {key: (narratives or {}).get(key, "") for key in NARRATIVES}
    headings = narrative_headings(report)
    buffer = io.BytesIO()
    story: list[object] = [paragraph(report.title, "title"), paragraph(report.period, "subtitle"), Spacer(1, 10)]
    story += _narrative(headings["overview"], texts["overview"])
    for section in report.sections:
        story.append(paragraph(section.title, "h2"))
        for tab in section.tables:
            story += _pdf_table(tab)
    story += [paragraph(remark, "subtitle") for remark in report.remarks]
    story += _narrative(headings["problems"], texts["problems"])
    story += _narrative(headings["other"], texts["other"])
    problems = report.check()
    if problems:
        story.append(paragraph(_("Figures that do not add up"), "h2"))
        story += [paragraph(problem, "body") for problem in problems]
    document(buffer, report.title).build(story)
    return buffer.getvalue()
