"""The catalogue as an Excel workbook: export, and an import that round-trips it exactly.

Template: one sheet per table (docs/catalogue.md, "Excel template"). Lists in a cell are separated
by "、"; choices are written as their Chinese names. Child rows (fees, steps, materials, form fields)
belong to the implementation named in their first column, in the order they appear.

The import reads and checks the whole workbook, then applies every implementation through the
catalogue services (so the same rules hold as on the screens) inside one transaction; if anything is
wrong, every problem is reported by sheet, row and column and the transaction is rolled back, so
nothing is imported. An implementation whose content equals its published version is left alone,
which makes importing the same file twice a no-op.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from yiwang.accounts.roles import Role
from yiwang.catalogue import services
from yiwang.catalogue.models import (
    BaseItem,
    CaseKind,
    Channel,
    CopyType,
    CrossRegion,
    FieldType,
    HolderType,
    ImplementationVersion,
    ImplementerNature,
    ItemImplementation,
    ItemType,
    Level,
    LicenceType,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    Necessity,
    OnlineDepth,
    PowerSource,
    ResultType,
    SpecialProcedure,
    VersionStatus,
)
from yiwang.catalogue.rules import implementation_code_for
from yiwang.core.errors import Conflict, DomainError
from yiwang.core.excel import Progress, RowError, SheetReader, workbook_read
from yiwang.organisation.models import Department

if TYPE_CHECKING:
    from yiwang.accounts.models import User

LIST_SEPARATOR = "、"
CHILD_FIELD = re.compile(r"^(?P<relation>\w+)\[(?P<position>\d+)\]\.(?P<field>\w+)$")


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: str = "text"  # text | int | bool | choice | choices | list | decimal | dept | depts | licence
    choices: type[models.Choices] | None = None
    required: bool = False


def _labels(choices: type[models.Choices]) -> dict[str, Any]:
    """Chinese name -> value; the workbook is a data format and always uses Chinese names."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices.choices}


def _label_of(choices: type[models.Choices], value: Any) -> str:
    with translation.override("zh-hans"):
        return str(choices(value).label) if value not in ("", None) else ""


IMPLEMENTATION_COLUMNS = (
    Col("code", "实施编码", required=True),
    Col("base_code", "基本编码", required=True),
    Col("department", "实施部门信用代码", "dept", required=True),
    Col("level", "行使层级", "choice", Level, required=True),
    Col("name", "事项名称", required=True),
    Col("aliases", "别名", "list"),
    Col("keywords", "关键词", "list"),
    Col("power_source", "权力来源", "choice", PowerSource),
    Col("entrusting_department", "委托或下放部门信用代码", "dept"),
    Col("implementer_nature", "实施主体性质", "choice", ImplementerNature),
    Col("service_objects", "服务对象", "list"),
    Col("conditions", "受理条件"),
    Col("quantity_limit", "数量限制"),
    Col("legal_basis", "设定依据"),
    Col("statutory_limit", "法定办结时限", "int"),
    Col("statutory_limit_unit", "法定时限单位", "choice", LimitUnit),
    Col("promised_limit", "承诺办结时限", "int"),
    Col("limit_note", "时限说明"),
    Col("case_kind", "办件类型", "choice", CaseKind),
    Col("channels", "办理形式", "choices", Channel),
    Col("online_depth", "网上办理深度", "choices", OnlineDepth),
    Col("visits", "到现场次数", "int"),
    Col("onsite_reason", "到现场原因"),
    Col("in_hall", "进驻大厅", "bool"),
    Col("delivery", "物流快递", "bool"),
    Col("online_payment", "网上支付", "bool"),
    Col("appointment", "预约办理", "bool"),
    Col("self_service", "自助终端", "bool"),
    Col("cross_region", "通办范围", "choice", CrossRegion),
    Col("special_procedures", "特别程序", "choices", SpecialProcedure),
    Col("result_type", "审批结果类型", "choice", ResultType),
    Col("result_name", "审批结果名称"),
    Col("result_licence_type", "颁发证照类型编码", "licence"),
    Col("intermediary_services", "中介服务"),
    Col("joint_departments", "联办部门信用代码", "depts"),
    Col("themes", "主题分类", "list"),
    Col("handling_place", "办理地点"),
    Col("office_hours", "办理时间"),
    Col("consult_phone", "咨询电话"),
)
BASE_COLUMNS = (
    Col("base_code", "基本编码", required=True),
    Col("name", "事项名称", required=True),
    Col("item_type", "事项类型", "choice", ItemType, required=True),
    Col("legal_basis", "设定依据"),
    Col("levels", "行使层级", "choices", Level),
)
LICENCE_COLUMNS = (
    Col("code", "证照类型编码", required=True),
    Col("name", "证照名称", required=True),
    Col("issuing_department", "发证部门信用代码", "dept"),
    Col("holder_type", "持证主体类型", "choice", HolderType, required=True),
)
FEE_COLUMNS = (
    Col("code", "实施编码", required=True),
    Col("name", "收费项目", required=True),
    Col("standard", "收费标准"),
    Col("basis", "收费依据"),
    Col("waivable", "允许减免"),
)
STEP_COLUMNS = (
    Col("code", "实施编码", required=True),
    Col("name", "环节名称", required=True),
    Col("performer", "办理角色", "choice", Role, required=True),
    Col("working_days", "环节时限（工作日）", "int"),
    Col("description", "环节说明"),
)
MATERIAL_COLUMNS = (
    Col("code", "实施编码", required=True),
    Col("name", "材料名称", required=True),
    Col("copy_type", "材料类型", "choice", CopyType),
    Col("form", "材料形式", "choice", MaterialForm),
    Col("necessity", "必要性", "choice", Necessity),
    Col("source", "来源渠道", "choice", MaterialSource),
    Col("replaced_by", "可替代证照类型编码", "licence"),
    Col("shared_data", "可替代共享数据"),
    Col("copies", "纸质份数", "int"),
    Col("specification", "规格"),
    Col("acceptance_standard", "受理标准"),
    Col("basis", "材料依据"),
    Col("notes", "填报须知"),
)
FIELD_COLUMNS = (
    Col("code", "实施编码", required=True),
    Col("key", "字段标识", required=True),
    Col("label", "字段名称", required=True),
    Col("field_type", "字段类型", "choice", FieldType, required=True),
    Col("required", "必填", "bool"),
    Col("max_length", "最大长度", "int"),
    Col("choices", "可选项", "list"),
    Col("min_value", "最小值", "decimal"),
    Col("max_value", "最大值", "decimal"),
    Col("help_text", "填写说明"),
)
# (sheet title, columns), in the order of the workbook.
SHEETS = {
    "base": ("基本目录", BASE_COLUMNS),
    "licences": ("证照类型", LICENCE_COLUMNS),
    "implementations": ("实施清单", IMPLEMENTATION_COLUMNS),
    "fees": ("收费", FEE_COLUMNS),
    "steps": ("办理流程", STEP_COLUMNS),
    "materials": ("申请材料", MATERIAL_COLUMNS),
    "form_fields": ("表单字段", FIELD_COLUMNS),
}
CHILD_SHEETS = ("fees", "steps", "materials", "form_fields")
YES, NO = "是", "否"


