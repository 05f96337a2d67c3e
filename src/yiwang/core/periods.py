"""The period a report page shows, read from its ``start`` and ``end`` parameters (YYYY-MM-DD), with a
Chinese message for each bad one; the default is the 30 days up to today."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)  # beyond, a day's arithmetic overflows


def period_from(params: Mapping[str, Any], default_days: int = 30) -> tuple[date, date, list[str]]:
    today = timezone.localdate()
    problems: list[str] = []
    try:
        end = date.fromisoformat(params.get("end") or today.isoformat())
    except ValueError:
        end, problems = today, [*problems, _("The end date is not a date (write YYYY-MM-DD).")]
    if not EARLIEST <= end <= LATEST:
        end, problems = today, [*problems, _("Choose dates between 2000 and 2099.")]
    fallback = end - timedelta(days=default_days - 1)
    try:
        start = date.fromisoformat(params.get("start") or fallback.isoformat())
    except ValueError:
        start, problems = fallback, [*problems, _("The start date is not a date (write YYYY-MM-DD).")]
    if not EARLIEST <= start <= LATEST:
        start, problems = fallback, [*problems, _("Choose dates between 2000 and 2099.")]
    if start > end:
        problems.append(_("The start date is after the end date."))
        start = end
    return start, end, problems
