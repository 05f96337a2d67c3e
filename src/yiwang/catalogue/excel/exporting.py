"""Writing the catalogue (or an empty template) as a workbook."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db import models
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from yiwang.catalogue.excel.columns import (
    BASE_COLUMNS,
    FEE_COLUMNS,
    FIELD_COLUMNS,
    IMPLEMENTATION_COLUMNS,
    LICENCE_COLUMNS,
    MATERIAL_COLUMNS,
    SHEETS,
    STEP_COLUMNS,
    to_cell,
)
from yiwang.catalogue.models import (
    BaseItem,
    ImplementationVersion,
    ItemImplementation,
    LicenceType,
)

if TYPE_CHECKING:
    pass


def _version_rows(version: ImplementationVersion) -> dict[str, list[list[str | int]]]:
    """One implementation's rows in every sheet, as they are written (and compared on import)."""
    implementation = version.implementation
    values: dict[str, Any] = {
        "code": implementation.code,
        "base_code": implementation.base_item.base_code,
        "department": implementation.department.credit_code,
        "level": implementation.level,
        "entrusting_department": version.entrusting_department.credit_code if version.entrusting_department else "",
        "result_licence_type": version.result_licence_type.code if version.result_licence_type else "",
        "joint_departments": sorted(d.credit_code for d in version.joint_departments.all()),
    }
    row = [to_cell(c, values[c.key] if c.key in values else getattr(version, c.key)) for c in IMPLEMENTATION_COLUMNS]
    code = implementation.code
    fees = [[code, *(to_cell(c, str(fee.get(c.key, ""))) for c in FEE_COLUMNS[1:])] for fee in version.fees]
    steps = [[code, *(to_cell(c, getattr(s, c.key)) for c in STEP_COLUMNS[1:])] for s in version.steps.all()]
    materials = [
        [
            code,
            *(
                to_cell(c, m.replaced_by.code if c.key == "replaced_by" and m.replaced_by else getattr(m, c.key))
                for c in MATERIAL_COLUMNS[1:]
            ),
        ]
        for m in version.materials.select_related("replaced_by")
    ]
    fields = [[code, *(to_cell(c, getattr(f, c.key)) for c in FIELD_COLUMNS[1:])] for f in version.form_fields.all()]
    return {"implementations": [row], "fees": fees, "steps": steps, "materials": materials, "form_fields": fields}


def catalogue_export(implementations: models.QuerySet[ItemImplementation] | None = None) -> bytes:
    """The published versions of ``implementations`` (default: all) with their base items and licence types."""
    items = (implementations if implementations is not None else ItemImplementation.objects.all()).filter(
        current__isnull=False
    )
    versions = (
        ImplementationVersion.objects.filter(pk__in=items.values("current"))
        .select_related(
            "implementation__base_item",
            "implementation__department",
            "entrusting_department",
            "result_licence_type",
        )
        .prefetch_related("joint_departments", "steps", "materials__replaced_by", "form_fields")
        .order_by("implementation__code")
    )
    rows: dict[str, list[list[str | int]]] = defaultdict(list)
    base_codes: set[str] = set()
    for version in versions:
        base_codes.add(version.implementation.base_item.base_code)
        for sheet, sheet_rows in _version_rows(version).items():
            rows[sheet] += sheet_rows
    for base in BaseItem.objects.filter(base_code__in=base_codes).order_by("base_code"):
        rows["base"].append([to_cell(c, getattr(base, c.key)) for c in BASE_COLUMNS])
    for licence in LicenceType.objects.select_related("issuing_department").order_by("code"):
        department = licence.issuing_department.credit_code if licence.issuing_department else ""
        rows["licences"].append(
            [licence.code, licence.name, department, to_cell(LICENCE_COLUMNS[3], licence.holder_type)]
        )
    return _workbook(rows)


def catalogue_template() -> bytes:
    """A blank workbook: every sheet with its headers."""
    return _workbook({})


def _workbook(rows: dict[str, list[list[str | int]]]) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for key, (title, columns) in SHEETS.items():
        sheet = workbook.create_sheet(title)
        sheet.append([c.header for c in columns])
        for row in rows.get(key, []):
            sheet.append(row)
        for index, col in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(col.header) * 2 + 4))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import --------------------------------------------------------------------------------------
