"""The rules a region or department must satisfy, shared by the services, the forms and the Excel
import so that each is stated once. Each check returns ``(field, message)`` pairs; empty means valid.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.core.identifiers import REGION_CODE, credit_code_problem
from yiwang.organisation.models import LEVEL_CODE_LENGTH, LEVEL_DEPTH, RegionLevel

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
