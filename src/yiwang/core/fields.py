"""Field rules every entry point shares: what a text, a choice or a phone number may be.

Services call these on every value they store, so a page, the API, an admin screen, an Excel import
or a channel gets the same refusal for the same value — never a silent cut to the column's length,
never a control character kept in a record (PostgreSQL refuses NUL outright, SQLite would store it).
Each returns a list of (field, message) problems for ``core.errors.raise_problems``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext as _

Problem = tuple[str, str]

# Line breaks and tabs are text in a description; every other control character is not.
_MULTILINE_ALLOWED = {"\n", "\r", "\t"}
# A contact number: digits with the separators people write (+86, 010-, extension), 5 to 20 of them.
_PHONE = re.compile(r"^\+?[0-9][0-9 \-()]{3,18}[0-9]$")


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    allowed = _MULTILINE_ALLOWED if multiline else set()
    return any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in value)


def text_problems(
    value: str, field: str, *, max_length: int, required: bool = False, multiline: bool = False
) -> list[Problem]:
    """A free text: no control characters (line breaks only where ``multiline``), at most ``max_length``
    characters, present when ``required``. Length is counted after trimming, as the value is stored."""
    text = value.strip()
    if required and not text:
        return [(field, _("This field is required."))]
    if has_control_characters(text, multiline=multiline):
        return [(field, _("This field contains characters that are not allowed."))]
    if len(text) > max_length:
        return [(field, _("At most %(n)s characters.") % {"n": max_length})]
    return []


def choice_problems(value: str, field: str, choices: Iterable[str], *, required: bool = True) -> list[Problem]:
    if not value and not required:
        return []
    if value not in set(choices):
        return [(field, _("Choose one of the listed options."))]
    return []


def contact_phone_problems(value: str, field: str, *, required: bool = False) -> list[Problem]:
    """A contact number (mobile or landline, as people write them); empty when not required."""
    text = value.strip()
    if not text:
        return [(field, _("This field is required."))] if required else []
    if not _PHONE.match(text):
        return [(field, _("Enter a phone number of digits (5 to 20 characters)."))]
    return []
