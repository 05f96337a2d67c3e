"""The released copy: rendered pages with the confirmed areas black, and nothing of the original's text,
fonts, metadata, annotations, attachments or revisions left in the file."""

from __future__ import annotations

import io
import json
import math
import re
import time

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject

from yiwang.disclosure.redaction import Area, Box, Hit, RedactionError, apply, detect, page_sizes
from yiwang.disclosure.redaction.tests import documents as docs

PDF = "application/pdf"
SCALE = 2.0
REDACTED = (docs.NAME, docs.VALID_ID, docs.MOBILE, docs.ADDRESS, docs.SPLIT_ID, docs.SPLIT_MOBILE)


@pytest.fixture(scope="module")
def letter() -> bytes:
    return docs.letter_pdf()


@pytest.fixture(scope="module")
def hits(letter: bytes) -> list[Hit]:
    return detect(letter, content_type=PDF)


@pytest.fixture(scope="module")
def released(letter: bytes, hits: list[Hit]) -> bytes:
    return apply(letter, content_type=PDF, areas=[hit.area() for hit in hits])


def test_no_redacted_value_can_be_extracted(released: bytes) -> None:
    for text in (docs.texts_pypdf(released), docs.texts_pdfium(released)):
        # No text layer at all, so nothing of the values either.
        assert text.strip() == ""
        for value in REDACTED:
            assert value not in text
            assert docs.digits_only(value) not in docs.digits_only(text) or not docs.digits_only(value)
    for value in REDACTED:
        for encoding in ("utf-8", "utf-16-be"):
            assert value.encode(encoding) not in released


def test_the_copy_is_pages_of_pixels_and_nothing_else(letter: bytes, released: bytes) -> None:
    reader = PdfReader(io.BytesIO(released))
    assert len(reader.pages) == len(PdfReader(io.BytesIO(letter)).pages)
    assert b"/Font" not in released
    for page in reader.pages:
        resources = page["/Resources"]
        assert set(resources.keys()) == {"/XObject"}
        assert "/Annots" not in page
    assert not reader.metadata
    assert "/Info" not in reader.trailer
    assert set(reader.trailer["/Root"].keys()) == {"/Type", "/Pages"}
    # One revision: a single cross-reference section and end-of-file marker.
    assert released.count(b"startxref") == 1
    assert released.count(b"%%EOF") == 1
    assert "/Prev" not in reader.trailer


def test_the_areas_are_black_and_the_rest_still_shows(letter: bytes, hits: list[Hit], released: bytes) -> None:
    page = docs.render_page(released, scale=SCALE)
    for hit in hits:
        for box in hit.boxes:
            _dark, black = docs.ink(page, tuple(v * SCALE for v in box))
            assert black > 0.95, hit
    kept_line = docs.letter_lines()[-1]
    kept = docs.text_position(kept_line, "答复编号 ", docs.KEPT)
    dark, black = docs.ink(page, tuple(v * SCALE for v in kept))
    assert dark > 0.05  # the reply number is still printed
    assert black < 0.5
    # The look-alike with a wrong check character was not proposed, so it still shows.
    invalid = docs.text_position(docs.letter_lines()[2], "核对中发现的号码 ", docs.INVALID_ID)
    dark, black = docs.ink(page, tuple(v * SCALE for v in invalid))
    assert dark > 0.05
    assert black < 0.5


def test_pages_keep_their_displayed_size(released: bytes, letter: bytes) -> None:
    ((width, height),) = page_sizes(released, content_type=PDF)
    assert (width, height) == pytest.approx(page_sizes(letter, content_type=PDF)[0], abs=0.01)
    turned = docs.letter_pdf(rotate=90)
    copy = apply(turned, content_type=PDF, areas=[])
    ((width, height),) = page_sizes(copy, content_type=PDF)
    assert width > height


def test_a_hand_drawn_area_is_removed_too(letter: bytes) -> None:
    kept = docs.text_position(docs.letter_lines()[-1], "答复编号 ", docs.KEPT)
    released = apply(letter, content_type=PDF, areas=[Area.of(0, [list(kept)])])
    _dark, black = docs.ink(docs.render_page(released, scale=SCALE), tuple(v * SCALE for v in kept))
    assert black > 0.95
    # Nothing else was asked for: the ID number still shows.
    line = docs.letter_lines()[0]
    shown = docs.text_position(line, f"申请人：{docs.NAME}，身份证号：", docs.VALID_ID)
    dark, black = docs.ink(docs.render_page(released, scale=SCALE), tuple(v * SCALE for v in shown))
    assert dark > 0.05
    assert black < 0.5


