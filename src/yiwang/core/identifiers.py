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
