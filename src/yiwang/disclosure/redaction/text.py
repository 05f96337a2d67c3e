"""A page's text with a box per character, and the finders run over it.

Text comes from a PDF's text layer or from OCR; either way it is a sequence of characters in reading
order, each with its box and its line. The finders see two readings of it: line by line, and with the
line breaks taken out, so that an ID number or a mobile number broken over two lines is found whole.
A span found in a reading maps back to the characters it covers, and those to one box per line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from . import names, patterns
from .patterns import Span
from .values import Box, Hit, Kind

Finder = Callable[[str], list[Span]]
FINDERS: tuple[Finder, ...] = (patterns.id_numbers, patterns.mobiles, patterns.addresses, names.names)
# When two hits claim the same characters, the more certain kind keeps them: a checked ID number over a
# mobile-shaped run inside it, an address over a "name" jieba saw in a street name.
_PRIORITY: dict[Kind, int] = {"id_number": 0, "mobile": 1, "address": 2, "name": 3, "other": 4}


@dataclass
class PageText:
    page: int
    chars: list[str] = field(default_factory=list)
    boxes: list[Box | None] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    _line: int = 0

    def add(self, char: str, box: Box | None) -> None:
        normal = unicodedata.normalize("NFKC", char)
        # Full-width digits and letters (１３８) read as ASCII; a character that NFKC expands (㎡) stays.
        self.chars.append(normal if len(normal) == 1 else char)
        self.boxes.append(box)
        self.lines.append(self._line)

    def break_line(self) -> None:
        if self.chars and self.chars[-1] != "\n":
            self.chars.append("\n")
            self.boxes.append(None)
            self.lines.append(self._line)
        self._line += 1

    def has_text(self) -> bool:
        return any(not char.isspace() for char in self.chars)


@dataclass(frozen=True)
class Reading:
    text: str
    index: list[int]  # position in ``text`` -> position in ``PageText.chars``


def readings(page: PageText) -> tuple[Reading, Reading]:
    """The page line by line, and joined across line breaks (with the spaces at line ends dropped)."""
    by_line = Reading("".join(page.chars), list(range(len(page.chars))))
    kept: list[int] = []
    for position, char in enumerate(page.chars):
        if char == "\n":
            while kept and page.chars[kept[-1]].isspace():
                kept.pop()
            continue
        if char.isspace() and (not kept or page.chars[position - 1] == "\n"):
            continue
        kept.append(position)
    joined = Reading("".join(page.chars[position] for position in kept), kept)
    return by_line, joined


def find(page: PageText, finders: tuple[Finder, ...] = FINDERS) -> list[Hit]:
    claims: dict[tuple[Kind, tuple[int, ...]], str] = {}
    for reading in readings(page):
        for finder in finders:
            for span in finder(reading.text):
                positions = tuple(
                    reading.index[i] for i in range(span.start, span.end) if page.boxes[reading.index[i]] is not None
                )
                if positions:
                    value = "".join(
                        page.chars[i] for i in reading.index[span.start : span.end] if page.chars[i] != "\n"
                    )
                    claims.setdefault((span.kind, positions), value.strip())
    taken: set[int] = set()
    hits = []
    # Surer kinds first, longer spans first within a kind: the first claim on a character keeps it.
    for (kind, positions), value in sorted(claims.items(), key=lambda item: (_PRIORITY[item[0][0]], -len(item[0][1]))):
        if taken.intersection(positions):
            continue
        taken.update(positions)
        hits.append(Hit(page=page.page, kind=kind, value=value, boxes=_line_boxes(page, positions)))
    return sorted(hits, key=lambda hit: (hit.boxes[0].y0, hit.boxes[0].x0))


def _line_boxes(page: PageText, positions: tuple[int, ...]) -> tuple[Box, ...]:
    by_line: dict[int, Box] = {}
    for position in positions:
        box = page.boxes[position]
        if box is None:
            continue
        line = page.lines[position]
        by_line[line] = by_line[line].union(box) if line in by_line else box
    return tuple(by_line[line] for line in sorted(by_line))
