"""What the hotline's supervisors take away: the KPI dashboard as an Excel workbook, and the periodic
bulletin (热线热点聚焦) as PDF and Excel."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.platypus import Spacer

from yiwang.core.pdf import document, paragraph, table
from yiwang.hotline.calls import CallKpiRow
from yiwang.hotline.hotspots import Entry, Hotspots
from yiwang.hotline.kpis import KpiRow
from yiwang.hotline.models import Bulletin


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def kpi_headers() -> list[str]:
    return [
        _("Group"), _("Accepted"), _("Resolved at first contact"), _("Direct rate (%)"), _("Concluded"),
        _("Conclusion rate (%)"), _("On time"), _("Due"), _("On-time rate (%)"), _("Followed up"),
        _("To follow up"), _("Follow-up rate (%)"), _("Satisfied"), _("Valid ratings"), _("Satisfaction (%)"),
        _("Average handling hours"), _("Extensions requested"), _("Extensions approved"), _("Extensions refused"),
        _("Returns"),
    ]  # fmt: skip


def kpi_cells(row: KpiRow) -> list[object]:
    return [
        row.group, row.accepted, row.direct, row.direct_rate, row.concluded, row.conclusion_rate, row.on_time,
        row.on_time_base, row.on_time_rate, row.followed_up, row.to_follow_up, row.follow_up_rate, row.satisfied,
        row.ratings, row.satisfaction_rate, row.average_hours, row.extensions_requested, row.extensions_approved,
        row.extensions_refused, row.returns,
    ]  # fmt: skip


def dashboard_workbook(
    *,
    title: str,
    total: KpiRow | None,
    grouped: Sequence[KpiRow],
    calls: Sequence[CallKpiRow],
    cards: Sequence[dict[str, object]],
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("KPIs")
    sheet.append([title])
    sheet.append(kpi_headers())
    for row in ([total] if total else []) + list(grouped):
        sheet.append(kpi_cells(row))
    calls_sheet = book.create_sheet(_("Calls"))
    calls_sheet.append(
        [_("Day"), _("Incoming calls"), _("Answered"), _("Answered within 15 s"), _("Answer rate (%)"),
         _("15-second rate (%)"), _("Average wait (s)")]
    )  # fmt: skip
    for c in calls:
        calls_sheet.append([c.group, c.incoming, c.answered, c.within_15s, c.answer_rate, c.rate_15s, c.average_wait])
    cards_sheet = book.create_sheet(_("Cards"))
    cards_sheet.append([_("Handling unit"), _("Yellow cards"), _("Red cards")])
    for card in cards:
        cards_sheet.append([card["unit"], card["yellow"], card["red"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _entries(entries: Sequence[Entry]) -> list[list[object]]:
    return [[e.name, e.count, e.baseline, "—" if e.change is None else f"+{e.change}%", e.z] for e in entries]


def bulletin_title(spots: Hotspots) -> str:
    return _("12345 hotline hotspots %(start)s to %(end)s") % {"start": spots.start, "end": spots.end}


def bulletin_workbook(spots: Hotspots, total: KpiRow | None) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _("Summary")
    summary.append([bulletin_title(spots)])
    summary.append([_("Tickets in the period"), spots.total])
    summary.append([_("Baseline (mean of the 4 periods before)"), spots.baseline_total])
    if total is not None:
        for header, cell in zip(kpi_headers()[1:], kpi_cells(total)[1:], strict=True):
            summary.append([header, cell])
    headers = [_("Name"), _("Count"), _("Baseline"), _("Change"), _("z score")]
    for name, entries in (
        (_("Rising categories"), spots.categories),
        (_("Rising areas"), spots.areas),
        (_("Rising keywords"), spots.keywords),
    ):
        sheet = book.create_sheet(name[:31])
        sheet.append(headers)
        for row in _entries(entries):
            sheet.append(row)
    districts = book.create_sheet(_("Top problems per district")[:31])
    districts.append([_("District"), _("Category"), _("Count")])
    for district, top in spots.districts:
        for category, count in top:
            districts.append([district, category, count])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bulletin_pdf(spots: Hotspots, total: KpiRow | None) -> bytes:
    buffer = io.BytesIO()
    title = bulletin_title(spots)
    story: list[object] = [
        paragraph(_("Hotline hotspots in focus"), "title"),
        paragraph(title, "subtitle"),
        Spacer(1, 8),
    ]
    lead = _(
        "%(total)s tickets were received in the period, against a baseline of %(baseline)s (the mean of the "
        "four periods before)."
    ) % {"total": spots.total, "baseline": spots.baseline_total}
    if total is not None:
        lead += " " + _("Conclusion rate %(concluded)s, on-time rate %(on_time)s, satisfaction %(satisfied)s.") % {
            "concluded": _percent(total.conclusion_rate),
            "on_time": _percent(total.on_time_rate),
            "satisfied": _percent(total.satisfaction_rate),
        }
    story.append(paragraph(lead))
    headers: list[object] = [_("Name"), _("Count"), _("Baseline"), _("Change"), _("z score")]
    widths = [190.0, 60.0, 60.0, 80.0, 60.0]
    for name, entries in (
        (_("Rising categories"), spots.categories),
        (_("Rising areas"), spots.areas),
        (_("Rising keywords"), spots.keywords),
    ):
        story.append(paragraph(name, "h2"))
        if entries:
            story.append(table([headers, *_entries(entries)], widths))
        else:
            story.append(paragraph(_("Nothing rose clearly above its baseline.")))
    story.append(paragraph(_("Top problems per district"), "h2"))
    rows: list[list[object]] = [[_("District"), _("Top problems")]]
    for district, top in spots.districts:
        rows.append([district, "；".join(f"{c} {n}" for c, n in top)])
    story.append(table(rows, [120.0, 330.0]))
    document(buffer, title).build(story)
    return buffer.getvalue()


def bulletin_publish(*, end: date, days: int = 7) -> Bulletin:
    """Makes and keeps the bulletin of the ``days`` up to ``end`` for the whole centre (the weekly task;
    made again, it replaces the files of the same period)."""
    from django.core.files.base import ContentFile

    from yiwang.hotline.aggregates import kpis_summed
    from yiwang.hotline.hotspots import hotspots
    from yiwang.hotline.models import Ticket

    spots = hotspots(Ticket.objects.all(), end=end, days=days)
    total = next(iter(kpis_summed(None, start=spots.start, end=spots.end)), None)
    bulletin, _created = Bulletin.objects.get_or_create(
        start=spots.start, end=spots.end, defaults={"tickets": spots.total}
    )
    bulletin.tickets = spots.total
    name = f"hotspots-{spots.start}-{spots.end}"
    bulletin.pdf.save(f"{name}.pdf", ContentFile(bulletin_pdf(spots, total)), save=False)
    bulletin.xlsx.save(f"{name}.xlsx", ContentFile(bulletin_workbook(spots, total)), save=False)
    bulletin.save()
    return bulletin
