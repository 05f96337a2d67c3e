from __future__ import annotations

from django import template

from yiwang.catalogue.kpis import KpiRow

register = template.Library()


@register.filter
def rate(row: KpiRow, key: str) -> float | None:
    return row.rate(key)


@register.filter
def percent(value: float | None) -> str:
    """0.857 → "85.7%"; no rate (an empty group) → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"
