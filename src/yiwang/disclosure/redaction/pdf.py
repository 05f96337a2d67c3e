"""Reading PDFs through PDFium (pypdfium2): pages, their text with a box per character, and rasters.

PDFium is not thread-safe: every call into it runs under ``PDFIUM``, one page at a time, so a long
document never blocks other threads for more than a page and OCR runs outside the lock.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from .errors import MAX_BYTES, MAX_PAGES, MAX_PIXELS, MIN_DPI, RedactionError
from .text import PageText
from .values import Box

PDFIUM = threading.RLock()

# A page whose images cover this share of it is a scan, whatever text layer it may carry (a scanner's
# OCR layer, a typed header): it is read by OCR as well.
SCAN_COVERAGE = 0.5
_MAX_OBJECTS = 20_000
# A dense page of small print holds some 5,000 characters; far more is a file built to keep us busy.
MAX_CHARS = 100_000
# PDFium maps page points to whole device pixels: map to a device this many times larger for precision.
_PRECISION = 100


@dataclass(frozen=True)
class PdfPageText:
    text: PageText
    width: float
    height: float
    scanned: bool


@contextmanager
def opened(data: bytes) -> Iterator[pdfium.PdfDocument]:
    if len(data) > MAX_BYTES:
        raise RedactionError("redaction_too_large", details={"bytes": len(data)})
    if b"%PDF-" not in data[:1024]:
        raise RedactionError("redaction_unreadable")
    with PDFIUM:
        # Loaded by hand rather than through PdfDocument(data): pypdfium2 reads PDFium's last error for a
        # document without pages too, and that error is whatever an earlier call on this thread left.
        raw = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
        if not raw:
            raise _open_error(pdfium_c.FPDF_GetLastError())
        document = pdfium.PdfDocument(raw)
        try:
            # Forms are drawn as a reader shows them: a filled field is part of the released page. PDFium
            # wants the form environment before the first page is counted or loaded.
            document.init_forms()
            pages = len(document)
        except Exception:
            document.close()
            raise
    try:
        if pages == 0:
            raise RedactionError("redaction_empty")
        if pages > MAX_PAGES:
            raise RedactionError("redaction_too_large", details={"pages": pages, "max_pages": MAX_PAGES})
        yield document
    finally:
        with PDFIUM:
            document.close()


def _open_error(code: int) -> RedactionError:
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return RedactionError("redaction_encrypted")
    return RedactionError("redaction_unreadable")


def page_count(document: pdfium.PdfDocument) -> int:
    with PDFIUM:
        return len(document)


def page_size(document: pdfium.PdfDocument, index: int) -> tuple[float, float]:
    with PDFIUM:
        page = _load(document, index)
        try:
            return _size(page)
        finally:
            page.close()


def read_page(document: pdfium.PdfDocument, index: int) -> PdfPageText:
    """The page's text layer, boxes in points from the displayed page's top-left corner."""
    with PDFIUM:
        page = _load(document, index)
        try:
            width, height = _size(page)
            to_page = _page_transform(page, width, height)
            text = PageText(page=index)
            textpage = page.get_textpage()
            try:
                _read_chars(textpage, text, to_page)
            finally:
                textpage.close()
            scanned = not text.has_text() or _image_coverage(page, width * height) >= SCAN_COVERAGE
            return PdfPageText(text=text, width=width, height=height, scanned=scanned)
        finally:
            page.close()


def render(document: pdfium.PdfDocument, index: int, dpi: float) -> tuple[Image.Image, float]:
    """The page as an RGB raster and the scale used (pixels per point), lowered for very large pages."""
    with PDFIUM:
        page = _load(document, index)
        try:
            width, height = _size(page)
            scale = fitting_scale(width, height, dpi)
            bitmap = page.render(scale=scale, may_draw_forms=True, draw_annots=True)
            try:
                # PDFium's BGR read as RGB makes PIL copy the pixels: the image outlives PDFium's buffer.
                image = bitmap.to_pil()
            finally:
                bitmap.close()
        finally:
            page.close()
    return (image if image.mode == "RGB" else image.convert("RGB")), scale


def _load(document: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    page = document[index]
    if pdfium_c.FPDFPage_GetAnnotCount(page) > 0:
        # Notes, stamps and filled fields show on the page a reader draws: flattened into its content (in
        # this copy in memory), their text is examined and drawn like the rest. PDFium asks for the page
        # to be loaded again after flattening.
        pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY)
        page.close()
        page = document[index]
    return page


def fitting_scale(width: float, height: float, dpi: float) -> float:
    scale = dpi / 72
    if width * height * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / (width * height)) ** 0.5
        if scale * 72 < MIN_DPI:
            raise RedactionError("redaction_too_large", details={"page_points": [round(width), round(height)]})
    return scale


def _size(page: pdfium.PdfPage) -> tuple[float, float]:
    width, height = page.get_size()
    if not (width > 0 and height > 0):
        raise RedactionError("redaction_unreadable")
    return float(width), float(height)


def _page_transform(
    page: pdfium.PdfPage, width: float, height: float
) -> tuple[float, float, float, float, float, float]:
    """(a, b, c, d, e, f) with x' = a·x + c·y + e, y' = b·x + d·y + f: PDF user space to displayed points."""
    size_x, size_y = round(width * _PRECISION), round(height * _PRECISION)

    def device(x: float, y: float) -> tuple[float, float]:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(page, 0, 0, size_x, size_y, 0, x, y, ctypes.byref(dx), ctypes.byref(dy))
        return dx.value / _PRECISION, dy.value / _PRECISION

    ox, oy = device(0, 0)
    xx, xy = device(1000, 0)
    yx, yy = device(0, 1000)
    return ((xx - ox) / 1000, (xy - oy) / 1000, (yx - ox) / 1000, (yy - oy) / 1000, ox, oy)


def _read_chars(
    textpage: pdfium.PdfTextPage, text: PageText, to_page: tuple[float, float, float, float, float, float]
) -> None:
    a, b, c, d, e, f = to_page
    rect = pdfium_c.FS_RECTF()
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count > MAX_CHARS:
        raise RedactionError("redaction_too_large", details={"page": text.page, "chars": count})
    for i in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        char = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        if char in "\r\n":
            text.break_line()
            continue
        if pdfium_c.FPDFText_IsGenerated(textpage, i) or char.isspace():
            text.add(" ", None)
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(rect)):
            text.add(char, None)
            continue
        xs, ys = [], []
        for x, y in (
            (rect.left, rect.bottom),
            (rect.right, rect.top),
            (rect.left, rect.top),
            (rect.right, rect.bottom),
        ):
            xs.append(a * x + c * y + e)
            ys.append(b * x + d * y + f)
        text.add(char, Box(min(xs), min(ys), max(xs), max(ys)))


def _image_coverage(page: pdfium.PdfPage, area: float) -> float:
    covered = 0.0
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for i in range(min(pdfium_c.FPDFPage_CountObjects(page), _MAX_OBJECTS)):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        if not obj or pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        if pdfium_c.FPDFPageObj_GetBounds(
            obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
        ):
            covered += max(0.0, right.value - left.value) * max(0.0, top.value - bottom.value)
    return covered / area