# --- cells ---------------------------------------------------------------------------------------


def to_cell(col: Col, value: Any) -> str | int:
    """A value as it is written in the workbook."""
    if col.kind == "int":
        return "" if value is None else int(value)
    if col.kind == "bool":
        return YES if value else NO
    if col.kind == "choice":
        assert col.choices is not None
        return _label_of(col.choices, value)
    if col.kind == "choices":
        assert col.choices is not None
        return LIST_SEPARATOR.join(_label_of(col.choices, v) for v in value)
    if col.kind in ("list", "depts"):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if col.kind == "decimal":
        return "" if value is None else format(Decimal(value).normalize(), "f")
    return "" if value is None else str(value)


def from_cell(col: Col, text: str) -> Any:
    """A cell's text as a value; ValueError with a message saying what was expected."""
    if col.kind == "int":
        if not text:
            return None
        try:
            number = int(Decimal(text))
        except InvalidOperation:
            raise ValueError(_("A whole number is expected.")) from None
        if number < 0 or Decimal(text) != number:
            raise ValueError(_("A whole number is expected."))
        return number
    if col.kind == "bool":
        if text not in (YES, NO, ""):
            raise ValueError(_("Write 是 or 否."))
        return text == YES
    if col.kind == "decimal":
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(_("A number is expected.")) from None
    if col.kind in ("choice", "choices"):
        assert col.choices is not None
        labels = _labels(col.choices)
        names = [t.strip() for t in text.split(LIST_SEPARATOR) if t.strip()] if col.kind == "choices" else [text]
        if col.kind == "choice" and not text:
            return ""
        unknown = [n for n in names if n not in labels]
        if unknown:
            raise ValueError(
                _("Unknown value “%(value)s”; use one of: %(allowed)s")
                % {"value": "、".join(unknown), "allowed": "、".join(labels)}
            )
        return [labels[n] for n in names] if col.kind == "choices" else labels[text]
    if col.kind in ("list", "depts"):
        return [t.strip() for t in text.split(LIST_SEPARATOR) if t.strip()]
    return text


# --- export --------------------------------------------------------------------------------------


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
        departments = {d.credit_code: d for d in Department.objects.all()}
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
