"""Hotspot analysis (热点分析, "城市治理的CT机"): what people call about more than usual.

For a period (the last 7 days, or any length) every category, area and keyword is compared with its
own baseline — its mean over the ``BASELINE_PERIODS`` (4) periods of the same length just before.
Counts of reports are treated as Poisson, so the rise is scored as

    z = (count − baseline) / √(baseline + 1)

and an entry is *rising* when z ≥ ``RISING_Z`` (3) and it was reported at least ``MIN_COUNT`` (5)
times. Categories and areas are counted in the database; keywords are cut from the descriptions with
jieba — of at most ``YIWANG_HOTLINE_HOTSPOT_SAMPLE`` (5,000) newest tickets per period, the rate per
ticket then scaled to the period's count, so a city-sized month stays a few seconds' work. Top
problems per district are the categories most reported in each district in the period.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import jieba
from django.conf import settings
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from yiwang.hotline.knowledge import STOP_WORDS
from yiwang.hotline.models import Ticket, TicketStatus

BASELINE_PERIODS = 4
RISING_Z = 3.0
MIN_COUNT = 5
TOP_PER_DISTRICT = 3
# Words of every complaint, which say nothing about what rose.
COMMON_WORDS = STOP_WORDS | frozenset(
    ["反映", "投诉", "市民", "希望", "处理", "问题", "情况", "相关", "部门", "没有", "一直"]
)


@dataclass
class Entry:
    name: str
    count: int
    baseline: float
    z: float

    @property
    def change(self) -> float | None:
        """The rise against the baseline, in per cent (None when there was no baseline)."""
        return round(100 * (self.count - self.baseline) / self.baseline, 1) if self.baseline else None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count, "baseline": self.baseline, "z": self.z, "change": self.change}


@dataclass
class Hotspots:
    start: date
    end: date
    total: int
    baseline_total: float
    categories: list[Entry] = field(default_factory=list)
    areas: list[Entry] = field(default_factory=list)
    keywords: list[Entry] = field(default_factory=list)
    districts: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total": self.total,
            "baseline_total": self.baseline_total,
            "categories": [e.as_dict() for e in self.categories],
            "areas": [e.as_dict() for e in self.areas],
            "keywords": [e.as_dict() for e in self.keywords],
            "districts": [
                {"district": d, "top": [{"category": c, "count": n} for c, n in top]} for d, top in self.districts
            ],
        }


def _z(count: float, baseline: float) -> float:
    return round((count - baseline) / math.sqrt(baseline + 1), 2)


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


def _in(tickets: QuerySet[Ticket], start: date, end: date) -> QuerySet[Ticket]:
    low, high = _window(start, end)
    return tickets.filter(created_at__gte=low, created_at__lt=high).exclude(status=TicketStatus.MERGED)


def _counts(tickets: QuerySet[Ticket], column: str) -> Counter[str]:
    rows = tickets.order_by().values(column).annotate(n=Count("pk"))
    return Counter({str(r[column]): r["n"] for r in rows if r[column]})


def _rising(current: Counter[str], baselines: list[Counter[str]], limit: int) -> list[Entry]:
    entries = []
    for name, count in current.items():
        baseline = sum(b.get(name, 0) for b in baselines) / len(baselines)
        z = _z(count, baseline)
        if count >= MIN_COUNT and z >= RISING_Z:
            entries.append(Entry(name, count, round(baseline, 1), z))
    return sorted(entries, key=lambda e: (-e.z, -e.count, e.name))[:limit]


def _words(tickets: QuerySet[Ticket]) -> tuple[Counter[str], int]:
    """Document frequency of the words of the newest tickets (a sample), and the sample's size."""
    sample = int(getattr(settings, "YIWANG_HOTLINE_HOTSPOT_SAMPLE", 5000))
    texts = list(tickets.order_by("-created_at").values_list("description", flat=True)[:sample])
    frequency: Counter[str] = Counter()
    for text in texts:
        words = {w for w in jieba.cut(text[:500]) if len(w) >= 2 and not w.isdigit() and w not in COMMON_WORDS}
        frequency.update(words)
    return frequency, len(texts)


def _keyword_rises(tickets: QuerySet[Ticket], periods: list[tuple[date, date]], limit: int) -> list[Entry]:
    (start, end), *before = periods
    current_qs = _in(tickets, start, end)
    words, sampled = _words(current_qs)
    if not sampled:
        return []
    scale = current_qs.count() / sampled
    baselines = []
    for low, high in before:
        period = _in(tickets, low, high)
        base_words, base_sampled = _words(period)
        base_scale = period.count() / base_sampled if base_sampled else 0
        baselines.append(Counter({w: n * base_scale for w, n in base_words.items()}))
    current = Counter({w: round(n * scale) for w, n in words.items()})
    return _rising(current, baselines, limit)


def hotspots(tickets: QuerySet[Ticket], *, end: date, days: int = 7, limit: int = 10) -> Hotspots:
    """What rose in the ``days`` days up to ``end`` (inclusive) against the periods before."""
    periods = [
        (end - timedelta(days=days * (k + 1) - 1), end - timedelta(days=days * k)) for k in range(BASELINE_PERIODS + 1)
    ]
    start = periods[0][0]
    current_qs = _in(tickets, *periods[0])
    by_category = [_counts(_in(tickets, *p), "category__name") for p in periods]
    by_area = [_counts(_in(tickets, *p), "region__name") for p in periods]
    totals = [_in(tickets, *p).count() for p in periods]
    result = Hotspots(
        start=start,
        end=end,
        total=totals[0],
        baseline_total=round(sum(totals[1:]) / BASELINE_PERIODS, 1),
        categories=_rising(by_category[0], by_category[1:], limit),
        areas=_rising(by_area[0], by_area[1:], limit),
        keywords=_keyword_rises(tickets, periods, limit),
    )
    rows = (
        current_qs.annotate(district=_district_name())
        .order_by()
        .values("district", "category__name")
        .annotate(n=Count("pk"))
    )
    per_district: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        per_district.setdefault(row["district"] or "—", []).append((row["category__name"], row["n"]))
    result.districts = [
        (name, sorted(top, key=lambda t: (-t[1], t[0]))[:TOP_PER_DISTRICT])
        for name, top in sorted(per_district.items(), key=lambda kv: -sum(n for _c, n in kv[1]))
    ]
    return result


def _district_name() -> Any:
    """The district of a ticket's area: the parent of a street, or the area itself."""
    from django.db.models import Case, When

    return Case(When(region__level="township", then=F("region__parent__name")), default=F("region__name"))
