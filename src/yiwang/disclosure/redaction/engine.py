"""Detecting personal data in a document and releasing it with confirmed areas removed for good.

《政府信息公开条例》§37: where a requested document holds what may not be disclosed but can be
separated, the body provides the rest — here, the document with those areas blacked out. The released
copy is rendered anew: every page a raster with the areas filled before it is embedded, so no text
layer, font, metadata, annotation, attachment or earlier revision of the original survives.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Iterable

from PIL import Image, ImageDraw

from . import images, ocr, pdf
from .errors import RedactionError
from .pdfwrite import RasterPdf
from .text import find
from .values import Area, Box, Hit

PDF = "application/pdf"
CONTENT_TYPES = (PDF, *images.FORMATS)
# 150 dpi keeps small print legible, a typed page near 50 KB and a scan a few hundred; callers may ask for
# up to MAX_RELEASE_DPI (pages too large for their pixels are drawn coarser, down to 72 dpi).
RELEASE_DPI = 150.0
MAX_RELEASE_DPI = 600.0
# OCR reads best at about 200 dpi, and RapidOCR works on at most 2000 pixels a side anyway.
OCR_DPI = 200.0
# Glyph edges reach past the boxes text layers and OCR report: every box grows by this much each way.
PAD_POINTS = 1.5
_MIN_PAD_PIXELS = 2
# An image has no physical size: its long side is taken as an A4 page's (842 pt) to size the padding,
# and 150 dpi to size the released page when the file does not say.
_A4_LONG_SIDE = 842.0
_DEFAULT_IMAGE_DPI = 150.0


def detect(data: bytes, *, content_type: str) -> list[Hit]:
    """Every piece of personal data found, page by page, to be confirmed or rejected by a person.

    PDF pages are read through their text layer; pages without one, or covered by images (scans), are
    read by OCR as well. Images are read by OCR.
    """
    _check_type(content_type)
    if content_type != PDF:
        image = images.open_image(data, content_type)
        return find(ocr.read(image, page=0, unit=1.0))
    hits: list[Hit] = []
    with pdf.opened(data) as document:
        for index in range(pdf.page_count(document)):
            page = pdf.read_page(document, index)
            found = find(page.text) if page.text.has_text() else []
            if page.scanned:
                dpi = min(OCR_DPI, ocr.OCR_LONG_SIDE * 72 / max(page.width, page.height))
                raster, scale = pdf.render(document, index, dpi)
                found = _merged(found, find(ocr.read(raster, page=index, unit=scale)))
            hits.extend(found)
    return hits


def page_sizes(data: bytes, *, content_type: str) -> list[tuple[float, float]]:
    """Each page's width and height in page units (points for PDFs, pixels for images)."""
    _check_type(content_type)
    if content_type != PDF:
        return [images.open_image(data, content_type).size]
    with pdf.opened(data) as document:
        return [pdf.page_size(document, index) for index in range(pdf.page_count(document))]


def apply(data: bytes, *, content_type: str, areas: Iterable[Area], dpi: float = RELEASE_DPI) -> bytes:
    """The released copy: a new PDF of rendered pages with every area filled black.

    Pages keep their count, order and displayed size; ``dpi`` is the PDF pages' resolution, while an
    image keeps its own pixels. Boxes reaching past the page are clipped; an area on no page, or with
    nothing left on its page after clipping, is refused rather than silently dropped.
    """
    _check_type(content_type)
    if not 72 <= dpi <= MAX_RELEASE_DPI:
        raise ValueError(f"dpi must lie between 72 and {MAX_RELEASE_DPI:g}")
    areas = list(areas)
    writer = RasterPdf()
    if content_type != PDF:
        image = images.open_image(data, content_type)
        boxes = _boxes_by_page(areas, [image.size])
        _blacken(image, boxes[0], scale=1.0, pixels_per_point=max(image.size) / _A4_LONG_SIDE)
        dots = _image_dpi(image)
        writer.add_page(image, image.width * 72 / dots, image.height * 72 / dots)
        return writer.finish()
    with pdf.opened(data) as document:
        count = pdf.page_count(document)
        boxes = _boxes_by_page(areas, [pdf.page_size(document, index) for index in range(count)])
        for index in range(count):
            raster, scale = pdf.render(document, index, dpi)
            width, height = pdf.page_size(document, index)
            _blacken(raster, boxes[index], scale=scale, pixels_per_point=scale)
            writer.add_page(raster, width, height)
    return writer.finish()


