"""Catalogue KPIs, defined once (catalogue.md: "keep them in one place, documented").

Each is the share of published implementations that meets a condition of its published version:

| KPI | numerator: implementations whose published version… |
| --- | --- |
| 网上可办率 (online_available) | reaches online depth 4 (受理) or deeper |
| 全程网办率 (fully_online) | needs 0 visits to the hall |
| 最多跑一次率 (at_most_one_visit) | needs at most 1 visit |
| 即办件比例 (on_the_spot) | is an on-the-spot item (即办件) |

The denominator is every published implementation of the group (a department, or the departments of a
region). A group with no published implementation has no rate (shown as —), not 0 %.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yiwang.catalogue.models import CaseKind, ItemImplementation, VersionStatus
from yiwang.catalogue.rules import ONLINE_ACCEPTANCE_DEPTH


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str | Promise
    formula: str | Promise
    meets: Callable[[dict[str, Any]], bool]


KPIS = (
    Kpi(
        "online_available",
        _("Online availability rate"),
        _("items whose online depth reaches acceptance (4) ÷ all published items"),
        lambda v: any(int(d) >= ONLINE_ACCEPTANCE_DEPTH for d in v["online_depth"]),
    ),
    Kpi(
        "fully_online",
        _("Fully online rate"),
        _("items needing no visit to the hall ÷ all published items"),
        lambda v: v["visits"] == 0,
    ),
    Kpi(
        "at_most_one_visit",
        _("At-most-one-visit rate"),
        _("items needing at most one visit ÷ all published items"),
        lambda v: v["visits"] is not None and v["visits"] <= 1,
    ),
    Kpi(
        "on_the_spot",
        _("On-the-spot share"),
        _("on-the-spot items ÷ all published items"),
        lambda v: v["case_kind"] == CaseKind.ON_THE_SPOT,
    ),
)


@dataclass
class KpiRow:
    name: str
    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys((k.key for k in KPIS), 0))

    def rate(self, key: str) -> float | None:
        return self.counts[key] / self.total if self.total else None

    @property
    def rates(self) -> dict[str, float | None]:
        return {k.key: self.rate(k.key) for k in KPIS}


def catalogue_kpis(*, by: str = "department") -> tuple[KpiRow, list[KpiRow]]:
    """The whole catalogue's KPIs and one row per department (``by="department"``) or region."""
    group = "department__name" if by == "department" else "department__region__name"
    rows = ItemImplementation.objects.filter(current__status=VersionStatus.PUBLISHED).values(
        group, "current__online_depth", "current__visits", "current__case_kind"
    )
    overall = KpiRow(str(_("All")))
    groups: dict[str, KpiRow] = defaultdict(lambda: KpiRow(""))
    for row in rows.iterator(chunk_size=2000):
        version = {
            "online_depth": row["current__online_depth"],
            "visits": row["current__visits"],
            "case_kind": row["current__case_kind"],
        }
        target = groups[row[group]]
        target.name = row[group]
        for kpi_row in (overall, target):
            kpi_row.total += 1
            for kpi in KPIS:
                kpi_row.counts[kpi.key] += kpi.meets(version)
    return overall, sorted(groups.values(), key=lambda r: r.name)
