"""The dashboard of any view as Excel and as PDF (the same figures as the page)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from reportlab.platypus import Spacer

from yiwang.core.pdf import document, paragraph, table
from yiwang.oversight.kpis import KPIS, KpiTable

PERCENT_CODES = {k.code for k in KPIS if k.denominator and k.scale == 100.0}


def shown(code: str, value: float | None) -> str:
    if value is None:
        return "—"
    if code in PERCENT_CODES:
        return f"{value:.1f}%"
    return f"{value:,.1f}" if value != int(value) else f"{int(value):,}"


GROUPED = ("received", "same_day_rate", "on_time_rate", "early_rate", "online_rate", "one_visit_rate",
           "satisfaction_rate", "ratings")  # fmt: skip


def workbook(
    *, title: str, table_all: KpiTable, grouped: KpiTable, group_label: str, cards: Sequence[dict[str, Any]],
    scores: Sequence[Any], trading: Any = None,
) -> bytes:  # fmt: skip
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("KPIs")
    sheet.append([title])
    sheet.append([_("KPI"), _("Value")])
    values = table_all.values()
    for kpi in KPIS:
        sheet.append([str(kpi.label), values[kpi.code]])
    by_group = book.create_sheet(_("By group"))
    by_group.append([group_label, *(str(k.label) for k in KPIS if k.code in GROUPED)])
    for label, row_values, _sums in grouped.ordered():
        by_group.append([label, *(row_values[k.code] for k in KPIS if k.code in GROUPED)])
    card_sheet = book.create_sheet(_("Cards"))
    card_sheet.append(
        [_("Department"), _("Yellow cards"), _("Red cards"), _("12345 yellow cards"), _("12345 red cards")]
    )
    for card in cards:
        card_sheet.append(
            [card["name"], card["yellow"], card["red"], card.get("hotline_yellow", 0), card.get("hotline_red", 0)]
        )
    score_sheet = book.create_sheet(_("Window assessment"))
    score_sheet.append([
        _("Rank"), _("Window"), _("Window group"), _("Score"), _("Numbers served"), _("Satisfaction rate"),
        _("Average wait (minutes)"), pgettext("cases", "On-time rate"), _("Yellow cards"), _("Red cards"),
    ])  # fmt: skip
    for s in scores:
        score_sheet.append([s.rank, s.window, s.group, s.score, s.served, s.satisfaction, s.average_wait, s.on_time,
                            s.yellow, s.red])  # fmt: skip
    if trading is not None:
        _trading_sheet(book, trading)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(*, title: str, subtitle: str, table_all: KpiTable, grouped: KpiTable, group_label: str,
        cards: Sequence[dict[str, Any]]) -> bytes:  # fmt: skip
    buffer = io.BytesIO()
    values = table_all.values()
    story: list[object] = [paragraph(title, "title"), paragraph(subtitle, "subtitle"), Spacer(1, 8)]
    rows: list[list[object]] = [[_("KPI"), _("Value")]]
    rows += [[str(k.label), shown(k.code, values[k.code])] for k in KPIS]
    story.append(table(rows, [260.0, 190.0]))
    story.append(paragraph(_("By %(group)s") % {"group": group_label}, "h2"))
    heads = [k for k in KPIS if k.code in GROUPED]
    grid: list[list[object]] = [[group_label, *(str(k.label) for k in heads)]]
    for label, row_values, _sums in grouped.ordered()[:40]:
        grid.append([label, *(shown(k.code, row_values[k.code]) for k in heads)])
    story.append(table(grid, [90.0] + [45.0] * len(heads)))
    story.append(paragraph(_("Cards"), "h2"))
    card_rows: list[list[object]] = [[_("Department"), _("Yellow cards"), _("Red cards"), _("12345 yellow cards"),
                                      _("12345 red cards")]]  # fmt: skip
    card_rows += [
        [c["name"], c["yellow"], c["red"], c.get("hotline_yellow", 0), c.get("hotline_red", 0)] for c in cards
    ]
    story.append(table(card_rows, [170.0, 70.0, 70.0, 70.0, 70.0]))
    document(buffer, title).build(story)
    return buffer.getvalue()


def _trading_sheet(book: Workbook, trading: Any) -> None:
    """公共资源交易: projects by kind and method with budgets, contracts and the savings rate."""
    sheet = book.create_sheet(_("Public resource trading"))
    sheet.append([
        _("Kind"), _("Method"), _("Projects"), _("Budget (yuan)"), _("Contracted"), _("Contract amount (yuan)"),
        _("Savings rate (%)"), _("Failed"), _("Terminated"), _("Average bids"),
    ])  # fmt: skip
    for row in [*trading.rows, trading.total]:
        sheet.append([
            row.kind or _("Total"), row.method, row.projects, float(row.budget), row.contracted,
            float(row.contract_amount), row.savings_rate, row.failed, row.terminated, row.average_bids,
        ])  # fmt: skip
    sheet.append([])
    sheet.append([_("Complaints"), trading.complaints, _("Upheld"), trading.complaints_upheld])
    sheet.append([_("Yellow cards"), trading.yellow, _("Red cards"), trading.red])
