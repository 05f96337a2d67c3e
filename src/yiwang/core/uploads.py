"""Uploaded files of any context (case materials, ticket attachments): name, size and type checked before
anything is stored — the extension must be accepted, the file must begin as that kind does, and it must
parse as that kind with a well-kept library (pypdf for a PDF's structure and pages, Pillow decoding the
whole image, the zip directory and OFD.xml of an OFD) — and the SM3 digest recorded. A file that merely
starts with ``%PDF`` and goes on as something else is refused."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from yiwang.core.crypto import sm3_hex
from yiwang.core.fields import has_control_characters

logger = logging.getLogger(__name__)
NAME_MAX = 200
IMAGE_PIXELS_MAX = 40_000_000  # a 40-megapixel photo or scan is the largest a phone or a scanner makes

# Extension -> (content type, how the file must begin). OFD (the national layout format) is a zip.
ACCEPTED = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".ofd": ("application/ofd", (b"PK\x03\x04",)),
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    size: int
    content_type: str
    digest: str


def _pdf_parses(stream: IO[bytes]) -> bool:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    return not reader.is_encrypted and len(reader.pages) > 0


def _image_parses(stream: IO[bytes]) -> bool:
    from PIL import Image

    with Image.open(stream) as image:
        # A small file may declare a huge picture (a decompression bomb: 12000×12000 in 400 KB decodes to
        # half a gigabyte; Pillow only warns below twice its own limit): refused before any pixel is read.
        width, height = image.size
        if width * height > IMAGE_PIXELS_MAX:
            return False
        image.load()  # decodes every pixel: a truncated or forged image fails
    return True


def _ofd_parses(stream: IO[bytes]) -> bool:
    with zipfile.ZipFile(stream) as archive:
        return "OFD.xml" in archive.namelist() and archive.testzip() is None


PARSERS: dict[str, Callable[[IO[bytes]], bool]] = {
    ".pdf": _pdf_parses,
    ".jpg": _image_parses,
    ".jpeg": _image_parses,
    ".png": _image_parses,
    ".ofd": _ofd_parses,
}


def _parses(suffix: str, upload: UploadedFile[bytes]) -> bool:
    """Whether the library of its kind reads the whole file. Hostile input may make a parser raise
    anything: every exception is the answer "no", logged by its class (never the content)."""
    upload.seek(0)
    try:
        return PARSERS[suffix](upload)
    except Exception as exc:  # a refusal, reported to the user as one
        logger.info("upload refused: %s does not parse (%s)", suffix, type(exc).__name__)
        return False
    finally:
        upload.seek(0)


def upload_problem(upload: UploadedFile[bytes]) -> str | None:
    """Why ``upload`` cannot be a material (in Chinese), or None."""
    name = upload.name or ""
    if len(name) > NAME_MAX or has_control_characters(name):
        return _("The file name must be at most %(n)d characters, without control characters.") % {"n": NAME_MAX}
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED:
        return _("%(name)s: only PDF, JPG, PNG or OFD files are accepted.") % {"name": name}
    limit = settings.YIWANG_UPLOAD_MAX_MB * 1024 * 1024
    if not upload.size:
        return _("%(name)s is empty.") % {"name": name}
    if upload.size > limit:
        return _("%(name)s is larger than %(n)d MB.") % {"name": name, "n": settings.YIWANG_UPLOAD_MAX_MB}
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ACCEPTED[suffix][1]) or not _parses(suffix, upload):
        return _("%(name)s is not really a %(kind)s file.") % {"name": name, "kind": suffix[1:].upper()}
    return None


def upload_checked(upload: UploadedFile[bytes]) -> CheckedFile:
    """Digest and metadata of an upload that passed ``upload_problem``."""
    upload.seek(0)
    digest = sm3_hex(b"".join(upload.chunks()))
    upload.seek(0)
    suffix = PurePath(upload.name or "").suffix.lower()
    return CheckedFile(
        name=PurePath(upload.name or "file").name,
        size=upload.size or 0,
        content_type=ACCEPTED[suffix][0],
        digest=digest,
    )
