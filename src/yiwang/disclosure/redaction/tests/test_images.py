"""Scans: images and PDF pages without a text layer, read by OCR (RapidOCR, offline) and released as
rendered pages like any other document."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from PIL import Image

from yiwang.disclosure.redaction import Hit, apply, detect, page_sizes
from yiwang.disclosure.redaction.pdfwrite import RasterPdf
from yiwang.disclosure.redaction.tests import documents as docs

PNG = "image/png"
LINES = [f"ID: {docs.VALID_ID}", "Tel: 138 0013 8000", f"Ref: {docs.KEPT}"]


@pytest.fixture(scope="module")
def scan() -> tuple[bytes, list[tuple[int, int, int, int]]]:
    return docs.scan_png(LINES)


@pytest.fixture(scope="module")
def hits(scan: tuple[bytes, list[tuple[int, int, int, int]]]) -> list[Hit]:
    return detect(scan[0], content_type=PNG)


def compact(value: str) -> str:
    return "".join(value.split())


def inside(inner: tuple[float, ...], outer: tuple[float, ...], slack: float) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def test_ocr_finds_the_id_number_and_the_mobile_number_on_a_scan(
    scan: tuple[bytes, list[tuple[int, int, int, int]]], hits: list[Hit]
) -> None:
    _png, lines = scan
    by_kind = {hit.kind: hit for hit in hits}
    assert compact(by_kind["id_number"].value) == docs.VALID_ID
    assert compact(by_kind["mobile"].value) == docs.MOBILE
    # Boxes are the image's pixels, on the line each value is typed on, after its label.
    (id_box,) = by_kind["id_number"].boxes
    assert inside(id_box, lines[0], slack=6)
    label_width = docs.latin_font(40).getlength("ID: ")
    assert id_box.x0 >= lines[0][0] + label_width * 0.7
    (mobile_box,) = by_kind["mobile"].boxes
    assert inside(mobile_box, lines[1], slack=6)
    assert not [hit for hit in hits if docs.KEPT in hit.value]


def test_the_released_scan_has_the_values_black_and_the_rest_as_it_was(
    scan: tuple[bytes, list[tuple[int, int, int, int]]], hits: list[Hit]
) -> None:
    png, lines = scan
    released = apply(png, content_type=PNG, areas=[hit.area() for hit in hits])
    ((width, height),) = page_sizes(released, content_type="application/pdf")
    # The scan says 150 dpi: its pixels become a page of that physical size.
    assert (width, height) == pytest.approx((1240 * 72 / 150, 600 * 72 / 150), abs=0.01)
    assert docs.texts_pdfium(released).strip() == ""
    assert b"/Font" not in released
    page = docs.render_page(released, scale=150 / 72)
    for hit in hits:
        for box in hit.boxes:
            assert docs.ink(page, box)[1] > 0.95
    dark, black = docs.ink(page, lines[2])
    assert dark > 0.05
    assert black < 0.5
    # OCR on the released copy finds no trace of what was removed.
    again = {compact(hit.value) for hit in detect(released, content_type="application/pdf")}
    assert docs.VALID_ID not in again
    assert docs.MOBILE not in again


def test_a_pdf_page_without_a_text_layer_is_read_by_ocr_in_points(
    scan: tuple[bytes, list[tuple[int, int, int, int]]],
) -> None:
    png, lines = scan
    writer = RasterPdf()
    writer.add_page(Image.open(io.BytesIO(png)), 1240 * 72 / 150, 600 * 72 / 150)
    scanned_pdf = writer.finish()
    hits = detect(scanned_pdf, content_type="application/pdf")
    (id_hit,) = [hit for hit in hits if hit.kind == "id_number"]
    assert compact(id_hit.value) == docs.VALID_ID
    (box,) = id_hit.boxes
    in_points = tuple(value * 72 / 150 for value in lines[0])
    assert inside(box, in_points, slack=4)


def test_a_photo_is_read_the_way_its_exif_orientation_shows_it(
    scan: tuple[bytes, list[tuple[int, int, int, int]]],
) -> None:
    upright = Image.open(io.BytesIO(scan[0])).convert("RGB")
    # Stored turned a quarter to the left, with EXIF orientation 6 ("turn right to view") as phones do.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=95, exif=exif)
    photo = buffer.getvalue()
    assert page_sizes(photo, content_type="image/jpeg") == [upright.size]
    hits = detect(photo, content_type="image/jpeg")
    assert docs.VALID_ID in {compact(hit.value) for hit in hits if hit.kind == "id_number"}


def _chinese_font() -> str | None:
    if os.environ.get("YIWANG_TEST_CJK_FONT"):
        return os.environ["YIWANG_TEST_CJK_FONT"]
    if not shutil.which("fc-list"):
        return None
    listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
    paths = [line.split(":")[0].strip() for line in listed.splitlines() if line.strip()]
    return paths[0] if paths else None


def test_ocr_reads_chinese_names_and_addresses_on_a_scan() -> None:
    font_path = _chinese_font()
    if font_path is None:
        pytest.skip(
            "no Chinese font to type a Chinese scan with: fc-list :lang=zh is empty and YIWANG_TEST_CJK_FONT unset"
        )
    from PIL import ImageDraw, ImageFont

    image = Image.new("RGB", (1400, 300), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_path, 40)
    draw.text((60, 60), f"申请人：{docs.NAME}", fill="black", font=font)
    draw.text((60, 160), f"住址：{docs.ADDRESS}", fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    found = {(hit.kind, compact(hit.value)) for hit in detect(buffer.getvalue(), content_type=PNG)}
    assert ("name", docs.NAME) in found
    assert ("address", docs.ADDRESS) in found


def test_a_scan_with_a_scanners_text_layer_proposes_each_value_once(
    scan: tuple[bytes, list[tuple[int, int, int, int]]],
) -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    png, lines = scan
    width, height = 1240 * 72 / 150, 600 * 72 / 150
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.drawImage(ImageReader(io.BytesIO(png)), 0, 0, width, height)
    # What a scanner's OCR leaves: the same text, invisible, over the picture of it.
    text = pdf.beginText()
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 40 * 72 / 150)
    left, _top, _right, bottom = lines[0]
    text.setTextOrigin(left * 72 / 150, height - bottom * 72 / 150)
    text.textOut(LINES[0])
    pdf.drawText(text)
    pdf.save()
    hits = detect(buffer.getvalue(), content_type="application/pdf")
    assert [compact(hit.value) for hit in hits if hit.kind == "id_number"] == [docs.VALID_ID]
    # The mobile number is only in the picture: OCR found it.
    assert [compact(hit.value) for hit in hits if hit.kind == "mobile"] == [docs.MOBILE]
