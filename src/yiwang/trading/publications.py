"""What public resource trading publishes, read by the disclosure catalogue (one place for what the public
may read): each tender notice as first published and each award announced. A module of the trading
context, like ``figures``: other contexts read these rows, never the tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from yiwang.trading.models import AwardRecord, DocumentKind, TenderDocument


@dataclass(frozen=True)
class Publication:
    source: str  # unique: the disclosure catalogue never publishes one twice
    region_id: int
    kind: str  # notice | result
    title: str
    text: str
    published_at: datetime
    url: str


def publications(*, since: datetime | None = None, limit: int = 500) -> list[Publication]:
    notices = TenderDocument.objects.filter(kind=DocumentKind.DOCUMENT, version=1).select_related("project")
    results = AwardRecord.objects.filter(voided_at__isnull=True).select_related("project")
    if since is not None:
        notices = notices.filter(published_at__gte=since)
        results = results.filter(signed_at__gte=since)
    rows = [
        Publication(
            f"trading:notice:{d.project.code}",
            d.project.region_id,
            "notice",
            f"{d.project.title}（{d.title}）",
            d.body,
            d.published_at,
            reverse("trading:project", args=[d.project.code]),
        )
        for d in notices.order_by("published_at")[:limit]
    ]
    rows += [
        Publication(
            f"trading:result:{r.project.code}:{r.pk}",
            r.project.region_id,
            "result",
            r.project.title,
            "",
            r.signed_at,
            reverse("trading:project", args=[r.project.code]),
        )
        for r in results.order_by("signed_at")[:limit]
    ]
    return rows
