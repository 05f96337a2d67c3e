"""PDF building blocks shared by printed guides and case notices.

Text is set in reportlab's built-in Adobe-GB1 CID font (STSong-Light): every PDF reader has a matching
Chinese font, so nothing has to be embedded, downloaded or installed on the server.
"""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "STSong-Light"


@cache
def styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "notice_title": ParagraphStyle("notice_title", parent=base, fontSize=20, leading=30, alignment=1),
        "right": ParagraphStyle("right", parent=base, fontSize=11, leading=18, alignment=2),
        "letter": ParagraphStyle("letter", parent=base, fontSize=12, leading=22, firstLineIndent=24),
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, alignment=1, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=9, alignment=1, textColor=colors.grey),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=4),
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=13),
    }


def paragraph(text: object, style: str = "body") -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles()[style])


def table(rows: list[list[object]], widths: list[float], *, header: bool = True) -> Table:
    cells = [[paragraph(cell, "cell") for cell in row] for row in rows]
    built = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")))
    else:
        style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f4f7")))
    built.setStyle(TableStyle(style))
    return built


def document(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
