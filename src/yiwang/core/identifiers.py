"""Validation of Chinese identifiers, wrapping python-stdnum where it is right.

- Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters. Position 1 is the
  registration authority (1-9, A-G, N, Y), position 2 the organisation type, 3-8 the region code
  of the registering authority, 9-17 the organisation code, 18 a MOD 31 check character.
  python-stdnum's ``cn.uscc`` insists that the first two characters are digits, which rejects
  real codes issued by non-numeric authorities (e.g. Y for other authorities, N for
  agriculture-related registrations). We therefore check the structure here and use stdnum
  only for the check character.
- Administrative division codes (GB/T 2260, extended to 9 and 12 digits by the statistics
  bureau's urban-rural division codes).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum.cn import uscc as _stdnum_uscc

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_AUTHORITIES = set("123456789ABCDEFGNY")
_USCC_SHAPE = re.compile(rf"^[{_USCC_ALPHABET}]{{2}}\d{{6}}[{_USCC_ALPHABET}]{{10}}$")


def normalise_credit_code(value: str) -> str:
    return value.strip().upper().replace(" ", "").replace("-", "")


def credit_code_problem(value: str) -> str | None:
    """None if ``value`` is a valid unified social credit code, else a short reason key.

    Reasons: ``length``, ``authority``, ``format``, ``checksum``.
    """
    code = normalise_credit_code(value)
    if len(code) != 18:
        return "length"
    if code[0] not in _USCC_AUTHORITIES:
        return "authority"
    if not _USCC_SHAPE.match(code):
        return "format"
    if _stdnum_uscc.calc_check_digit(code[:17]) != code[17]:
        return "checksum"
    return None


def is_valid_credit_code(value: str) -> bool:
    return credit_code_problem(value) is None


def credit_code_with_check(first17: str) -> str:
    """Completes 17 characters with their check character (for generated demo codes)."""
    return first17 + _stdnum_uscc.calc_check_digit(first17)


REGION_CODE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")


# --- Resident identity card numbers (GB 11643-1999) -------------------------------------------
# 18 characters: 6-digit division code of the place of registration, 8-digit birth date, 3-digit
# sequence (odd for men), and a MOD 11-2 check character (0-9 or X). python-stdnum reports every
# problem as a bad checksum; people need to know whether they mistyped the date or a digit.

_RESIDENT_SHAPE = re.compile(r"^\d{17}[\dX]$")
# First two digits: provinces, autonomous regions and municipalities; 81-83 are the residence
# permits of Hong Kong, Macao and Taiwan residents, which share the format.
_PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


def normalise_resident_id(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def resident_id_problem(value: str, *, today: date | None = None) -> str | None:
    """None if valid, else ``length``, ``format``, ``birth_date``, ``region`` or ``checksum``."""

    number = normalise_resident_id(value)
    if len(number) != 18:
        return "length"
    if not _RESIDENT_SHAPE.match(number):
        return "format"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birth_date"
    if not date(1900, 1, 1) <= born <= (today or date.today()):
        return "birth_date"
    if number[:2] not in _PROVINCE_PREFIXES:
        return "region"
    if _ric_check(number[:17]) != number[17]:
        return "checksum"
    return None


def _ric_check(first17: str) -> str:
    from stdnum.cn import ric as _stdnum_ric

    # Unlike uscc.calc_check_digit, ric.calc_check_digit expects the check character included and
    # drops the last character itself: give it a placeholder.
    return str(_stdnum_ric.calc_check_digit(first17 + "0"))


def resident_id_with_check(first17: str) -> str:
    return first17 + _ric_check(first17)


_MOBILE_SHAPE = re.compile(r"^1[3-9][0-9]{9}$")


def normalise_phone(value: str) -> str:
    """Digits as ASCII (a full-width or other script's digit is the same digit: one number, one digest),
    without the spaces, dashes and dots people type, and without +86."""
    text = unicodedata.normalize("NFKC", value.strip())
    text = "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)
    digits = re.sub(r"[\s\-.·—－]", "", text)
    return digits[3:] if digits.startswith("+86") else digits


def is_mobile_phone(value: str) -> bool:
    return bool(_MOBILE_SHAPE.match(normalise_phone(value)))
