"""Bulk issuing of existing licences from Excel or CSV (存量证照入库).

The whole file is checked first — every bad row listed with its column — and nothing is issued
unless every row is good. Then serials are drawn once per licence type, the signatures are made in
parallel worker processes (pure-Python SM2 is CPU-bound: docs/licences.md), and the rows are written
in one transaction, so a failure half-way leaves nothing behind.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.selectors import accounts_by_documents
from yiwang.audit.services import audit_record
from yiwang.catalogue.selectors import licence_type_by_code
from yiwang.core.errors import PermissionDenied
from yiwang.core.excel import RowError, SheetReader, workbook_read
from yiwang.licences.models import HolderCodeType, Licence, LicenceEvent
from yiwang.licences.services import (
    ISSUE_ROLES,
    LicenceDraft,
    _draft_problems,
    _licence_row,
    _serial_text,
    _serials_reserve,
    signed_content,
    signer_for,
    signing_key_for,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.catalogue.models import LicenceType

SHEET = "证照"
COLUMNS: dict[str, tuple[str, ...]] = {
    "type": ("证照类型代码", "licence_type"),
    "number": ("证照编号", "number"),
    "holder_name": ("持证主体", "holder_name"),
    "holder_code": ("持证主体代码", "holder_code"),
    "issued_on": ("颁发日期", "issued_on"),
    "valid_from": ("有效期起始日期", "valid_from"),
    "valid_until": ("有效期截止日期", "valid_until"),
}
REQUIRED = ("type", "number", "holder_name", "holder_code")


@dataclass
class ImportReport:
    issued: int = 0
    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def sign_workers() -> int:
    """Processes that sign a batch: YIWANG_SIGN_WORKERS, else one per CPU core."""
    configured = getattr(settings, "YIWANG_SIGN_WORKERS", 0)
    return max(1, int(configured or os.cpu_count() or 1))


def _rows(data: bytes, name: str, errors: list[RowError]) -> list[tuple[Any, ...]] | None:
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            errors.append(RowError(SHEET, 0, "", _("The CSV file is neither UTF-8 nor GB18030 text.")))
            return None
        return [tuple(row) for row in csv.reader(io.StringIO(text))]
    sheets = workbook_read(data, errors)
    if sheets is None:
        return None
    if SHEET in sheets:
        return sheets[SHEET]
    return next(iter(sheets.values()), [])


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10].replace("/", "-"))
    except ValueError:
        return None


def licences_import(
    *,
    actor: User | None,
    data: bytes,
    name: str,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Checks every row, then issues them all or none."""
    errors: list[RowError] = []
    rows = _rows(data, name, errors)
    report = ImportReport()
    if rows is None:
        report.errors = [e.as_dict() for e in errors]
        return report
    metadata_headers = [str(h or "").strip() for h in rows[0]] if rows else []
    columns = dict(COLUMNS)
    known = {n for names in COLUMNS.values() for n in names}
    for header in metadata_headers:
        if header and header not in known:
            columns[f"data:{header}"] = (header,)
    sheet = SheetReader(SHEET, rows, columns, REQUIRED, errors)
    report.rows = len(sheet.records)
    types: dict[str, LicenceType | None] = {}
    allowed: dict[int, bool] = {}
    seen: dict[tuple[int, str], int] = {}
    drafts: list[tuple[LicenceType, LicenceDraft]] = []
    for number, values in sheet.records:
        code = values.get("type", "")
        if code not in types:
            types[code] = licence_type_by_code(code)
        licence_type = types[code]
        if licence_type is None or licence_type.issuing_department is None:
            errors.append(RowError(SHEET, number, sheet.letter("type"), _("No licence type has this code.")))
            continue
        if licence_type.pk not in allowed:
            allowed[licence_type.pk] = actor is None or _may_issue(actor, licence_type)
        if not allowed[licence_type.pk]:
            errors.append(RowError(SHEET, number, sheet.letter("type"), _("You do not issue licences of this type.")))
            continue
        dates: dict[str, date | None] = {}
        for key in ("issued_on", "valid_from", "valid_until"):
            text = values.get(key, "")
            dates[key] = _date(text) if text else None
            if text and dates[key] is None:
                errors.append(RowError(SHEET, number, sheet.letter(key), _("Write the date like 2026-01-31.")))
        draft = LicenceDraft(
            holder_name=values["holder_name"],
            holder_code=values["holder_code"],
            number=values["number"],
            valid_from=dates["valid_from"] or dates["issued_on"],
            valid_until=dates["valid_until"],
            issued_on=dates["issued_on"],
            data={k[5:]: v for k, v in values.items() if k.startswith("data:") and v},
        )
        for column, message in _draft_problems(licence_type, draft, check_data=True):
            key = column.split(".", 1)[1] if column.startswith("data.") else column
            letter = sheet.letter(f"data:{key}") if column.startswith("data.") else sheet.letter(column)
            errors.append(RowError(SHEET, number, letter, message))
        duplicate = seen.get((licence_type.pk, draft.number.strip()))
        if duplicate:
            errors.append(
                RowError(
                    SHEET,
                    number,
                    sheet.letter("number"),
                    _("The same licence number is on row %(row)s.") % {"row": duplicate},
                )
            )
        seen[(licence_type.pk, draft.number.strip())] = number
        drafts.append((licence_type, draft))
    if not errors:
        errors += _existing(sheet, drafts)
    if errors or not drafts:
        report.errors = [e.as_dict() for e in errors]
        return report
    report.issued = _issue_all(actor, drafts, progress, workers or sign_workers())
    return report


