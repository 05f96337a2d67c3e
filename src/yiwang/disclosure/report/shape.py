"""The shape every annual report shares: the forms' rows, columns and tables as data, the year's
period, and the sums a report checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yiwang.disclosure.choices import ItemStatus

MIN_YEAR = 2000
# Items that went out: published, or published and later withdrawn (they were public that year).
OUT = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
TEN_THOUSAND = Decimal(10000)

Value = int | Decimal | None


def C(text: str) -> str:
    """A row, column or caption of an official form: the English msgid under the "annual report" context,
    translated to the form's exact Chinese wording."""
    return pgettext("annual report", text)


def year_allowed(year: int) -> bool:
    """A report exists for the years from 2000 to the current one (the current one: the figures so far)."""
    return MIN_YEAR <= year <= timezone.localdate().year


# --- the shape of a report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str = ""  # a heading over several columns (法人或其他组织)


@dataclass(frozen=True)
class Line:
    """One row of a form: its number (一、 （一） 1.), its wording, its values in the table's columns (None
    for a heading row), its depth. ``extra`` marks a row the official form does not have: what its rows
    cannot place, shown rather than dropped."""

    code: str
    number: str
    label: str
    values: tuple[Value, ...]
    level: int = 0
    unit: str = ""
    note: str = ""
    extra: bool = False

    @property
    def heading(self) -> bool:
        return all(value is None for value in self.values)

    @property
    def text(self) -> str:
        return f"{self.number}{self.label}"


@dataclass(frozen=True)
class Table:
    code: str
    caption: str
    stub: str  # the heading of the rows' column
    columns: tuple[Column, ...]
    lines: tuple[Line, ...]
    note: str = ""
    units: bool = False  # a unit column between the rows and the values (the 2016 form)

    def line(self, code: str) -> Line:
        for line in self.lines:
            if line.code == code:
                return line
        raise KeyError(code)

    def value(self, code: str, column: str | None = None) -> Value:
        """The value of row ``code`` in ``column`` (the first column if not named)."""
        line = self.line(code)
        if column is None:
            return line.values[0]
        keys = [c.key for c in self.columns]
        return line.values[keys.index(column)]

    @property
    def grouped(self) -> bool:
        return any(column.group for column in self.columns)

    def header_groups(self) -> list[tuple[str, int]]:
        """The columns' first header row: (group, span) runs; an empty group is a column of its own."""
        runs: list[tuple[str, int]] = []
        for column in self.columns:
            if column.group and runs and runs[-1][0] == column.group:
                runs[-1] = (column.group, runs[-1][1] + 1)
            else:
                runs.append((column.group, 1))
        return runs


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Period:
    year: int

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)

    def instants(self) -> tuple[datetime, datetime]:
        """[1 January 00:00, next 1 January 00:00) in the platform's time zone."""
        zone = timezone.get_default_timezone()
        return (
            timezone.make_aware(datetime.combine(self.start, time()), zone),
            timezone.make_aware(datetime.combine(date(self.year + 1, 1, 1), time()), zone),
        )


@dataclass(frozen=True)
class AnnualReport:
    body_id: int
    body_name: str
    year: int
    format: str = ""  # "2021" (the national format) or "2016"

    @property
    def title(self) -> str:
        return _("%(body)s annual report on government information disclosure for %(year)s") % {
            "body": self.body_name,
            "year": self.year,
        }

    @property
    def period(self) -> str:
        return _("From 1 January to 31 December %(year)s") % {"year": self.year}

    @property
    def sections(self) -> tuple[Section, ...]:
        raise NotImplementedError

    @property
    def remarks(self) -> tuple[str, ...]:
        """What the reader should know about the report as a whole (beyond each table's note)."""
        return ()

    def check(self) -> list[str]:
        raise NotImplementedError


# --- shared checks ---------------------------------------------------------------------------------------------


def sum_problem(table: Table, total: str, parts: Iterable[str], column: Column | None = None) -> str | None:
    """Whether row ``total`` equals the sum of rows ``parts`` (in ``column``, or the only column)."""
    key = column.key if column is not None else None
    value = table.value(total, key) or 0
    added = sum((table.value(part, key) or 0 for part in parts), start=0)
    if value == added:
        return None
    row = table.line(total).text
    if column is None:
        return _("%(row)s is %(value)s, but its rows add up to %(sum)s.") % {"row": row, "value": value, "sum": added}
    return _("%(row)s (%(column)s) is %(value)s, but its rows add up to %(sum)s.") % {
        "row": row,
        "column": column.label,
        "value": value,
        "sum": added,
    }


def as_int(value: Any) -> int:
    return int(value or 0)
