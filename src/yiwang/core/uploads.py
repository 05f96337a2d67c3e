"""Uploaded files of any context (case materials, ticket attachments): size and type checked before
anything is stored — the extension must be accepted and the file must begin as that kind does — and
the SM3 digest recorded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from yiwang.core.crypto import sm3_hex

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


def upload_problem(upload: UploadedFile[bytes]) -> str | None:
    """Why ``upload`` cannot be a material (in Chinese), or None."""
    name = upload.name or ""
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
    if not any(head.startswith(magic) for magic in ACCEPTED[suffix][1]):
        return _("%(name)s is not really a %(kind)s file.") % {"name": name, "kind": suffix[1:].upper()}
    return None


def upload_checked(upload: UploadedFile[bytes]) -> CheckedFile:
    """Digest and metadata of an upload that passed ``upload_problem``."""
    upload.seek(0)
    digest = sm3_hex(b"".join(upload.chunks()))
    upload.seek(0)
    suffix = PurePath(upload.name or "").suffix.lower()
    return CheckedFile(
        name=PurePath(upload.name or "file").name[:200],
        size=upload.size or 0,
        content_type=ACCEPTED[suffix][0],
        digest=digest,
    )
