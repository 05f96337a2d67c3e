"""The rules a region, department, service centre, hall, window group or window must satisfy, shared
by the services, the forms (the admin's too) and the Excel import so that each is stated once. Each
check returns ``(field, message)`` pairs; empty means valid.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.core.fields import choice_problems, contact_phone_problems, text_problems
from yiwang.core.identifiers import REGION_CODE, credit_code_problem
from yiwang.organisation.models import (
    GENERAL_THEMES,
    LEVEL_CODE_LENGTH,
    LEVEL_DEPTH,
    Department,
    RegionLevel,
    WindowKind,
    WindowTheme,
)

Problem = tuple[str, str]

_CREDIT_CODE_REASONS = {
    "length": lambda: _("A unified social credit code has 18 characters."),
    "authority": lambda: _("The first character of a unified social credit code must be 1-9, A-G, N or Y."),
    "format": lambda: _("The unified social credit code contains characters that are not allowed."),
    "checksum": lambda: _("The check character of the unified social credit code is wrong."),
}


def region_problems(*, code: str, name: str, level: str, parent_level: str | None) -> list[Problem]:
    problems: list[Problem] = []
    if not name.strip():
        problems.append(("name", _("The name is required.")))
    elif len(name) > 100:
        problems.append(("name", _("The name may not exceed 100 characters.")))
    if level not in RegionLevel.values:
        problems.append(("level", _("Unknown level; use province, city, district, township or village.")))
        return problems
    if not REGION_CODE.match(code):
        problems.append(("code", _("A division code has 6, 9 or 12 digits.")))
    elif len(code) != LEVEL_CODE_LENGTH[RegionLevel(level)]:
        problems.append(
            (
                "code",
                _("A %(level)s code has %(length)d digits.")
                % {"level": RegionLevel(level).label, "length": LEVEL_CODE_LENGTH[RegionLevel(level)]},
            )
        )
    if parent_level in RegionLevel.values and LEVEL_DEPTH[RegionLevel(parent_level)] >= LEVEL_DEPTH[RegionLevel(level)]:
        problems.append(("parent", _("The parent region must be at a higher level than the region.")))
    return problems


def credit_code_problems(code: str) -> list[Problem]:
    reason = credit_code_problem(code)
    return [] if reason is None else [("credit_code", _CREDIT_CODE_REASONS[reason]())]


def department_problems(*, name: str, credit_code: str) -> list[Problem]:
    problems: list[Problem] = []
    if not name.strip():
        problems.append(("name", _("The name is required.")))
    elif len(name) > 100:
        problems.append(("name", _("The name may not exceed 100 characters.")))
    problems.extend(credit_code_problems(credit_code))
    return problems


def centre_problems(*, name: str, address: str, phone: str, opening_hours: str) -> list[Problem]:
    """A service centre's name and the contact details it publishes."""
    return [
        *text_problems(name, "name", max_length=100, required=True),
        *text_problems(address, "address", max_length=200),
        *contact_phone_problems(phone, "phone"),
        *text_problems(opening_hours, "opening_hours", max_length=200),
    ]


def hall_problems(*, name: str, location: str) -> list[Problem]:
    return [
        *text_problems(name, "name", max_length=100, required=True),
        *text_problems(location, "location", max_length=200),
    ]


def window_kind(theme: str) -> WindowKind:
    """A window group's kind follows its theme."""
    return WindowKind.GENERAL if theme in GENERAL_THEMES else WindowKind.SPECIAL


def window_group_problems(*, name: str, theme: str, department: Department | None) -> list[Problem]:
    """General windows serve a theme for every department; special windows belong to one."""
    problems = text_problems(name, "name", max_length=100, required=True)
    if unknown := choice_problems(theme, "theme", WindowTheme.values):
        return problems + unknown
    if theme in GENERAL_THEMES and department is not None:
        problems.append(
            ("department", _("A general window group serves every department; leave the department empty."))
        )
    if theme not in GENERAL_THEMES and department is None:
        problems.append(("department", _("A special window group needs its department.")))
    return problems


def window_problems(*, number: str) -> list[Problem]:
    return text_problems(number, "number", max_length=10, required=True)
