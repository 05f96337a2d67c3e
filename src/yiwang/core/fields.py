"""Field rules every entry point shares: what a text, a choice or a phone number may be.

Services call these on every value they store, so a page, the API, an admin screen, an Excel import
or a channel gets the same refusal for the same value — never a silent cut to the column's length,
never a control character kept in a record (PostgreSQL refuses NUL outright, SQLite would store it).
Each returns a list of (field, message) problems for ``core.errors.raise_problems``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

Problem = tuple[str, str]

# The days the platform reasons about: the working-day calendar's range. A date outside it (0001-01-01,
# 9999-12-31) is a typing mistake or a probe, and ``date + timedelta`` would overflow on it.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)

# Line breaks and tabs are text in a description; every other control character is not.
_MULTILINE_ALLOWED = {"\n", "\r", "\t"}
# A contact number: digits with the separators people write (+86, 010-, extension), 5 to 20 of them.
_PHONE = re.compile(r"^\+?[0-9][0-9 \-()]{3,18}[0-9]$")


# The bidirectional embeddings, overrides and isolates (LRE…RLO, LRI…PDI) reorder what a reader sees
# without changing what is stored: a name or a title that displays as something it is not. The marks
# (LRM, RLM) that mixed-direction text needs stay allowed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    allowed = _MULTILINE_ALLOWED if multiline else set()
    return any((unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed) or ch in _BIDI_CONTROLS for ch in value)


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


def date_problems(value: date | None, field: str, *, required: bool = False) -> list[Problem]:
    """A day the platform can count with: between FIRST_DAY and LAST_DAY."""
    if value is None:
        return [(field, _("This field is required."))] if required else []
    if not FIRST_DAY <= value <= LAST_DAY:
        return [(field, _("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_DAY, "last": LAST_DAY})]
    return []


def date_range_problems(start: date, end: date, start_field: str, end_field: str) -> list[Problem]:
    """A period: both days countable, the end not before the start."""
    problems = date_problems(start, start_field) + date_problems(end, end_field)
    if not problems and end < start:
        problems.append((end_field, _("The end date cannot be before the start date.")))
    return problems


def json_object(text: str) -> dict[str, Any] | None:
    """A JSON object typed into a field, or None when it is not one — malformed, a list, or nested so
    deep (``[[[[…`` a thousand times) that the parser runs out of stack, which would otherwise be a 500."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
