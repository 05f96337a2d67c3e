"""Unified social credit codes (GB 32100-2015), including the letter-first ones stdnum rejects."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc

from yiwang.core.identifiers import credit_code_problem, credit_code_with_check, is_valid_credit_code


@pytest.mark.parametrize("code", ["91110108551385082Q", "91350100M000100Y43"])
def test_published_codes_are_valid(code: str) -> None:
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(
    "first17",
    [
        "A1320500MA1Q1J8G0",  # A: registration authority other than the numbered ones
        "G1440300MA5D00000",
        "N2440106MA9W1QK0X",  # N: agriculture authorities (农民专业合作社 etc.)
        "Y1110105MA01ABCDE",  # Y: other authorities
    ],
)
def test_letter_first_codes_are_accepted_although_stdnum_rejects_them(first17: str) -> None:
    code = credit_code_with_check(first17)
    assert not uscc.is_valid(code)  # the library's gap this wrapper exists for
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91110108551385082", "length"),
        ("H1110108551385082Q", "authority"),
        ("0111010855138508Q2", "authority"),
        ("9111010855138508IQ", "format"),  # I is not in the GB 32100 alphabet
        ("91AB0108551385082Q", "format"),  # positions 3-8 are a division code: digits
        ("91110108551385082R", "checksum"),
    ],
)
def test_invalid_codes_say_why(code: str, reason: str) -> None:
    assert credit_code_problem(code) == reason


def test_lowercase_and_spaces_are_normalised() -> None:
    assert is_valid_credit_code(" 91110108551385082q ")
