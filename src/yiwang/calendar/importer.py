"""Excel import of one year's schedule: sheet 工作日历 with 日期 | 类型 | 说明.

The file lists every day that differs from Monday to Friday (holidays on weekdays and 调休 working
weekends) for one year. It is validated whole; if valid it replaces that year's table and marks
the year complete, so its deadlines are no longer provisional.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yiwang.calendar.models import DayKind
from yiwang.calendar.services import calendar_year_replace
from yiwang.core.fields import date_problems, text_problems

if TYPE_CHECKING:
    from yiwang.accounts.models import User

SHEET = "工作日历"
KIND_WORDS = {
    "休": DayKind.REST,
    "休息": DayKind.REST,
    "休息日": DayKind.REST,
    "放假": DayKind.REST,
    "rest": DayKind.REST,
    "班": DayKind.WORK,
    "上班": DayKind.WORK,
    "工作日": DayKind.WORK,
    "work": DayKind.WORK,
}


@dataclass
class CalendarImportReport:
    year: int | None = None
    days: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append({"sheet": SHEET, "row": row, "column": column, "message": message})


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def calendar_import(*, actor: User | None, source: bytes) -> CalendarImportReport:
    report = CalendarImportReport()
    try:
        book = load_workbook(io.BytesIO(source), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        report.error(0, "", _("The file is not a valid Excel workbook (.xlsx)."))
        return report
    if SHEET not in book.sheetnames:
        report.error(0, "", _("The workbook needs a sheet named 工作日历."))
        return report
    rows = list(book[SHEET].iter_rows(values_only=True))
    book.close()
    days: list[tuple[date, str, str]] = []
    seen: dict[date, int] = {}
    years: set[int] = set()
    for number, row in enumerate(rows[1:], start=2):
        cells = [*row, None, None, None][:3]
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        when = _as_date(cells[0])
        kind = KIND_WORDS.get(str(cells[1] or "").strip().lower())
        reason = str(cells[2] or "").strip()
        if when is None:
            report.error(number, "A", _("Not a date; write it as 2027-10-01."))
        elif when in seen:
            report.error(number, "A", _("This date already appears in row %(row)d.") % {"row": seen[when]})
        for _field, message in date_problems(when, "date"):
            report.error(number, "A", message)
        if kind is None:
            report.error(number, "B", _("The kind must be 休 (day off) or 班 (working day)."))
        for _field, message in text_problems(reason, "reason", max_length=100):
            report.error(number, "C", message)
        if when is not None:
            seen.setdefault(when, number)
            years.add(when.year)
            if kind is not None:
                days.append((when, kind, reason))
    if not days and not report.errors:
        report.error(2, "", _("The sheet lists no days."))
    if len(years) > 1:
        report.error(
            0,
            "A",
            _("One file holds one year; this one has %(years)s.") % {"years": "、".join(map(str, sorted(years)))},
        )
    if report.errors:
        return report
    report.year = years.pop()
    calendar_year_replace(actor=actor, year=report.year, days=days, note=_("Imported from Excel"))
    report.days = len(days)
    return report
