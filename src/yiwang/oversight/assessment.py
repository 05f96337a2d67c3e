"""窗口绩效考核 (hall.md: window management): a monthly score per window from the aggregates, with the
centre's weights (``AssessmentWeights``), and the ranking whose first is the month's 流动红旗窗口.

Each part is scored 0–100 and the score is their weighted mean over the parts the window has data for:

| part | score |
| --- | --- |
| numbers served | served ÷ the most any window served that month × 100 |
| satisfaction | 满意率 of the window's ratings |
| short waiting | 100 × (1 − average wait ÷ 60 minutes), not below 0 |
| cases on time | 按期办结率 of the cases received at the window |
| no cards | 100 − 20 per yellow card − 50 per red card, not below 0 |"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum

from yiwang.oversight.aggregates import bounds
from yiwang.oversight.models import AssessmentWeights, CardColour, CaseMonthly, QueueDaily, RatingDaily

if TYPE_CHECKING:
    from yiwang.accounts.models import User

PARTS = ("volume", "satisfaction", "waiting", "on_time", "cards")


def weights() -> AssessmentWeights:
    return AssessmentWeights.objects.first() or AssessmentWeights()


@dataclass
class WindowScore:
    window_id: int
    window: str
    group: str
    served: int = 0
    satisfaction: float | None = None
    average_wait: float | None = None
    on_time: float | None = None
    yellow: int = 0
    red: int = 0
    parts: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    rank: int = 0


def month_scores(month: date, user: User | None = None) -> list[WindowScore]:
    """The windows of the halls in the user's area, scored for the month, best first (ties by number)."""
    from yiwang.accounts.authz import scope_filter
    from yiwang.organisation.selectors import windows_active
    from yiwang.oversight.kpis import READER_ROLES
    from yiwang.oversight.selectors import cards_visible

    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    windows = windows_active().select_related("group")
    if user is not None:
        windows = scope_filter(
            windows, user, READER_ROLES, department_field=None, region_field="group__hall__centre__region"
        )
    scores = {w.pk: WindowScore(w.pk, w.number, w.group.name) for w in windows}
    if not scores:
        return []
    for row in (
        QueueDaily.objects.filter(day__gte=first, day__lte=last, window_id__in=scores)
        .order_by()
        .values("window_id")
        .annotate(served=Sum("served"), called=Sum("called"), wait=Sum("wait_seconds"))
    ):
        score = scores[row["window_id"]]
        score.served = row["served"] or 0
        score.average_wait = round(row["wait"] / row["called"] / 60, 1) if row["called"] else None
    for rated in (
        RatingDaily.objects.filter(day__gte=first, day__lte=last, window_id__in=scores)
        .order_by()
        .values("window_id")
        .annotate(good=Sum("ratings", filter=Q(level__gte=3)), total=Sum("ratings"))
    ):
        if rated["total"]:
            scores[rated["window_id"]].satisfaction = round(100 * rated["good"] / rated["total"], 1)
    for cased in (
        CaseMonthly.objects.filter(month=first, window_id__in=scores)
        .order_by()
        .values("window_id")
        .annotate(on_time=Sum("on_time"), concluded=Sum("concluded"))
    ):
        if cased["concluded"]:
            scores[cased["window_id"]].on_time = round(100 * cased["on_time"] / cased["concluded"], 1)
    low, high = bounds(first, last)
    for carded in (
        cards_visible(None)
        .filter(issued_at__gte=low, issued_at__lt=high, window_id__in=scores)
        .order_by()
        .values("window_id")
        .annotate(
            yellow=Count("pk", filter=Q(colour=CardColour.YELLOW)), red=Count("pk", filter=Q(colour=CardColour.RED))
        )
    ):
        scores[carded["window_id"]].yellow, scores[carded["window_id"]].red = carded["yellow"], carded["red"]
    _score(list(scores.values()), weights())
    ranked = sorted(scores.values(), key=lambda s: (-s.score, s.window))
    for rank, score in enumerate(ranked, start=1):
        score.rank = rank
    return ranked


def _score(scores: list[WindowScore], w: AssessmentWeights) -> None:
    busiest = max((s.served for s in scores), default=0)
    for s in scores:
        parts: dict[str, float] = {}
        if busiest:
            parts["volume"] = 100 * s.served / busiest
        if s.satisfaction is not None:
            parts["satisfaction"] = s.satisfaction
        if s.average_wait is not None:
            parts["waiting"] = max(0.0, 100 * (1 - s.average_wait / 60))
        if s.on_time is not None:
            parts["on_time"] = s.on_time
        if s.served or s.yellow or s.red:
            parts["cards"] = max(0.0, 100 - 20 * s.yellow - 50 * s.red)
        weight = {part: getattr(w, part) for part in PARTS}
        total = sum(weight[p] for p in parts)
        s.parts = {p: round(v, 1) for p, v in parts.items()}
        s.score = round(sum(weight[p] * v for p, v in parts.items()) / total, 1) if total else 0.0


def red_flag(scores: list[WindowScore]) -> WindowScore | None:
    """流动红旗窗口: the best window of the month, if it served anyone at all."""
    return scores[0] if scores and scores[0].served else None


def as_rows(scores: list[WindowScore]) -> list[dict[str, Any]]:
    return [s.__dict__ for s in scores]
