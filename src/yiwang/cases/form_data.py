"""The item-specific application form, checked against the version's FormFields — the same rules at
the window, online and in the API (catalogue: "online applications can be generated from the catalogue")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from yiwang.accounts.rules import credit_code_field_problems, phone_problems, resident_id_problems
from yiwang.catalogue.choices import FieldType
from yiwang.core.fields import has_control_characters
from yiwang.core.identifiers import normalise_credit_code, normalise_phone, normalise_resident_id

if TYPE_CHECKING:
    from yiwang.catalogue.models import FormField

Problem = tuple[str, str]


def form_data_clean(fields: Iterable[FormField], data: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The values to store (normalised, unknown keys dropped) and every problem, keyed form_data.<key>."""
    cleaned: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in fields:
        raw = data.get(field.key)
        where = f"form_data.{field.key}"
        if raw is not None and not isinstance(raw, str | int | float | bool):
            # A list or an object (a thousand levels deep, say) is not a form value: never its str().
            problems.append((where, f"{field.label}：{_('a single value is expected.')}"))
            continue
        text = "" if raw is None else str(raw).strip()
        if not text:
            if field.required:
                problems.append((where, _("%(label)s is required.") % {"label": field.label}))
            continue
        if has_control_characters(text, multiline=True):
            problems.append((where, f"{field.label}：{_('This field contains characters that are not allowed.')}"))
            continue
        value, problem = _value(field, text)
        if problem:
            problems.append((where, f"{field.label}：{problem}"))
        else:
            cleaned[field.key] = value
    return cleaned, problems


def _value(field: FormField, text: str) -> tuple[Any, str | None]:
    kind = field.field_type
    if kind == FieldType.TEXT:
        if field.max_length and len(text) > field.max_length:
            return None, _("at most %(n)d characters.") % {"n": field.max_length}
        return text, None
    if kind == FieldType.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, _("a number is expected.")
        if not number.is_finite():
            return None, _("a number is expected.")
        if field.min_value is not None and number < field.min_value:
            return None, _("at least %(n)s.") % {"n": field.min_value}
        if field.max_value is not None and number > field.max_value:
            return None, _("at most %(n)s.") % {"n": field.max_value}
        return str(number), None
    if kind == FieldType.DATE:
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, _("a date like 2026-01-31 is expected.")
    if kind == FieldType.CHOICE:
        if text not in field.choices:
            return None, _("choose one of: %(choices)s") % {"choices": "、".join(map(str, field.choices))}
        return text, None
    if kind == FieldType.BOOLEAN:
        if text.lower() not in ("true", "false", "是", "否", "1", "0", "on"):
            return None, _("yes or no is expected.")
        return text.lower() in ("true", "是", "1", "on"), None
    if kind == FieldType.ID_NUMBER:
        id_number = normalise_resident_id(text)
        return _first(id_number, resident_id_problems(id_number))
    if kind == FieldType.PHONE:
        phone = normalise_phone(text)
        return _first(phone, phone_problems(phone))
    if kind == FieldType.CREDIT_CODE:
        code = normalise_credit_code(text)
        return _first(code, credit_code_field_problems(code))
    return None, _("this kind of field is not supported.")


def _first(value: str, problems: list[Problem]) -> tuple[Any, str | None]:
    return (None, problems[0][1]) if problems else (value, None)


def form_data_rows(fields: Iterable[FormField], data: dict[str, Any]) -> list[tuple[str, str]]:
    """The filled-in form as people read it: each field's label and its value in words, in the
    version's order; values of fields the version no longer has are shown under their key."""
    rows: list[tuple[str, str]] = []
    known = set()
    for field in fields:
        known.add(field.key)
        if field.key in data:
            rows.append((field.label, _shown(data[field.key])))
    rows += [(key, _shown(value)) for key, value in data.items() if key not in known]
    return rows


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)
