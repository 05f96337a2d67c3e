"""OCDS validation in the tests: lib-cove-ocds against the OCDS 1.1.5 schema from the product side's
offline copy (``../shared/ocds``), never the network."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ZIP_NAME = "standard-1__1__5-schema-only.zip"


def schema_zip() -> Path:
    candidates = [
        os.environ.get("YIWANG_OCDS_SCHEMA_ZIP", ""),
        str(Path(settings.BASE_DIR).parent / "shared" / "ocds" / ZIP_NAME),
        f"/work/shared/ocds/{ZIP_NAME}",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    pytest.skip(f"the OCDS schema {ZIP_NAME} is not on this machine (set YIWANG_OCDS_SCHEMA_ZIP)")


STANDARD = "https://standard.open-contracting.org/schema/1__1__5/"


class _FromZip:
    """What ``requests.get`` answers while reviewing: the standard's files from the offline zip (the
    record package schema refers to the release schema by its URL); anything else is refused."""

    def __init__(self, archive: Path) -> None:
        self.archive = archive

    def __call__(self, url: str, *args: Any, **kwargs: Any) -> Any:
        if not url.startswith(STANDARD):
            raise ConnectionError(f"no network in the tests: {url}")
        with zipfile.ZipFile(self.archive) as archive:
            content = archive.read(f"standard-1__1__5/schema/{url.removeprefix(STANDARD)}")
        return _Answer(content)


class _Answer:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def raise_for_status(self) -> None:
        return None

    def json(self, **kwargs: Any) -> Any:
        return json.loads(self.content, **kwargs)


def ocds_review(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """lib-cove-ocds's review of a release or record package, offline."""
    import requests
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    archive = schema_zip()
    monkeypatch.setattr(requests, "get", _FromZip(archive))
    config = LibCoveOCDSConfig()
    config.config["context"] = "api"
    config.config["standard_zip"] = f"file://{archive}"
    config.config["schema_version"] = "1.1"
    review: dict[str, Any] = ocds_json_output("", json_data=data, lib_cove_ocds_config=config, schema_version="1.1")
    return review
