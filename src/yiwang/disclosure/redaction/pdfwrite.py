"""A PDF made of page images and nothing else (ISO 32000-1 §7.5: header, objects, cross-reference table,
trailer).

Written here rather than by Pillow or reportlab: both add an information dictionary (producer, dates,
Pillow a title from the file name), and Pillow holds every page decoded until the end. This file has a
catalogue, a page tree, and per page one JPEG image drawn over the whole page: no fonts, no text, no
metadata, no annotations, no outline, no attachments, one revision.
"""

from __future__ import annotations

import io

from PIL import Image

JPEG_QUALITY = 85


class RasterPdf:
    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._offsets: dict[int, int] = {}
        self._pages: list[int] = []
        self._next = 3  # 1 is the catalogue, 2 the page tree: both written at the end
        # The binary comment tells transfer programs the file is not text (§7.5.2).
        self._out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def add_page(self, image: Image.Image, width: float, height: float) -> None:
        """``image`` drawn over a page of ``width`` × ``height`` points; the writer owns the image."""
        image.info.clear()  # no ICC profile, EXIF or comment of the source rides along into the JPEG
        encoded = io.BytesIO()
        (image if image.mode == "RGB" else image.convert("RGB")).save(encoded, "JPEG", quality=JPEG_QUALITY)
        jpeg = encoded.getvalue()
        image_id = self._object(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8"
            b" /Filter /DCTDecode /Length %d >>" % (image.width, image.height, len(jpeg)),
            jpeg,
        )
        content = b"q %s 0 0 %s 0 0 cm /Im0 Do Q" % (_number(width), _number(height))
        content_id = self._object(b"<< /Length %d >>" % len(content), content)
        page_id = self._object(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /XObject << /Im0 %d 0 R >> >>"
            b" /Contents %d 0 R >>" % (_number(width), _number(height), image_id, content_id)
        )
        self._pages.append(page_id)

    def finish(self) -> bytes:
        kids = b" ".join(b"%d 0 R" % page for page in self._pages)
        self._object(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._pages)), number=2)
        self._object(b"<< /Type /Catalog /Pages 2 0 R >>", number=1)
        size = self._next
        xref = self._out.tell()
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % self._offsets[number] for number in range(1, size)]
        self._out.write(b"".join(lines))
        self._out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
        return self._out.getvalue()

    def _object(self, dictionary: bytes, stream: bytes | None = None, *, number: int | None = None) -> int:
        if number is None:
            number = self._next
            self._next += 1
        self._offsets[number] = self._out.tell()
        self._out.write(b"%d 0 obj\n" % number + dictionary)
        if stream is not None:
            self._out.write(b"\nstream\n" + stream + b"\nendstream")
        self._out.write(b"\nendobj\n")
        return number


def _number(value: float) -> bytes:
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".")
