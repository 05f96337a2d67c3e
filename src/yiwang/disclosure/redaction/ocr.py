"""Text of scans by OCR: RapidOCR (PP-OCRv4 Chinese models run by ONNX Runtime), offline.

The models ship inside the ``rapidocr-onnxruntime`` wheel; nothing is downloaded at run time. RapidOCR
gives each line of text with its box and, asked for it, a box per character. Where the character boxes
do not match the recognised text one to one, the line's box is split evenly between its characters:
an approximation the padding in ``apply`` and the person confirming the hit make up for.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import numpy as np
from PIL import Image

from .errors import RedactionError
from .text import PageText
from .values import Box

# RapidOCR shrinks larger images to this long side before detection; shrinking here first saves the copy.
OCR_LONG_SIDE = 2000
_LOCK = threading.Lock()


@cache
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as error:  # pragma: no cover - the package is a pinned dependency
        raise RedactionError("redaction_ocr_unavailable") from error
    return RapidOCR()


def available() -> bool:
    try:
        _engine()
    except RedactionError:
        return False
    return True


def read(image: Image.Image, *, page: int, unit: float) -> PageText:
    """The image's text; ``unit`` is the pixels of ``image`` per page unit (1 for an image's own pixels)."""
    shrink = min(1.0, OCR_LONG_SIDE / max(image.size))
    if shrink < 1.0:
        image = image.resize((max(1, round(image.width * shrink)), max(1, round(image.height * shrink))))
    pixels = np.asarray(image.convert("RGB"))[:, :, ::-1]  # RapidOCR takes OpenCV's BGR order
    engine = _engine()
    with _LOCK:
        # The engine keeps per-call settings on itself: one call at a time. The upside-down classifier is
        # off: pages are upright once EXIF orientation and /Rotate are applied, and on upright pages it
        # turned whole lines over and lost them.
        result, _elapsed = engine(pixels, use_cls=False, return_word_box=True)
    per_unit = unit * shrink
    text = PageText(page=page)
    for line in result or []:
        _add_line(text, line, per_unit)
    return text


def _add_line(text: PageText, line: list[Any], per_unit: float) -> None:
    corners, value = line[0], str(line[1])
    if not value.strip():
        return
    line_box = _box(corners, per_unit)
    char_boxes: list[Box] = []
    if len(line) > 4 and isinstance(line[4], list) and len(line[4]) == len(value) and len(line[3]) == len(value):
        # One box per character, tight around the glyph: stretched to the line's height, since a glyph's
        # ink (an accent, a descender) may reach past what the recogniser marks.
        char_boxes = [_box(quad, per_unit)._replace(y0=line_box.y0, y1=line_box.y1) for quad in line[3]]
    else:
        step = line_box.width / len(value)
        char_boxes = [
            Box(line_box.x0 + i * step, line_box.y0, line_box.x0 + (i + 1) * step, line_box.y1)
            for i in range(len(value))
        ]
    for char, box in zip(value, char_boxes, strict=True):
        text.add(char, None if char.isspace() else box)
    text.break_line()


def _box(corners: Any, per_unit: float) -> Box:
    xs = [float(point[0]) / per_unit for point in corners]
    ys = [float(point[1]) / per_unit for point in corners]
    return Box(min(xs), min(ys), max(xs), max(ys))
