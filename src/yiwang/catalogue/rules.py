"""What an implementation version must satisfy, stated once for services, forms and the import."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from yiwang.catalogue.models import (
    SERVICE_OBJECTS,
    CaseKind,
    Channel,
    ImplementationVersion,
    ItemType,
    OnlineDepth,
    SpecialProcedure,
)
from yiwang.catalogue.themes import ALL_THEMES
from yiwang.organisation.rules import Problem

ONLINE_ACCEPTANCE_DEPTH = 4  # 网上办理深度 4 = 受理


def limit_problems(*, statutory: int | None, promised: int | None, case_kind: str) -> list[Problem]:
    problems: list[Problem] = []
    if statutory is not None and promised is not None and promised > statutory:
        problems.append(
            (
                "promised_limit",
                _("The promised time limit may not exceed the statutory one (%(n)d).") % {"n": statutory},
            )
        )
    if case_kind == CaseKind.ON_THE_SPOT and promised not in (None, 0):
        problems.append(("promised_limit", _("An on-the-spot item is concluded the same day: promise 0 days.")))
    return problems


def vocabulary_problems(
    *,
    channels: list[str],
    online_depth: list[int],
    service_objects: list[str],
    themes: list[str],
    special_procedures: list[str],
) -> list[Problem]:
    """Multi-valued elements take their values from the catalogue's fixed lists only."""
    problems: list[Problem] = []
    checks: list[tuple[str, list[Any], set[Any]]] = [
        ("channels", channels, set(Channel.values)),
        ("online_depth", online_depth, set(OnlineDepth.values)),
        ("service_objects", service_objects, set(SERVICE_OBJECTS)),
        ("themes", themes, set(ALL_THEMES)),
        ("special_procedures", special_procedures, set(SpecialProcedure.values)),
    ]
    for field, values, allowed in checks:
        if not isinstance(values, list):
            problems.append((field, _("A list of values is expected.")))
            continue
        if unknown := [str(v) for v in values if v not in allowed]:
            problems.append((field, _("Unknown values: %(values)s") % {"values": "、".join(unknown)}))
    return problems


def version_missing(version: ImplementationVersion, *, item_type: str) -> list[Problem]:
    """Every element that must be present before review or publication, all at once."""
    required = _("This element is required before the version can be submitted.")
    problems: list[Problem] = []
    for field in ("name", "conditions", "legal_basis", "handling_place"):
        if not str(getattr(version, field)).strip():
            problems.append((field, required))
    for field in ("statutory_limit", "promised_limit", "visits"):
        if getattr(version, field) is None:
            problems.append((field, required))
    for field in ("service_objects", "channels", "online_depth"):
        if not getattr(version, field):
            problems.append((field, required))
    if not version.result_type:
        problems.append(("result_type", required))
    if not version.steps.exists():
        problems.append(("steps", _("At least one process step is required.")))
    problems += limit_problems(
        statutory=version.statutory_limit, promised=version.promised_limit, case_kind=version.case_kind
    )
    if any(int(d) >= ONLINE_ACCEPTANCE_DEPTH for d in version.online_depth) and "online" not in version.channels:
        problems.append(("channels", _("Online acceptance needs the online channel.")))
    # 行政许可法 §58: a licence costs nothing unless a law or administrative regulation provides a fee.
    if item_type == ItemType.LICENSING and any(not str(fee.get("basis", "")).strip() for fee in version.fees):
        problems.append(("fees", _("Every fee of a licensing item needs its legal basis (行政许可法 §58).")))
    return problems


def implementation_code_for(*, credit_code: str, level: str, base_code: str) -> str:
    """实施编码 in the configured layout (default: USCC + level + base code)."""
    return settings.YIWANG_IMPLEMENTATION_CODE_LAYOUT.format(credit_code=credit_code, level=level, base_code=base_code)
