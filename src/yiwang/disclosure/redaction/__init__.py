"""Redaction of documents released under 《政府信息公开条例》: personal data found, confirmed by a person,
and removed from the released copy for good.

    hits = detect(data, content_type="application/pdf")      # proposals, one per value found
    released = apply(data, content_type=..., areas=[hit.area() for hit in confirmed] + drawn)

Pure Python over pypdfium2 (PDFium), Pillow, jieba and RapidOCR: no models, no database. Coordinates
are page units (``values``): PDF points from the displayed page's top-left corner, or image pixels.
"""

from .engine import CONTENT_TYPES, RELEASE_DPI, apply, detect, page_sizes, preview
from .errors import MAX_BYTES, MAX_PAGES, MAX_PIXELS, MESSAGES, RedactionError
from .values import KINDS, Area, Box, Hit, Kind, mask_value

__all__ = [
    "CONTENT_TYPES",
    "KINDS",
    "MAX_BYTES",
    "MAX_PAGES",
    "MAX_PIXELS",
    "MESSAGES",
    "RELEASE_DPI",
    "Area",
    "Box",
    "Hit",
    "Kind",
    "RedactionError",
    "apply",
    "detect",
    "mask_value",
    "page_sizes",
    "preview",
]
