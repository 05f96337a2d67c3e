"""Masking of personal data (个人信息保护法): ID numbers, phones and credit codes.

Used for display (masked by default) and by the logging filter so that personal data never
reaches a log file.
"""

from __future__ import annotations

import re

# 18-character resident ID (GB 11643), 15-digit legacy ID, mainland mobile numbers.
_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_LEGACY_ID = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{6})(\d{3})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_id_number(value: str) -> str:
    """110105199001011234 -> 110105********1234 (birth date hidden)."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: a person's name shown to someone who is not that person."""
    value = value.strip()
    return value[:1] + "*" * (len(value) - 1) if len(value) > 1 else "*" * len(value)


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number found in free text."""
    text = _RESIDENT_ID.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    text = _LEGACY_ID.sub(lambda m: m.group(1) + "*" * 6 + m.group(3), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
