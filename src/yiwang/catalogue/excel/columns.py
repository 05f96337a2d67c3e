"""The workbook's layout: sheets and columns, and how a value becomes a cell and a cell a value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from yiwang.accounts.roles import Role
from yiwang.catalogue.models import (
    CaseKind,
    Channel,
    CopyType,
    CrossRegion,
    FieldType,
    HolderType,
    ImplementerNature,
    ItemType,
    Level,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    Necessity,
    OnlineDepth,
    PowerSource,
    ResultType,
    SpecialProcedure,
)

if TYPE_CHECKING:
    pass


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
