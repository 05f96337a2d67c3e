"""Uploads are parsed as what they claim to be, not judged by their first bytes (issue 17, defect 6), and
a file name is refused, not cut, when no record could hold it (defect 5)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.files import image_bytes, ofd_bytes, pdf_bytes
from yiwang.core.uploads import upload_checked, upload_problem

ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 4096


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes())).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", pdf_bytes()),
        ("photo.png", image_bytes("PNG")),
        ("photo.jpg", image_bytes("JPEG")),
        ("licence.ofd", ofd_bytes()),
    ],
)
def test_real_files_of_each_kind_pass(name: str, content: bytes) -> None:
    upload = SimpleUploadedFile(name, content)
    assert upload_problem(upload) is None
    assert upload_checked(upload).size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", b"%PDF-1.4\n" + ELF),  # the header of a PDF, then an executable
        ("scan.pdf", pdf_bytes()[: len(pdf_bytes()) // 3]),  # cut short
        ("scan.pdf", _encrypted_pdf()),  # nobody could read it at the window
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 512),  # a PNG signature and nothing decodable
        ("photo.jpg", image_bytes("JPEG")[:40]),  # truncated
        ("photo.jpg", b"\xff\xd8\xff" + ELF),
        ("licence.ofd", b"PK\x03\x04" + ELF),  # a zip's first bytes, no zip
    ],
)
def test_a_file_that_does_not_parse_as_its_kind_is_refused(name: str, content: bytes) -> None:
    problem = upload_problem(SimpleUploadedFile(name, content))
    assert problem is not None and "不是真正的" in problem


def test_an_ofd_without_its_main_document_is_refused() -> None:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not an OFD")
    assert upload_problem(SimpleUploadedFile("licence.ofd", buffer.getvalue())) is not None


@pytest.mark.parametrize("name", ["材" * 997 + ".pdf", "scan\x00.pdf", "scan\n.pdf"])
def test_a_file_name_no_record_could_hold_is_refused_not_cut(name: str) -> None:
    problem = upload_problem(SimpleUploadedFile(name, pdf_bytes()))
    assert problem is not None and "文件名" in problem


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    """A 400 KB PNG declaring 8000×6000 pixels (48 Mpx) would decode to ~140 MB: refused from its header."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from yiwang.core.uploads import upload_problem

    buffer = io.BytesIO()
    Image.new("L", (8000, 6000)).save(buffer, format="PNG")
    bomb = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    assert upload_problem(bomb)
