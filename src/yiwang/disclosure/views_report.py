"""The annual reports on the portal (条例 §49: published, so no login): the list of bodies with a disclosure
record and their years, and one body's report for one year in the current national format or, with
``?format=2016``, the older one — every table, the consistency check, Excel and PDF. Nothing is typed:
the page shows what ``report`` computes from the records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from yiwang.disclosure import report as reports
from yiwang.disclosure import report_export
from yiwang.organisation.selectors import department_get

if TYPE_CHECKING:
    from yiwang.organisation.models import Department

OLD_FORMAT = "2016"
PK_MAX = 2**31 - 1  # larger ids are no row's (and would overflow the database's integer)


@dataclass(frozen=True)
class ShownLine:
    line: reports.Line
    text: str
    indent: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1

    @property
    def scope(self) -> str:
        return "colgroup" if self.colspan > 1 else "col"


@dataclass(frozen=True)
class ShownTable:
    table: reports.Table
    anchor: str
    header: list[list[HeaderCell]]
    lines: list[ShownLine]


def _body_and_year(body_pk: int, year: int) -> Department:
    if not reports.year_allowed(year) or not 0 < body_pk <= PK_MAX:
        raise Http404
    body = department_get(pk=body_pk)
    if body is None:
        raise Http404
    return body


def _report(request: HttpRequest, body: Department, year: int) -> reports.AnnualReport:
    if request.GET.get("format") == OLD_FORMAT:
        return reports.report_2016(body, year)
    return reports.national_report(body, year)


def _shown(table: reports.Table) -> ShownTable:
    lead = [table.stub, reports.C("Unit")] if table.units else [table.stub]
    rows, merge_list = report_export.header_rows(table, lead)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for column, row, last_column, last_row in merge_list:
        spans[(row, column)] = (last_column - column + 1, last_row - row + 1)
        covered |= {(r, c) for r in range(row, last_row + 1) for c in range(column, last_column + 1)}
        covered.discard((row, column))
    header = [
        [HeaderCell(text, *spans.get((r, c), (1, 1))) for c, text in enumerate(cells) if (r, c) not in covered]
        for r, cells in enumerate(rows)
    ]
    lines = [
        ShownLine(
            line=line,
            text=report_export.row_text(line),
            indent=report_export.INDENT * line.level,
            cells=tuple(report_export.shown(v) for v in line.values),
        )
        for line in table.lines
    ]
    return ShownTable(table, f"t-{table.code}".replace(".", "-"), header, lines)


@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    """政府信息公开工作年度报告: every body with a disclosure record, its years newest first."""
    context = {"bodies": reports.report_index(), "this_year": timezone.localdate().year}
    return render(request, "disclosure/report_list.html", context)


@require_safe
def report_page(request: HttpRequest, body_pk: int, year: int) -> HttpResponse:
    body = _body_and_year(body_pk, year)
    report = _report(request, body, year)
    sections = [(section, [_shown(table) for table in section.tables]) for section in report.sections]
    context = {
        "body": body,
        "report": report,
        "sections": sections,
        "problems": report.check(),
        "old": report.format == OLD_FORMAT,
        "in_progress": year == timezone.localdate().year,
        "query": f"?format={OLD_FORMAT}" if report.format == OLD_FORMAT else "",
    }
    return render(request, "disclosure/report.html", context)


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def report_xlsx(request: HttpRequest, body_pk: int, year: int) -> HttpResponse:
    report = _report(request, _body_and_year(body_pk, year), year)
    return _download(report_export.workbook(report), report_export.filename(report, "xlsx"), report_export.XLSX_TYPE)


@require_safe
def report_pdf(request: HttpRequest, body_pk: int, year: int) -> HttpResponse:
    report = _report(request, _body_and_year(body_pk, year), year)
    return _download(report_export.pdf(report), report_export.filename(report, "pdf"), "application/pdf")
