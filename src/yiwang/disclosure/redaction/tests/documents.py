"""Documents made on the fly for the redaction tests: a reply letter in the platform's Chinese CID font,
with personal data in the places people put it, two values broken over lines, and text that stays."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import reportlab
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from yiwang.core.identifiers import resident_id_with_check
from yiwang.core.pdf import FONT

VALID_ID = "11010519491231002X"
# Same digits, wrong check character (the right one is X): not an ID number.
INVALID_ID = "110105194912310021"
SPLIT_ID = resident_id_with_check("44030619850312471")
MOBILE = "13800138000"
SPLIT_MOBILE = "13912345678"
NAME = "张三丰"
ADDRESS = "北京市朝阳区建国路88号3栋2单元501室"
# Digits that stay: the reply's number, away from every value (drawn in the fonts' Latin glyphs, which
# PDFium draws even without a Chinese system font).
KEPT = "YSQ-2024-0007"

FONT_SIZE = 12
LEFT = 72.0


@dataclass(frozen=True)
class Line:
    baseline: float  # from the page's top, in points
    text: str


def letter_lines() -> list[Line]:
    return [
        Line(80, f"申请人：{NAME}，身份证号：{VALID_ID}"),
        Line(100, f"联系电话：{MOBILE}，住址：{ADDRESS}"),
        Line(120, f"核对中发现的号码 {INVALID_ID} 不是有效的身份号码。"),
        Line(140, f"另一身份证号码 {SPLIT_ID[:10]}"),
        Line(155, f"{SPLIT_ID[10:]} 为代理人所有；代理人手机 {SPLIT_MOBILE[:3]}"),
        Line(170, f"{SPLIT_MOBILE[3:]} 可联系。"),
        Line(300, f"答复编号 {KEPT}"),
    ]


def register_font() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def letter_pdf(*, pages: int = 1, rotate: int = 0, title: str = "") -> bytes:
    register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if title:
        pdf.setTitle(title)
        pdf.setAuthor(NAME)
    for _ in range(pages):
        pdf.setFont(FONT, FONT_SIZE)
        for line in letter_lines():
            pdf.drawString(LEFT, A4[1] - line.baseline, line.text)
        pdf.showPage()
    pdf.save()
    data = buffer.getvalue()
    if rotate:
        from pypdf import PdfWriter

        writer = PdfWriter(clone_from=io.BytesIO(data))
        for page in writer.pages:
            page.rotate(rotate)
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


def text_position(line: Line, before: str, value: str) -> tuple[float, float, float, float]:
    """Where reportlab put ``value`` following ``before`` on ``line``: x0, top, x1, bottom in points from the
    page's top-left, from the baseline up to the digits' height."""
    x0 = LEFT + pdfmetrics.stringWidth(before, FONT, FONT_SIZE)
    x1 = x0 + pdfmetrics.stringWidth(value, FONT, FONT_SIZE)
    return x0, line.baseline - FONT_SIZE * 0.7, x1, line.baseline


def texts_pypdf(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def texts_pdfium(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        parts = []
        for page in document:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        document.close()


def digits_only(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text)


def render_page(data: bytes, index: int = 0, *, scale: float = 2.0) -> Image.Image:
    document = pdfium.PdfDocument(data)
    try:
        page = document[index]
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
        return image
    finally:
        document.close()


def latin_font(size: int) -> ImageFont.FreeTypeFont:
    # reportlab ships Bitstream Vera: a TrueType font every test machine has.
    return ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), size)


def scan_png(
    lines: list[str], *, size: tuple[int, int] = (1240, 600), font_size: int = 40
) -> tuple[bytes, list[tuple[int, int, int, int]]]:
    """A white page with the lines typed on it, and each line's ink box in pixels."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = latin_font(font_size)
    boxes = []
    for number, text in enumerate(lines):
        origin = (60, 60 + number * font_size * 2)
        draw.text(origin, text, fill="black", font=font)
        left, top, right, bottom = draw.textbbox(origin, text, font=font)
        boxes.append((int(left), int(top), int(right), int(bottom)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(150, 150))
    return buffer.getvalue(), boxes


def ink(image: Image.Image, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """Share of dark pixels and of pure black pixels inside ``box`` (pixels)."""
    left, top, right, bottom = (round(v) for v in box)
    histogram = image.crop((left, top, right, bottom)).convert("L").histogram()
    total = sum(histogram)
    if not total:
        return 0.0, 0.0
    return sum(histogram[:128]) / total, sum(histogram[:8]) / total
