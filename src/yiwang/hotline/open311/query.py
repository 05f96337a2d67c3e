"""GET Service Requests (GeoReport v2): what a query may ask and the tickets it finds.

- ``service_request_id``: a comma-separated list, which overrides every other argument; at most
  ``LIMIT`` ids.
- ``service_code`` and ``status``: comma-separated lists; a status is ``open`` or ``closed``.
- ``start_date`` / ``end_date``: W3C date-times with their offset (``Z`` or ``+08:00``), compared with
  when the ticket was received. Neither given: the last 90 days; one given: 90 days from (or up to) it;
  both: the end not before the start and at most 90 days apart.
- "Response Volume": at most ``LIMIT`` (1000, the spec's) requests, the newest first; when more
  matched, the response says so in the ``X-Open311-More`` header and a narrower window finds the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from yiwang.core.fields import FIRST_DAY, LAST_DAY
from yiwang.hotline.models import Ticket
from yiwang.hotline.open311.documents import CLOSED

WINDOW = timedelta(days=90)
LIMIT = 1000
STATUSES = ("open", "closed")
# A "+" typed into a query string unencoded arrives as a space: "…T08:00:00 08:00".
_SPACED_OFFSET = re.compile(r" (\d{2}(?::?\d{2})?)$")


class Refused(Exception):
    """The request cannot be answered as asked: its HTTP status and what to tell the client."""

    def __init__(self, status: int, descriptions: list[str]) -> None:
        self.status, self.descriptions = status, descriptions
        super().__init__("; ".join(descriptions))


@dataclass(frozen=True)
class RequestQuery:
    ids: list[str]
    codes: list[str]
    statuses: frozenset[str]
    start: datetime | None = None
    end: datetime | None = None


def listed(raw: str) -> list[str]:
    """A comma-separated argument: its values trimmed, blanks and repeats dropped, in order."""
    return list(dict.fromkeys(v.strip() for v in raw.split(",") if v.strip()))


def _moment(name: str, raw: str) -> tuple[datetime | None, str | None]:
    text = _SPACED_OFFSET.sub(r"+\1", raw.strip())
    if not text:
        return None, None
    try:
        parsed = parse_datetime(text)
    except ValueError:  # well formed but no such moment (month 13)
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        return None, _("%(name)s must be a W3C date-time with its offset, e.g. 2026-11-01T00:00:00+08:00.") % {
            "name": name
        }
    if not FIRST_DAY <= parsed.date() <= LAST_DAY:
        return None, _("%(name)s must lie between %(first)s and %(last)s.") % {
            "name": name,
            "first": FIRST_DAY,
            "last": LAST_DAY,
        }
    return parsed, None


def _window(params: QueryDict, now: datetime) -> tuple[datetime, datetime]:
    start, start_problem = _moment("start_date", params.get("start_date", ""))
    end, end_problem = _moment("end_date", params.get("end_date", ""))
    problems = [p for p in (start_problem, end_problem) if p]
    if problems:
        raise Refused(400, problems)
    if start is None and end is None:
        return now - WINDOW, now
    if end is None:
        assert start is not None
        return start, start + WINDOW
    if start is None:
        return end - WINDOW, end
    if end < start:
        raise Refused(400, [_("end_date is before start_date.")])
    if end - start > WINDOW:
        raise Refused(400, [_("start_date and end_date may be at most 90 days apart.")])
    return start, end


def parse(params: QueryDict, now: datetime) -> RequestQuery:
    """The query's arguments checked; ``Refused`` (400) names every one that is wrong."""
    ids = listed(params.get("service_request_id", ""))
    if ids:
        if len(ids) > LIMIT:
            raise Refused(400, [_("At most %(n)s service_request_id at once.") % {"n": LIMIT}])
        return RequestQuery(ids=ids, codes=[], statuses=frozenset())
    statuses = [s.lower() for s in listed(params.get("status", ""))]
    if any(s not in STATUSES for s in statuses):
        raise Refused(400, [_("status is open or closed (or both, separated by a comma).")])
    start, end = _window(params, now)
    return RequestQuery(
        ids=[], codes=listed(params.get("service_code", "")), statuses=frozenset(statuses), start=start, end=end
    )


def tickets(query: RequestQuery) -> tuple[list[Ticket], bool]:
    """The tickets a query finds, the newest first, at most ``LIMIT``; and whether more matched."""
    found = Ticket.objects.select_related("category", "unit", "region").exclude(channel="")
    if query.ids:
        found = found.filter(number__in=query.ids)
    else:
        found = found.filter(created_at__gte=query.start, created_at__lte=query.end)
        if query.codes:
            found = found.filter(category__code__in=query.codes)
        if query.statuses == {"open"}:
            found = found.exclude(status__in=CLOSED)
        elif query.statuses == {"closed"}:
            found = found.filter(status__in=CLOSED)
    rows = list(found.order_by("-created_at", "-pk")[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT
