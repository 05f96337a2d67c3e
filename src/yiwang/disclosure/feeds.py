"""The other contexts' publications brought into the disclosure catalogue, so that the portal has one
place for what the public may read (docs/disclosure.md §1): each service guide as published (a new
version is information changed, §26), each trading notice and award, each weekly 12345 bulletin. They
were reviewed where they were made; here they get their index numbers. Idempotent: an item's ``source``
is unique, so the hourly run adds only what is new."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.catalogue.selectors import published
from yiwang.disclosure.choices import ItemKind
from yiwang.disclosure.models import ProactiveItem
from yiwang.disclosure.services.proactive import item_receive
from yiwang.hotline.selectors import bulletins_made
from yiwang.organisation.selectors import centre_department, main_centre_department, region_by_pk
from yiwang.trading.publications import publications

if TYPE_CHECKING:
    from yiwang.organisation.models import Department


@dataclass
class FeedResult:
    guides: int = 0
    trading: int = 0
    bulletins: int = 0


def _known() -> set[str]:
    return {s for s in ProactiveItem.objects.filter(source__isnull=False).values_list("source", flat=True) if s}


def feeds_collect() -> FeedResult:
    result = FeedResult()
    known = _known()
    for implementation in published().iterator():
        version = implementation.current
        if version is None:
            continue
        source = f"catalogue:{implementation.code}:v{version.number}"
        if source in known or version.published_at is None:
            continue
        item_receive(
            source=source,
            body=implementation.department,
            category_name=_("Service guides"),
            title=_("Service guide: %(name)s") % {"name": version.name},
            text="",
            formed_on=timezone.localdate(version.published_at),
            published_at=version.published_at,
            source_url=reverse("portal:guide", args=[implementation.code]),
        )
        result.guides += 1
    centres: dict[int, Department | None] = {}
    for row in publications():
        if row.source in known:
            continue
        if row.region_id not in centres:
            region = region_by_pk(pk=row.region_id)
            centres[row.region_id] = centre_department(region=region) if region is not None else None
        body = centres[row.region_id]
        if body is None:
            continue
        category = _("Trading notices") if row.kind == "notice" else _("Trading results")
        item_receive(
            source=row.source,
            body=body,
            category_name=category,
            title=row.title,
            text=row.text,
            formed_on=timezone.localdate(row.published_at),
            published_at=row.published_at,
            source_url=row.url,
        )
        result.trading += 1
    hotline_body = main_centre_department()
    for bulletin in bulletins_made():
        source = f"hotline:bulletin:{bulletin.pk}"
        if source in known:
            continue
        if hotline_body is None:
            break
        pdf = bulletin.pdf.read() if bulletin.pdf else None
        item_receive(
            source=source,
            body=hotline_body,
            category_name=_("12345 hotline bulletins"),
            title=_("12345 hotline bulletin %(start)s to %(end)s") % {"start": bulletin.start, "end": bulletin.end},
            text=_("%(n)d requests in the period.") % {"n": bulletin.tickets},
            formed_on=bulletin.end,
            published_at=bulletin.made_at,
            kind=ItemKind.GENERAL,
            attachment=(f"bulletin-{bulletin.start}-{bulletin.end}.pdf", pdf) if pdf else None,
        )
        result.bulletins += 1
    return result
