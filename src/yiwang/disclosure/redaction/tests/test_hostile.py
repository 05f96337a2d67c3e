"""Files that are not what they claim, locked, empty or built to exhaust memory: each refused with its code
and a Chinese message before anything large is decoded."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from pypdf import PdfReader, PdfWriter

from yiwang.disclosure.redaction import MAX_PAGES, RedactionError, apply, detect, page_sizes
from yiwang.disclosure.redaction.tests import documents as docs

PDF = "application/pdf"


def refused(data: bytes, content_type: str, *, code: str, on: str = "both") -> RedactionError:
    errors = []
    calls = {"detect": lambda: detect(data, content_type=content_type)}
    calls["apply"] = lambda: apply(data, content_type=content_type, areas=[])
    for name, call in calls.items():
        if on not in ("both", name):
            continue
        with pytest.raises(RedactionError) as raised:
            call()
        assert raised.value.code == code
        assert re.search(r"[\u4e00-\u9fff]", str(raised.value.message))
        errors.append(raised.value)
    return errors[0]


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds almost no pixels: what a decompression bomb looks like to a
    reader of headers."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_something_that_is_not_a_pdf() -> None:
    refused(b"PK\x03\x04 a zip archive, not a PDF", PDF, code="redaction_unreadable")
    refused(
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer <<>>\n%%EOF",
        PDF,
        code="redaction_unreadable",
    )
    refused(docs.letter_pdf()[:200], PDF, code="redaction_unreadable")


def test_a_pdf_locked_with_a_password() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(docs.letter_pdf()))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    error = refused(written(writer), PDF, code="redaction_encrypted")
    assert error.status == 422


def test_a_pdf_restricted_only_by_an_owner_password_opens_and_comes_out_unencrypted() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(docs.letter_pdf()))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    locked = written(writer)
    hits = detect(locked, content_type=PDF)
    assert docs.VALID_ID in {hit.value for hit in hits}
    released = apply(locked, content_type=PDF, areas=[hit.area() for hit in hits])
    assert not PdfReader(io.BytesIO(released)).is_encrypted


def test_a_pdf_without_pages() -> None:
    refused(written(PdfWriter()), PDF, code="redaction_empty")


def test_too_many_pages() -> None:
    writer = PdfWriter()
    for _ in range(MAX_PAGES + 1):
        writer.add_blank_page(width=100, height=100)
    error = refused(written(writer), PDF, code="redaction_too_large")
    assert error.status == 413
    assert error.details["pages"] == MAX_PAGES + 1


def test_a_page_too_large_to_render_legibly() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=14400, height=14400)  # 200 by 200 inches, the largest a PDF page may be
    data = written(writer)
    assert page_sizes(data, content_type=PDF) == [(14400, 14400)]
    refused(data, PDF, code="redaction_too_large", on="apply")


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (9_000, 9_000)])
def test_an_image_declaring_more_pixels_than_allowed(width: int, height: int) -> None:
    error = refused(png_header(width, height), "image/png", code="redaction_too_large")
    assert error.status == 413


def test_an_image_that_is_not_what_its_type_says() -> None:
    png, _boxes = docs.scan_png(["123"], size=(200, 100))
    refused(png, "image/jpeg", code="redaction_unreadable")
    refused(png[: len(png) // 2], "image/png", code="redaction_unreadable")
    refused(b"GIF89a", "image/png", code="redaction_unreadable")


def test_a_type_the_engine_does_not_handle() -> None:
    refused(b"GIF89a...", "image/gif", code="redaction_unsupported_type")
    refused(docs.letter_pdf(), "application/octet-stream", code="redaction_unsupported_type")
