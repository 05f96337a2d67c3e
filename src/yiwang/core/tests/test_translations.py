"""Every interface string has its Simplified Chinese translation."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings


def test_every_message_is_translated_to_chinese() -> None:
    path = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy
    assert len(catalogue.translated_entries()) > 200
