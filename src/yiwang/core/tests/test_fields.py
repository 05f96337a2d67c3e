"""The shared field checks every service runs (core.fields): control characters, bidirectional
overrides, lengths counted as stored."""

from __future__ import annotations

import pytest

from yiwang.core.fields import text_problems


@pytest.mark.parametrize(
    "value",
    [
        "张三\x00",
        "张三\x1b[31m",
        "abc\u202eexe.pdf",  # RIGHT-TO-LEFT OVERRIDE: displays as "abcfdp.exe"
        "\u2066李四\u2069",  # isolates
        "王五\u202a",
        "\ud800",
    ],
)
def test_control_and_bidi_override_characters_are_refused(value: str) -> None:
    assert text_problems(value, "name", max_length=100)
    assert text_problems(value, "note", max_length=100, multiline=True)


@pytest.mark.parametrize("value", ["张三", "Zhang San", "مرحبا 你好", "a\u200fb", "第一行\n第二行\t完"])
def test_ordinary_text_passes(value: str) -> None:
    assert not text_problems(value, "note", max_length=100, multiline=True)


def test_line_breaks_only_where_the_field_has_lines() -> None:
    assert text_problems("第一行\n第二行", "name", max_length=100)


def test_length_is_counted_as_stored() -> None:
    assert not text_problems("  " + "字" * 10 + "  ", "name", max_length=10)
    assert text_problems("字" * 11, "name", max_length=10)
