"""The values the engine hands out and takes back: boxes, hits found by detection, areas to remove.

Coordinates ("page units"): x to the right, y downwards, origin at the top-left corner of the page as it
is displayed. For a PDF the unit is the PDF point (1/72 inch) of the page after its crop box and /Rotate
are applied (the page a reader shows); for an image it is the pixel of the image after its EXIF
orientation is applied. A PDF page without a text layer is read by OCR, and its boxes are still points.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from yiwang.core.masking import mask_id_number, mask_name, mask_phone

from .errors import RedactionError

Kind = Literal["id_number", "mobile", "name", "address", "other"]
KINDS: tuple[Kind, ...] = ("id_number", "mobile", "name", "address", "other")


class Box(NamedTuple):
    """A rectangle in page units; a tuple, so it is stored as a JSON list ``[x0, y0, x1, y1]`` as it is."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def rounded(self, digits: int = 2) -> Box:
        return Box(*(round(value, digits) for value in self))


@dataclass(frozen=True)
class Hit:
    """Personal data found on a page, proposed for removal until a person confirms or rejects it.

    A value broken over two lines has one box per line. ``id`` is derived from what was found and where,
    so the same document examined twice proposes the same ids.
    """

    page: int
    kind: Kind
    value: str
    boxes: tuple[Box, ...]
    id: str = field(init=False)

    def __post_init__(self) -> None:
        where = ";".join(",".join(f"{v:.1f}" for v in box) for box in self.boxes)
        digest = hashlib.sha256(f"{self.page}|{self.kind}|{self.value}|{where}".encode()).hexdigest()
        object.__setattr__(self, "id", digest[:16])

    @property
    def hint(self) -> str:
        """The value masked, for the redaction log: the log must not keep what was removed."""
        return mask_value(self.kind, self.value)

    def area(self) -> Area:
        return Area(page=self.page, boxes=self.boxes)


@dataclass(frozen=True)
class Area:
    """An area a person decided to remove: a confirmed hit or one drawn by hand."""

    page: int
    boxes: tuple[Box, ...]

    @classmethod
    def of(cls, page: int, boxes: Iterable[Sequence[float]]) -> Area:
        """From JSON boxes (``[[x0, y0, x1, y1], …]``), stored or drawn on a page by a person."""
        try:
            parsed = tuple(Box(*(float(v) for v in box)) for box in boxes)
        except (TypeError, ValueError) as error:
            raise RedactionError("redaction_area_invalid", details={"page": page}) from error
        return cls(page=page, boxes=parsed)


def mask_value(kind: Kind, value: str) -> str:
    compact = "".join(value.split())
    if kind == "id_number":
        return mask_id_number(compact)
    if kind == "mobile":
        return mask_phone(compact.replace("-", ""))
    if kind == "name":
        return mask_name(compact)
    if kind == "address":
        # The place up to the district tells a reviewer what was removed; the rest identifies a home.
        keep = min(6, len(compact) // 2)
        return compact[:keep] + "*" * min(len(compact) - keep, 20)
    return "*" * min(len(compact), 8)
