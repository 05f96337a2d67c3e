"""Uploaded materials named by requirement; the checks themselves are core.uploads."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from yiwang.core.errors import raise_problems
from yiwang.core.uploads import ACCEPTED, CheckedFile, upload_checked, upload_problem

__all__ = ["ACCEPTED", "CheckedFile", "material_uploads", "upload_checked", "upload_problem"]


def material_uploads(files: MultiValueDict[str, UploadedFile[bytes]]) -> dict[int, UploadedFile[bytes]]:
    """Uploaded files named material_<requirement id> (as the pages and the API send them)."""
    uploads: dict[int, UploadedFile[bytes]] = {}
    problems = []
    for key in files:
        upload = files[key]
        if key.startswith("material_") and key[9:].isdigit() and isinstance(upload, UploadedFile):
            uploads[int(key[9:])] = upload
        else:
            problems.append((key, _("Name each file material_<requirement id>.")))
    raise_problems(problems)
    return uploads
