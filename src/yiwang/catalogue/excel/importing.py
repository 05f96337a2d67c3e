"""Reading a workbook: every problem reported by sheet, row and column, or every implementation applied
through the catalogue services in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.catalogue import services
from yiwang.catalogue.excel.columns import (
    CHILD_FIELD,
    CHILD_SHEETS,
    FEE_COLUMNS,
    IMPLEMENTATION_COLUMNS,
    SHEETS,
    Col,
    from_cell,
    to_cell,
)
from yiwang.catalogue.excel.exporting import _version_rows
from yiwang.catalogue.models import (
    BaseItem,
    ImplementationVersion,
    ItemImplementation,
    LicenceType,
    VersionStatus,
)
from yiwang.catalogue.rules import implementation_code_for
from yiwang.core.errors import Conflict, DomainError
from yiwang.core.excel import Progress, RowError, SheetReader, workbook_read
from yiwang.organisation.selectors import department_all

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department


@dataclass
class CatalogueImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    published: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    sheet: str
    number: int
    letters: dict[str, str]
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Bundle:
    """One implementation row and its child rows."""

    row: _Row
    children: dict[str, list[_Row]] = field(default_factory=lambda: {k: [] for k in CHILD_SHEETS})


def _read(sheets: dict[str, list[tuple[Any, ...]]], report: CatalogueImportReport) -> dict[str, list[_Row]]:
    """Every row of every known sheet, each cell converted; conversion problems reported."""
    parsed: dict[str, list[_Row]] = {}
    for key, (title, columns) in SHEETS.items():
        if title not in sheets:
            continue
        spec: dict[str, tuple[str, ...]] = {c.key: (c.header,) for c in columns}
        reader = SheetReader(title, sheets[title], spec, tuple(c.key for c in columns if c.required), report.errors)
        rows = []
        for number, raw in reader.records:
            row = _Row(title, number, reader.letters, raw)
            for col in columns:
                text = raw.get(col.key, "")
                if col.required and not text:
                    report.errors.append(RowError(title, number, reader.letter(col.key), _("This cell is required.")))
                    continue
                try:
                    row.values[col.key] = from_cell(col, text)
                except ValueError as exc:
                    report.errors.append(RowError(title, number, reader.letter(col.key), str(exc)))
            rows.append(row)
        parsed[key] = rows
    return parsed


def _cells(rows: list[_Row], columns: tuple[Col, ...]) -> list[list[str | int]]:
    """Rows as the export would write them, to compare with the published version."""
    out = []
    for row in rows:
        cells: list[str | int] = []
        for c in columns:
            value = row.values.get(c.key)
            if c.key == "joint_departments":
                value = sorted(value or [])
            cells.append(to_cell(c, value) if value is not None else "")
        out.append(cells)
    return out


def catalogue_import(
    *,
    actor: User | None,
    source: IO[bytes] | bytes,
    submit: bool = False,
    publish: bool = False,
    progress: Progress | None = None,
) -> CatalogueImportReport:
    """Validates and imports a catalogue workbook; all or nothing (see the module's docstring).

    New and changed implementations become drafts; ``submit`` sends them for review (what a department
    administrator does), ``publish`` also publishes them (what a centre administrator does, or the
    system loading a catalogue it was given)."""
    report = CatalogueImportReport()
    sheets = workbook_read(source, report.errors)
    if sheets is None:
        return report
    if SHEETS["implementations"][0] not in sheets:
        report.errors.append(RowError("", 0, "", _("The workbook needs a sheet named 实施清单 (see the template).")))
        return report
    parsed = _read(sheets, report)
    bundles: dict[str, _Bundle] = {}
    for row in parsed.get("implementations", []):
        code = row.values.get("code", "")
        if code in bundles:
            report.errors.append(
                RowError(row.sheet, row.number, row.letters.get("code", ""), _("This code appears twice."))
            )
        bundles[code] = _Bundle(row)
    for key in CHILD_SHEETS:
        for row in parsed.get(key, []):
            bundle = bundles.get(row.values.get("code", ""))
            if bundle is None:
                report.errors.append(
                    RowError(row.sheet, row.number, row.letters.get("code", ""), _("No such code in 实施清单."))
                )
            else:
                bundle.children[key].append(row)
    if report.errors:
        return report

    total = len(bundles)
    if progress:
        progress(0, total)
    with transaction.atomic():
        departments = {d.credit_code: d for d in department_all()}
        licences = _import_licences(parsed.get("licences", []), departments, report)
        bases = _import_bases(parsed.get("base", []), report)
        for done, bundle in enumerate(bundles.values(), start=1):
            try:
                with transaction.atomic():
                    _import_bundle(actor, bundle, departments, licences, bases, (submit, publish), report)
            except DomainError as exc:
                _report_domain_error(exc, bundle, report)
            if progress:
                progress(done, total)
        if report.errors:
            transaction.set_rollback(True)
            report.created = report.changed = report.unchanged = report.published = 0
    order = {title: index for index, (title, _columns) in enumerate(SHEETS.values())}
    report.errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row, e.column))
    return report


def _import_licences(
    rows: list[_Row], departments: dict[str, Department], report: CatalogueImportReport
) -> dict[str, LicenceType]:
    for row in rows:
        department = row.values.get("issuing_department") or ""
        if department and department not in departments:
            report.errors.append(
                RowError(row.sheet, row.number, row.letters["issuing_department"], _("No department has this code."))
            )
            continue
        LicenceType.objects.update_or_create(
            code=row.values["code"],
            defaults={
                "name": row.values["name"],
                "issuing_department": departments.get(department),
                "holder_type": row.values["holder_type"],
            },
        )
    return {licence.code: licence for licence in LicenceType.objects.all()}


def _import_bases(rows: list[_Row], report: CatalogueImportReport) -> dict[str, BaseItem]:
    for row in rows:
        code = row.values["base_code"]
        if not services.BASE_CODE.match(code):
            report.errors.append(
                RowError(
                    row.sheet, row.number, row.letters["base_code"], _("A base code has 12 digits or capital letters.")
                )
            )
            continue
        BaseItem.objects.update_or_create(
            base_code=code,
            defaults={k: row.values[k] for k in ("name", "item_type", "legal_basis", "levels") if k in row.values},
        )
    return {base.base_code: base for base in BaseItem.objects.all()}


def _lookup_errors(
    bundle: _Bundle, departments: dict[str, Department], licences: dict[str, LicenceType], bases: dict[str, BaseItem]
) -> list[RowError]:
    row, errors = bundle.row, []
    checks: list[tuple[_Row, str, list[str], dict[str, Any], str]] = [
        (row, "department", [row.values["department"]], departments, _("No department has this code.")),
        (row, "base_code", [row.values["base_code"]], bases, _("No base item has this code; add it in 基本目录.")),
        (
            row,
            "entrusting_department",
            [row.values.get("entrusting_department") or ""],
            departments,
            _("No department has this code."),
        ),
        (
            row,
            "joint_departments",
            row.values.get("joint_departments") or [],
            departments,
            _("No department has this code."),
        ),
        (
            row,
            "result_licence_type",
            [row.values.get("result_licence_type") or ""],
            licences,
            _("No licence type has this code; add it in 证照类型."),
        ),
    ]
    checks += [
        (
            m,
            "replaced_by",
            [m.values.get("replaced_by") or ""],
            licences,
            _("No licence type has this code; add it in 证照类型."),
        )
        for m in bundle.children["materials"]
    ]
    for r, key, codes, known, message in checks:
        if any(code and code not in known for code in codes):
            errors.append(RowError(r.sheet, r.number, r.letters.get(key, ""), message))
    return errors


CONTENT_KEYS = [
    c.key
    for c in IMPLEMENTATION_COLUMNS
    if c.key not in {"code", "base_code", "department", "level", "joint_departments"}
]


def _import_bundle(
    actor: User | None,
    bundle: _Bundle,
    departments: dict[str, Department],
    licences: dict[str, LicenceType],
    bases: dict[str, BaseItem],
    steps: tuple[bool, bool],
    report: CatalogueImportReport,
) -> None:
    lookup = _lookup_errors(bundle, departments, licences, bases)
    if lookup:
        report.errors += lookup
        return
    row = bundle.row
    code = row.values["code"]
    content = {k: row.values[k] for k in CONTENT_KEYS if k in row.values}
    content["entrusting_department"] = departments.get(content.get("entrusting_department") or "")
    content["result_licence_type"] = licences.get(content.get("result_licence_type") or "")
    content["fees"] = [
        {c.key: str(r.values.get(c.key) or "") for c in FEE_COLUMNS[1:]} for r in bundle.children["fees"]
    ]
    children = {
        "steps": [{k: v for k, v in r.values.items() if k != "code"} for r in bundle.children["steps"]],
        "materials": [
            {
                **{k: v for k, v in r.values.items() if k != "code"},
                "replaced_by": licences.get(r.values.get("replaced_by") or ""),
            }
            for r in bundle.children["materials"]
        ],
        "form_fields": [{k: v for k, v in r.values.items() if k != "code"} for r in bundle.children["form_fields"]],
    }
    for rows in children.values():
        for values in rows:
            for key in ("working_days", "copies"):
                if key in values and values[key] is None:
                    del values[key]
    joint = [departments[c] for c in row.values.get("joint_departments") or []]

    expected = implementation_code_for(
        credit_code=row.values["department"], level=row.values["level"], base_code=row.values["base_code"]
    )
    if code != expected:
        message = _("The code does not match the department, level and base code; expected %(code)s.")
        report.errors.append(RowError(row.sheet, row.number, row.letters["code"], message % {"code": expected}))
        return
    implementation = ItemImplementation.objects.filter(code=code).select_related("current").first()
    if implementation is None:
        name = content.pop("name")
        version = services.implementation_draft_create(
            actor=actor,
            base_item=bases[row.values["base_code"]],
            department=departments[row.values["department"]],
            level=row.values["level"],
            name=name,
            **content,
        )
        report.created += 1
    else:
        if implementation.versions.filter(status=VersionStatus.REVIEW).exists():
            raise Conflict(_("A version of this item is in review; wait for the review first."), code="in_review")
        if implementation.current is not None and _unchanged(implementation.current, bundle):
            report.unchanged += 1
            return
        version = implementation.versions.filter(status=VersionStatus.DRAFT).first() or services.implementation_change(
            actor=actor, implementation=implementation
        )
        services.version_update(actor=actor, version=version, **content)
        report.changed += 1
    services.version_contents_set(actor=actor, version=version, joint_departments=joint, **children)
    submit, publish = steps
    if submit or publish:
        services.version_submit(actor=actor, version=version)
    if publish:
        services.version_publish(actor=actor, version=version)
        report.published += 1


def _unchanged(current: ImplementationVersion, bundle: _Bundle) -> bool:
    existing = _version_rows(current)
    incoming = {
        "implementations": _cells([bundle.row], IMPLEMENTATION_COLUMNS),
        **{key: _cells(bundle.children[key], SHEETS[key][1]) for key in CHILD_SHEETS},
    }
    return existing == incoming


def _report_domain_error(exc: DomainError, bundle: _Bundle, report: CatalogueImportReport) -> None:
    """A service's refusal, placed on the cell it concerns ("materials[2].name" → 申请材料, that row, 材料名称)."""
    problems = (exc.details or {}).get("errors") or [{"field": "", "message": str(exc.message)}]
    for problem in problems:
        target, key = bundle.row, str(problem.get("field", ""))
        if child := CHILD_FIELD.match(key):
            relation, position, key = child["relation"], int(child["position"]), child["field"]
            rows = bundle.children.get(relation, [])
            if 0 < position <= len(rows):
                target = rows[position - 1]
        elif key in CHILD_SHEETS:
            target, key = (bundle.children[key] or [bundle.row])[0], ""
        report.errors.append(
            RowError(target.sheet, target.number, target.letters.get(key, ""), str(problem["message"]))
        )
