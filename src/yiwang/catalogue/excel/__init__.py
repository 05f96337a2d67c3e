"""The catalogue as an Excel workbook: export, and an import that round-trips it exactly.

Template: one sheet per table (docs/catalogue.md, "Excel template"). Lists in a cell are separated
by "、"; choices are written as their Chinese names. Child rows (fees, steps, materials, form fields)
belong to the implementation named in their first column, in the order they appear.

The import reads and checks the whole workbook, then applies every implementation through the
catalogue services (so the same rules hold as on the screens) inside one transaction; if anything is
wrong, every problem is reported by sheet, row and column and the transaction is rolled back, so
nothing is imported. An implementation whose content equals its published version is left alone,
which makes importing the same file twice a no-op.

Modules: ``columns`` (layout and cell conversions), ``exporting``, ``importing``.
"""

from yiwang.catalogue.excel.columns import (
    BASE_COLUMNS,
    CHILD_FIELD,
    CHILD_SHEETS,
    FEE_COLUMNS,
    FIELD_COLUMNS,
    IMPLEMENTATION_COLUMNS,
    LICENCE_COLUMNS,
    LIST_SEPARATOR,
    MATERIAL_COLUMNS,
    SHEETS,
    STEP_COLUMNS,
    Col,
    _label_of,
    _labels,
    from_cell,
    to_cell,
)
from yiwang.catalogue.excel.exporting import (
    _version_rows,
    _workbook,
    catalogue_export,
    catalogue_template,
)
from yiwang.catalogue.excel.importing import (
    CONTENT_KEYS,
    CatalogueImportReport,
    _Bundle,
    _cells,
    _import_bases,
    _import_bundle,
    _import_licences,
    _lookup_errors,
    _read,
    _report_domain_error,
    _Row,
    _unchanged,
    catalogue_import,
)

__all__ = [
    "BASE_COLUMNS",
    "CHILD_FIELD",
    "CHILD_SHEETS",
    "CONTENT_KEYS",
    "FEE_COLUMNS",
    "FIELD_COLUMNS",
    "IMPLEMENTATION_COLUMNS",
    "LICENCE_COLUMNS",
    "LIST_SEPARATOR",
    "MATERIAL_COLUMNS",
    "SHEETS",
    "STEP_COLUMNS",
    "CatalogueImportReport",
    "Col",
    "_Bundle",
    "_Row",
    "_cells",
    "_import_bases",
    "_import_bundle",
    "_import_licences",
    "_label_of",
    "_labels",
    "_lookup_errors",
    "_read",
    "_report_domain_error",
    "_unchanged",
    "_version_rows",
    "_workbook",
    "catalogue_export",
    "catalogue_import",
    "catalogue_template",
    "from_cell",
    "to_cell",
]