def test_metadata_annotations_attachments_and_revisions_of_the_original_are_gone() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(docs.letter_pdf(title="张三丰的申请")))
    writer.add_metadata({"/Subject": docs.MOBILE})
    writer.add_attachment("申请人.txt", f"{docs.NAME} {docs.VALID_ID}".encode())
    writer.add_annotation(0, FreeText(text=f"核实电话 {docs.SPLIT_MOBILE}", rect=(72, 400, 300, 440)))
    first = io.BytesIO()
    writer.write(first)
    # An incremental update on top: the earlier revision stays readable inside the original file.
    updated = PdfWriter(first, incremental=True)
    updated.add_metadata({"/Keywords": docs.SPLIT_ID})
    second = io.BytesIO()
    updated.write(second)
    original = second.getvalue()
    assert original.count(b"%%EOF") == 2

    before = PdfReader(io.BytesIO(original))
    assert before.metadata and before.metadata.title
    assert list(before.attachments) == ["申请人.txt"]
    assert "/Annots" in before.pages[0]

    released = apply(original, content_type=PDF, areas=[])
    reader = PdfReader(io.BytesIO(released))
    assert not reader.metadata
    assert not reader.attachments
    assert "/Annots" not in reader.pages[0]
    assert released.count(b"%%EOF") == 1
    for value in (docs.NAME, docs.MOBILE, docs.VALID_ID, docs.SPLIT_ID, docs.SPLIT_MOBILE, "申请人.txt"):
        for encoding in ("utf-8", "utf-16-be"):
            assert value.encode(encoding) not in released
    assert not re.search(rb"/(Metadata|EmbeddedFiles|Names|Outlines|AcroForm|JavaScript|OpenAction)\b", released)


@pytest.mark.parametrize(
    ("area", "details"),
    [
        (Area(page=1, boxes=(Box(10, 10, 20, 20),)), {"page": 1}),
        (Area(page=-1, boxes=(Box(10, 10, 20, 20),)), {"page": -1}),
        (Area(page=0, boxes=()), {"page": 0}),
        (Area(page=0, boxes=(Box(math.nan, 10, 20, 20),)), {"page": 0}),
        (Area(page=0, boxes=(Box(900, 10, 990, 20),)), {"page": 0, "box": [900, 10, 990, 20]}),
    ],
)
def test_an_area_off_the_document_is_refused(letter: bytes, area: Area, details: dict[str, object]) -> None:
    with pytest.raises(RedactionError) as refused:
        apply(letter, content_type=PDF, areas=[area])
    assert refused.value.code == "redaction_area_invalid"
    assert refused.value.details == details


def test_a_box_drawn_from_its_far_corner_or_past_the_edge_still_counts(letter: bytes) -> None:
    released = apply(letter, content_type=PDF, areas=[Area.of(0, [[300, 500, 100, 400], [500, 700, 700, 900]])])
    page = docs.render_page(released, scale=SCALE)
    assert docs.ink(page, (100 * SCALE, 400 * SCALE, 300 * SCALE, 500 * SCALE))[1] > 0.95
    assert docs.ink(page, (500 * SCALE, 700 * SCALE, 595 * SCALE, 841 * SCALE))[1] > 0.95


def test_ten_pages_are_released_in_a_few_seconds() -> None:
    data = docs.letter_pdf(pages=10)
    started = time.perf_counter()
    hits = detect(data, content_type=PDF)
    detected = time.perf_counter()
    released = apply(data, content_type=PDF, areas=[hit.area() for hit in hits])
    done = time.perf_counter()
    assert len(PdfReader(io.BytesIO(released)).pages) == 10
    # Generous for a shared two-core machine; typically well under a second each.
    assert detected - started < 10
    assert done - detected < 10


def test_text_a_note_shows_on_the_page_is_found_and_removed() -> None:
    """A note's or a stamp's appearance is part of the page a reader sees: it is examined and removed too."""
    mobile = "13700001111"
    appearance = StreamObject()
    appearance.set_data(f"BT /Helv 12 Tf 4 8 Td ({mobile}) Tj ET".encode())
    appearance.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(150), NumberObject(30)]),
            NameObject("/Resources"): DictionaryObject(
                {
                    NameObject("/Font"): DictionaryObject(
                        {
                            NameObject("/Helv"): DictionaryObject(
                                {
                                    NameObject("/Type"): NameObject("/Font"),
                                    NameObject("/Subtype"): NameObject("/Type1"),
                                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                                }
                            )
                        }
                    )
                }
            ),
        }
    )
    writer = PdfWriter(clone_from=io.BytesIO(docs.letter_pdf()))
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Stamp"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(72), NumberObject(400), NumberObject(222), NumberObject(430)]
            ),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    buffer = io.BytesIO()
    writer.write(buffer)
    original = buffer.getvalue()

    hits = detect(original, content_type=PDF)
    (stamped,) = [hit for hit in hits if hit.value == mobile]
    assert stamped.kind == "mobile"
    (box,) = stamped.boxes
    assert box.y0 == pytest.approx(841.89 - 430, abs=15)
    released = apply(original, content_type=PDF, areas=[hit.area() for hit in hits])
    assert mobile not in docs.texts_pdfium(released)
    _dark, black = docs.ink(docs.render_page(released, scale=SCALE), tuple(v * SCALE for v in box))
    assert black > 0.95


@pytest.mark.parametrize("boxes", [[[1, 2, 3]], [["a", 2, 3, 4]], [None]])
def test_boxes_that_are_not_four_numbers_are_refused(boxes: list[object]) -> None:
    with pytest.raises(RedactionError) as refused:
        Area.of(0, boxes)  # type: ignore[arg-type]
    assert refused.value.code == "redaction_area_invalid"


def test_stored_boxes_come_back_as_they_were(hits: list[Hit]) -> None:
    stored = json.loads(json.dumps([list(box) for box in hits[0].boxes]))
    assert Area.of(hits[0].page, stored) == hits[0].area()