def _may_issue(actor: User, licence_type: LicenceType) -> bool:
    from yiwang.accounts.authz import authorize

    try:
        authorize(actor, ISSUE_ROLES, department=licence_type.issuing_department)
    except PermissionDenied:
        return False
    return True


def _existing(sheet: SheetReader, drafts: list[tuple[LicenceType, LicenceDraft]]) -> list[RowError]:
    """A licence number already issued for the type is refused (importing the same file twice adds nothing)."""
    wanted: dict[int, set[str]] = {}
    for licence_type, draft in drafts:
        wanted.setdefault(licence_type.pk, set()).add(draft.number.strip())
    taken: set[tuple[int, str]] = set()
    for type_id, numbers in wanted.items():
        found = Licence.objects.filter(licence_type_id=type_id, number__in=numbers).values_list("number", flat=True)
        taken |= {(type_id, n) for n in found}
    problems = []
    for (number, _values), (licence_type, draft) in zip(sheet.records, drafts, strict=True):
        if (licence_type.pk, draft.number.strip()) in taken:
            problems.append(
                RowError(SHEET, number, sheet.letter("number"), _("A licence with this number is already issued."))
            )
    return problems


@transaction.atomic
def _issue_all(
    actor: User | None,
    drafts: list[tuple[LicenceType, LicenceDraft]],
    progress: Callable[[int, int], None] | None,
    workers: int,
) -> int:
    today = timezone.localdate()
    total = len(drafts)
    by_type: dict[int, list[int]] = {}
    for position, (licence_type, _draft) in enumerate(drafts):
        by_type.setdefault(licence_type.pk, []).append(position)
    rows: list[Licence | None] = [None] * total
    for positions in by_type.values():
        licence_type = drafts[positions[0]][0]
        issuer = licence_type.issuing_department
        assert issuer is not None
        key = signing_key_for(issuer)
        serials = _serials_reserve(licence_type, issuer, today.year, len(positions))
        for position, serial in zip(positions, serials, strict=True):
            rows[position] = _licence_row(
                licence_type=licence_type,
                issuer=issuer,
                draft=drafts[position][1],
                serial=_serial_text(today.year, serial),
                key=key,
                today=today,
            )
    licences = [row for row in rows if row is not None]
    accounts = accounts_by_documents(
        [(row.holder_code_type == HolderCodeType.CREDIT_CODE, row.holder_code) for row in licences]
    )
    for licence in licences:
        licence.holder_account = accounts.get(licence.holder_code)
    signed = 0

    def advance(done: int) -> None:
        if progress:
            progress(signed + done, total)

    for positions in by_type.values():
        group = [licences[p] for p in positions]
        signer = signer_for(group[0].issuer)
        signatures = signer.sign_many([signed_content(row) for row in group], workers=workers, progress=advance)
        for licence, signature in zip(group, signatures, strict=True):
            licence.signature = signature
        signed += len(group)
    created = Licence.objects.bulk_create(licences, batch_size=1000)
    LicenceEvent.objects.bulk_create(
        [LicenceEvent(licence=row, action="issue", reason=str(_("Imported")), actor=actor) for row in created],
        batch_size=1000,
    )
    audit_record(
        actor=actor,
        action="licences.import",
        object_type="licence",
        changes={
            "count": [None, len(created)],
            "first": [None, created[0].identifier],
            "last": [None, created[-1].identifier],
        },
    )
    return len(created)
