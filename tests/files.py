"""Real files for tests that upload: a one-page PDF, a PNG, a JPEG and an OFD package, each of which the
upload checks (core.uploads) parse as its kind, made here rather than kept as binaries in the repository."""

from __future__ import annotations

import io
import zipfile
from functools import cache


@cache
def pdf_bytes(text: str = "scan", *, padding: int = 0) -> bytes:
    """A one-page PDF (reportlab) with ``text`` on it; ``padding`` bytes of a comment make it larger."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    if padding:
        canvas.setTitle("x" * padding)  # kept in the document's metadata
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@cache
def image_bytes(kind: str = "PNG", size: tuple[int, int] = (32, 32)) -> bytes:
    """A small image (Pillow), PNG or JPEG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


@cache
def ofd_bytes() -> bytes:
    """An OFD package's outline: a zip with OFD.xml at its root."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "OFD.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'
        )
    return buffer.getvalue()
