"""The list of annual reports: the bodies with a disclosure record and their years."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models.functions import ExtractYear
from django.utils import timezone

from yiwang.disclosure.models import (
    Appeal,
    DisclosureComplaint,
    DisclosureRequest,
    OfficeYear,
    ProactiveItem,
    PublicResponse,
    WorkMeeting,
)
from yiwang.disclosure.report.shape import MIN_YEAR, OUT
from yiwang.organisation import selectors as organisation_selectors


@dataclass(frozen=True)
class BodyYears:
    body_id: int
    body_name: str
    years: tuple[int, ...]  # newest first


def report_index() -> list[BodyYears]:
    """The bodies with a disclosure record and the years their records fall in (an item published, a request
    received or replied to, an appeal filed, a response, meeting or complaint, the office's year), from 2000
    to this year: one query for the years, one for the bodies' names."""
    this_year = timezone.localdate().year
    parts = [
        ProactiveItem.objects.filter(status__in=OUT, published_at__isnull=False)
        .annotate(y=ExtractYear("published_at"))
        .values_list("body_id", "y"),
        DisclosureRequest.objects.annotate(y=ExtractYear("received_on")).values_list("body_id", "y"),
        DisclosureRequest.objects.filter(replied_on__isnull=False)
        .annotate(y=ExtractYear("replied_on"))
        .values_list("body_id", "y"),
        Appeal.objects.annotate(y=ExtractYear("filed_on")).values_list("request__body_id", "y"),
        PublicResponse.objects.annotate(y=ExtractYear("on")).values_list("body_id", "y"),
        WorkMeeting.objects.annotate(y=ExtractYear("on")).values_list("body_id", "y"),
        DisclosureComplaint.objects.annotate(y=ExtractYear("received_on")).values_list("body_id", "y"),
        OfficeYear.objects.values_list("body_id", "year"),
    ]
    first, *rest = (part.order_by() for part in parts)
    years: dict[int, set[int]] = defaultdict(set)
    for body_id, year in first.union(*rest):
        if year is not None and MIN_YEAR <= int(year) <= this_year:
            years[int(body_id)].add(int(year))
    bodies = organisation_selectors.departments_by_pk(pks=list(years))
    index = [
        BodyYears(body_id=pk, body_name=bodies[pk].name, years=tuple(sorted(years[pk], reverse=True)))
        for pk in years
        if pk in bodies
    ]
    return sorted(index, key=lambda entry: (entry.body_name, entry.body_id))