def _check_type(content_type: str) -> None:
    if content_type not in CONTENT_TYPES:
        raise RedactionError("redaction_unsupported_type", details={"content_type": content_type[:100]})


def _merged(layer: list[Hit], scanned: list[Hit]) -> list[Hit]:
    """The text layer's hits, and OCR's where the text layer found nothing of that kind."""
    extra = [
        hit
        for hit in scanned
        if not any(
            other.kind == hit.kind and any(a.overlaps(b) for a in hit.boxes for b in other.boxes) for other in layer
        )
    ]
    return sorted([*layer, *extra], key=lambda hit: (hit.boxes[0].y0, hit.boxes[0].x0))


def _boxes_by_page(areas: list[Area], sizes: list[tuple[float, float]]) -> dict[int, list[Box]]:
    boxes: dict[int, list[Box]] = defaultdict(list)
    for area in areas:
        if not 0 <= area.page < len(sizes) or not area.boxes:
            raise RedactionError("redaction_area_invalid", details={"page": area.page})
        width, height = sizes[area.page]
        for box in area.boxes:
            if not all(math.isfinite(value) for value in box):
                raise RedactionError("redaction_area_invalid", details={"page": area.page})
            x0, x1 = sorted((box.x0, box.x1))
            y0, y1 = sorted((box.y0, box.y1))
            clipped = Box(max(0.0, x0), max(0.0, y0), min(width, x1), min(height, y1))
            if clipped.width <= 0 or clipped.height <= 0:
                raise RedactionError("redaction_area_invalid", details={"page": area.page, "box": list(box)})
            boxes[area.page].append(clipped)
    return boxes


def _blacken(image: Image.Image, boxes: list[Box], *, scale: float, pixels_per_point: float) -> None:
    """Fills the boxes (page units × ``scale`` = pixels) solid black, each grown by the padding."""
    pad = max(_MIN_PAD_PIXELS, PAD_POINTS * pixels_per_point)
    draw = ImageDraw.Draw(image)
    for box in boxes:
        x0 = max(0, math.floor(box.x0 * scale - pad))
        y0 = max(0, math.floor(box.y0 * scale - pad))
        x1 = min(image.width - 1, math.ceil(box.x1 * scale + pad))
        y1 = min(image.height - 1, math.ceil(box.y1 * scale + pad))
        draw.rectangle((x0, y0, x1, y1), fill=(0, 0, 0))


def _image_dpi(image: Image.Image) -> float:
    dots = image.info.get("dpi", (0, 0))
    try:
        # PNG keeps pixels per metre: 150 dpi comes back as 150.01.
        value = float(round(float(dots[0])))
    except (TypeError, ValueError, IndexError, OverflowError):
        return _DEFAULT_IMAGE_DPI
    return value if 50 <= value <= 1200 else _DEFAULT_IMAGE_DPI


PREVIEW_DPI = 96.0
# Outline colours: what the person still has to decide, what is confirmed, what they rejected.
OUTLINES = {"proposed": (220, 38, 38), "confirmed": (17, 17, 17), "rejected": (148, 163, 184)}


def preview(data: bytes, *, content_type: str, page: int, areas: Iterable[tuple[str, Area]]) -> bytes:
    """One page as a PNG with each area outlined by its state, for the person who confirms it: the
    original's content is shown (this never leaves the office), the boxes where they will be filled."""
    _check_type(content_type)
    chosen = [(state, area) for state, area in areas if area.page == page]
    if content_type != PDF:
        if page != 0:
            raise RedactionError("redaction_area_invalid", details={"page": page})
        image = images.open_image(data, content_type)
        scale = 1.0
    else:
        with pdf.opened(data) as document:
            if not 0 <= page < pdf.page_count(document):
                raise RedactionError("redaction_area_invalid", details={"page": page})
            image, scale = pdf.render(document, page, PREVIEW_DPI)
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    width = max(2, round(scale * 1.5))
    for state, area in chosen:
        for box in area.boxes:
            draw.rectangle(
                [box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale],
                outline=OUTLINES.get(state, OUTLINES["proposed"]),
                width=width,
            )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()
