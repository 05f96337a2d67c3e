"""Open311's two formats (GeoReport v2, "Format Support"): XML, the required one and the default, and
JSON, its programmatic mapping (the Spark convention) — a list in JSON is an element in XML whose
children are named for one item (``<services><service>…``), ``null`` is an empty element, booleans are
``true``/``false``. UTF-8 everywhere, with the XML declaration saying so.

Errors have the spec's shape (GeoReport v2, "Errors"): ``[{"code", "description"}]`` in JSON,
``<errors><error><code/><description/></error></errors>`` in XML."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse

FORMATS = ("xml", "json")
DEFAULT_FORMAT = "xml"
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
MIME_TYPES = {"xml": "text/xml", "json": "application/json"}

# The element of one item of each list the spec defines.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# What XML 1.0 cannot carry at all, escaped or not: control characters other than tab and line breaks,
# and halves of surrogate pairs. Stored text has none (services refuse them); anything else is shown as
# U+FFFD rather than making the whole document unreadable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def format_of(extension: str) -> str | None:
    """The format an extension asks for (``.XML`` as ``.xml``), ``None`` for one Open311 does not speak."""
    extension = extension.lower()
    return extension if extension in FORMATS else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int | Decimal):
        return str(value)
    return _NOT_XML.sub("\ufffd", str(value))


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list | tuple):
        for item in value:
            _fill(ElementTree.SubElement(element, ITEMS[element.tag]), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    """``data`` (a list for a root of ``ITEMS``, else a mapping) as an XML document in UTF-8.
    ElementTree escapes ``&``, ``<``, ``>`` in text; element names are ours, never the caller's."""
    element = ElementTree.Element(root)
    _fill(element, data)
    body = ElementTree.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


def respond(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    """``data`` in the format asked for, with the spec's content type."""
    body = to_json(data) if fmt == "json" else to_xml(root, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: str | None, status: int, descriptions: list[str]) -> HttpResponse:
    """Open311's error list; the code of each error is the HTTP status (GeoReport v2, "Errors");
    XML when the format asked for is unknown."""
    errors = [{"code": status, "description": description} for description in descriptions]
    return respond(fmt or DEFAULT_FORMAT, "errors", errors, status=status)
