"""Printed guides and blank forms as PDF, from the same data as the portal page ("数据同源").

The layout helpers are core.pdf's (a Chinese CID font nothing has to be installed for).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, TableStyle

from yiwang.core.pdf import document as _document
from yiwang.core.pdf import paragraph as _p
from yiwang.core.pdf import table as _table

if TYPE_CHECKING:
    from yiwang.catalogue.selectors import Guide, GuideMaterial


def guide_pdf(guide: Guide) -> bytes:
    """The printed 办事指南: the same sections, in the same order, as the portal page."""
    buffer = io.BytesIO()
    document = _document(buffer, _("%(name)s: service guide") % {"name": guide.name})
    width = A4[0] - 36 * mm
    story: list[object] = [
        _p(_("%(name)s: service guide") % {"name": guide.name}, "title"),
        _p(
            _("Implementation code %(code)s, version %(n)s, published %(date)s")
            % {"code": guide.code, "n": guide.version, "date": guide.published_on},
            "subtitle",
        ),
        Spacer(1, 6),
    ]
    for heading, rows in guide.sections():
        story.append(_p(heading, "h2"))
        story.append(_table([[label, value] for label, value in rows], [32 * mm, width - 32 * mm], header=False))
    story.append(_p(_("Materials"), "h2"))
    story.append(
        _table(
            [
                [_("No."), _("Material"), _("Requirement"), _("Copies"), _("Notes")],
                *([m.order, m.name, m.requirement, m.copies, _material_note(m)] for m in guide.materials),
            ],
            [12 * mm, 55 * mm, 40 * mm, 12 * mm, width - 119 * mm],
        )
    )
    story.append(_p(_("Process"), "h2"))
    story.append(
        _table(
            [
                [_("Step"), _("Stage"), _("Performed by"), _("Time (working days)"), _("Description")],
                *([s.order, s.name, s.performer, s.days, s.description] for s in guide.steps),
            ],
            [12 * mm, 28 * mm, 32 * mm, 26 * mm, width - 98 * mm],
        )
    )
    document.build(story)
    return buffer.getvalue()


def _material_note(material: GuideMaterial) -> str:
    """The printed note of a material, led by 免提交 where a licence or shared data supplies it."""
    exempt = (
        _("No need to submit: obtained from %(source)s.") % {"source": material.exempt_by} if material.exempt_by else ""
    )
    return " ".join(part for part in (exempt, material.note) if part)


def blank_form_pdf(title: str, item_name: str, labels: list[str], examples: list[str] | None = None) -> bytes:
    """An application form: one row per field, then signature and date. With ``examples`` it is the
    filled-in sample (示例样表) that shows how to complete the blank one."""
    buffer = io.BytesIO()
    document = _document(buffer, title)
    width = A4[0] - 36 * mm
    rows: list[list[object]] = [
        [label, example] for label, example in zip(labels, examples or [""] * len(labels), strict=True)
    ]
    rows += [[_("Applicant (signature or seal)"), ""], [_("Date"), _("    year    month    day")]]
    table = _table(rows, [55 * mm, width - 55 * mm], header=False)
    table.setStyle(
        TableStyle([("ROWBACKGROUNDS", (1, 0), (1, -1), [colors.white]), ("TOPPADDING", (0, 0), (-1, -1), 9)])
    )
    document.build([_p(title, "title"), _p(_("For: %(item)s") % {"item": item_name}, "subtitle"), Spacer(1, 10), table])
    return buffer.getvalue()
