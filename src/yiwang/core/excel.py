"""Reading uploaded Excel workbooks for imports: every problem located by sheet, row and column.

Each import (organisation, calendar, catalogue) validates a whole workbook before writing anything;
this module reads the sheets and headers and collects ``RowError``s, and each context checks the
values against its own rules.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

MAX_ROWS = 200_000
Progress = Callable[[int, int], None]
Sheets = dict[str, list[tuple[Any, ...]]]


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


def cell_text(value: Any) -> str:
    """Cell value as text; whole numbers typed into Excel come back as int or float."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class SheetReader:
    """Reads one sheet into dicts keyed by column key, remembering each column's letter."""

    def __init__(
        self,
        title: str,
        rows: list[tuple[Any, ...]],
        columns: dict[str, tuple[str, ...]],
        required: tuple[str, ...],
        errors: list[RowError],
    ) -> None:
        self.title = title
        self.letters: dict[str, str] = {}
        self.records: list[tuple[int, dict[str, str]]] = []
        if not rows:
            errors.append(RowError(title, 1, "", _("The sheet is empty; the first row must hold the headers.")))
            return
        headers = [cell_text(h) for h in rows[0]]
        positions: dict[str, int] = {}
        for key, names in columns.items():
            for index, header in enumerate(headers):
                if header in names:
                    positions[key] = index
                    self.letters[key] = get_column_letter(index + 1)
                    break
        missing = [columns[key][0] for key in required if key not in positions]
        if missing:
            errors.append(RowError(title, 1, "", _("Missing columns: %(columns)s") % {"columns": "、".join(missing)}))
            return
        for number, row in enumerate(rows[1:], start=2):
            values = {key: cell_text(row[i]) if i < len(row) else "" for key, i in positions.items()}
            if any(values.values()):
                self.records.append((number, values))

    def letter(self, key: str) -> str:
        return self.letters.get(key, "")


def workbook_read(source: IO[bytes] | bytes, errors: list[RowError]) -> Sheets | None:
    """Every sheet's rows by sheet title, or None (with the error recorded) if the file is no workbook."""
    data = source if isinstance(source, bytes) else source.read()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        errors.append(RowError("", 0, "", _("The file is not a valid Excel workbook (.xlsx).")))
        return None
    sheets: Sheets = {}
    try:
        for worksheet in workbook.worksheets:
            rows: list[tuple[Any, ...]] = []
            for row in worksheet.iter_rows(values_only=True):
                rows.append(tuple(row))
                if len(rows) > MAX_ROWS + 1:
                    errors.append(
                        RowError(
                            worksheet.title,
                            MAX_ROWS + 2,
                            "",
                            _("A sheet may hold at most %(count)d rows.") % {"count": MAX_ROWS},
                        )
                    )
                    break
            sheets[worksheet.title.strip()] = rows
    finally:
        workbook.close()
    return sheets


def sheet_pick(sheets: Sheets, *names: str) -> tuple[str, list[tuple[Any, ...]]] | None:
    for name in names:
        if name in sheets:
            return name, sheets[name]
    return None
