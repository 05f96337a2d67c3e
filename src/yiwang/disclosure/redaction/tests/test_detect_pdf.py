"""Detection in PDFs with a text layer: every kind found where it is printed, values broken over two
lines found whole with a box on each line, look-alikes left alone, boxes in the displayed page's points."""

from __future__ import annotations

import pytest

from yiwang.disclosure.redaction import Hit, detect, page_sizes
from yiwang.disclosure.redaction.tests import documents as docs

PDF = "application/pdf"


@pytest.fixture(scope="module")
def letter() -> bytes:
    return docs.letter_pdf()


@pytest.fixture(scope="module")
def hits(letter: bytes) -> list[Hit]:
    return detect(letter, content_type=PDF)


def by_value(hits: list[Hit]) -> dict[str, Hit]:
    return {"".join(hit.value.split()): hit for hit in hits}


def test_each_kind_is_found_with_its_value(hits: list[Hit]) -> None:
    found = {(hit.kind, "".join(hit.value.split())) for hit in hits}
    assert found >= {
        ("name", docs.NAME),
        ("id_number", docs.VALID_ID),
        ("mobile", docs.MOBILE),
        ("address", docs.ADDRESS),
        ("id_number", docs.SPLIT_ID),
        ("mobile", docs.SPLIT_MOBILE),
    }
    assert all(hit.page == 0 for hit in hits)


def test_a_number_with_a_wrong_check_character_is_not_an_id_number(hits: list[Hit]) -> None:
    assert not [hit for hit in hits if docs.INVALID_ID in hit.value or hit.value in docs.INVALID_ID]


def test_the_reply_number_is_not_proposed(hits: list[Hit]) -> None:
    assert not [hit for hit in hits if hit.value in docs.KEPT or docs.KEPT in hit.value]


def test_a_value_on_one_line_has_one_box_where_it_is_printed(hits: list[Hit]) -> None:
    line = docs.letter_lines()[0]
    (box,) = by_value(hits)[docs.VALID_ID].boxes
    x0, top, x1, bottom = docs.text_position(line, f"申请人：{docs.NAME}，身份证号：", docs.VALID_ID)
    assert box.x0 == pytest.approx(x0, abs=1)
    assert box.x1 >= x1 - 1
    assert box.y0 <= top
    assert box.y1 >= bottom


def test_a_value_broken_over_two_lines_has_a_box_on_each(hits: list[Hit]) -> None:
    lines = docs.letter_lines()
    for value, first, second in ((docs.SPLIT_ID, lines[3], lines[4]), (docs.SPLIT_MOBILE, lines[4], lines[5])):
        upper, lower = by_value(hits)[value].boxes
        assert upper.y1 <= lower.y0 + 1
        assert upper.y0 < first.baseline < upper.y1 + 1
        assert lower.y0 < second.baseline < lower.y1 + 1
        # The second part starts the next line.
        assert lower.x0 == pytest.approx(docs.LEFT, abs=1)


def test_ids_are_stable_and_hints_masked(letter: bytes, hits: list[Hit]) -> None:
    again = detect(letter, content_type=PDF)
    assert [hit.id for hit in again] == [hit.id for hit in hits]
    assert len({hit.id for hit in hits}) == len(hits)
    hint = by_value(hits)[docs.VALID_ID].hint
    assert hint == "110105********002X"
    assert docs.NAME not in by_value(hits)[docs.NAME].hint


@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_boxes_are_points_of_the_page_as_displayed(rotate: int) -> None:
    data = docs.letter_pdf(rotate=rotate)
    ((width, height),) = page_sizes(data, content_type=PDF)
    assert (width, height) == pytest.approx((595.28, 841.89) if rotate == 0 else (841.89, 595.28), abs=0.1)
    hit = by_value(detect(data, content_type=PDF))[docs.VALID_ID]
    (box,) = hit.boxes
    # PDFium draws the digits even without a Chinese font: the box, scaled to the rendered page, holds ink.
    scale = 2.0
    page = docs.render_page(data, scale=scale)
    dark, _black = docs.ink(page, tuple(value * scale for value in box))
    assert dark > 0.05
    if rotate:
        # A turned page's line of text runs down (90°) or up (270°) the displayed page.
        assert box.height > box.width


def test_a_document_of_several_pages_reports_each_page() -> None:
    hits = detect(docs.letter_pdf(pages=3), content_type=PDF)
    assert sorted({hit.page for hit in hits}) == [0, 1, 2]
    ids_per_page = [sorted(hit.id for hit in hits if hit.page == page) for page in range(3)]
    assert len(set(map(tuple, ids_per_page))) == 3  # the page takes part in the id
