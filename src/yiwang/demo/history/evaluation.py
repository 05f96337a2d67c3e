"""Generated ratings for the demo's dashboards: a share of the history's concluded cases (by their
applicants) and finished window visits (at the rating device) are rated — mostly 非常满意, a few
差评, each with its remediation, nearly all closed. Written in bulk; the caller recounts the aggregates."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.evaluation.models import Rating, RatingChannel, Remediation, RemediationMode, RemediationStatus, ServiceKind

LEVELS = [5] * 80 + [4] * 12 + [3] * 5 + [2] * 2 + [1]
BAD_COMMENTS = ["等候时间太长", "材料要求前后不一致", "窗口人员解释不清楚", "网上办理系统卡顿"]


def history_generate(*, seed: int = 2026, case_share: float = 0.3, visit_share: float = 0.4) -> int:
    if Rating.objects.filter(service_ref__startswith="case:", case__number__contains="-H").exists():
        return 0
    from yiwang.cases.selectors import cases_generated_concluded
    from yiwang.hall.selectors import visits_generated_done

    rng = random.Random(seed)
    now = timezone.now()
    ratings: list[Rating] = []
    for case in cases_generated_concluded().iterator():
        if rng.random() < case_share:
            assert case.concluded_at is not None
            at = min(case.concluded_at + timedelta(hours=rng.randint(1, 72)), now - timedelta(hours=1))
            channel = RatingChannel.ONLINE if case.channel != "window" else RatingChannel.QR
            ratings.append(_rating(rng, ServiceKind.CASE, case, at, channel, case.department_id, case.region_id,
                                   case.window_id, True))  # fmt: skip
    for visit in visits_generated_done().select_related("hall__centre"):
        if rng.random() < visit_share:
            assert visit.finished_at is not None
            at = visit.finished_at + timedelta(minutes=1)
            ratings.append(_rating(rng, ServiceKind.VISIT, visit, at, RatingChannel.WINDOW,
                                   visit.hall.centre.department_id, visit.hall.centre.region_id, visit.window_id,
                                   False))  # fmt: skip
    with transaction.atomic():
        Rating.objects.bulk_create(ratings, batch_size=1000)
        Remediation.objects.bulk_create(
            [_remediation(rng, r) for r in Rating.objects.filter(level__lte=2, remediation__isnull=True)],
            batch_size=500,
        )
    return len(ratings)


def _rating(
    rng: random.Random, kind: str, obj: Any, at: datetime, channel: str, department: int | None, region: int | None,
    window: int | None, real_name: bool,
) -> Rating:  # fmt: skip
    level = rng.choice(LEVELS)
    rating = Rating(
        service_kind=kind, service_ref=f"{kind}:{obj.pk}", rater_key="applicant" if kind == "case" else "holder",
        real_name=real_name, channel=channel, level=level,
        comment=rng.choice(BAD_COMMENTS) if level <= 2 else "", department_id=department, region_id=region,
        window_id=window, created_at=at, amendable_until=at + timedelta(days=settings.YIWANG_RATING_AMEND_DAYS),
    )  # fmt: skip
    setattr(rating, kind, obj)
    return rating


def _remediation(rng: random.Random, rating: Rating) -> Remediation:
    opened = rating.created_at
    closed = rng.random() < 0.95
    return Remediation(
        rating=rating, department_id=rating.department_id, region_id=rating.region_id, opened_at=opened,
        contact_due=opened + timedelta(days=1), feedback_due=opened + timedelta(days=7),
        fix_due=opened + timedelta(days=21), mode=RemediationMode.IMMEDIATE if closed else "",
        status=RemediationStatus.CLOSED if closed else RemediationStatus.PENDING,
        contacted_at=opened + timedelta(hours=3) if closed else None,
        contact_note="电话联系评价人，情况属实" if closed else "", verified=True if closed else None,
        feedback="已当场纠正并致歉" if closed else "", feedback_at=opened + timedelta(hours=5) if closed else None,
        fixed_at=opened + timedelta(hours=5) if closed else None, return_satisfied=True if closed else None,
        return_visit_at=opened + timedelta(days=2) if closed else None, return_note="表示满意" if closed else "",
        closed_at=opened + timedelta(days=2) if closed else None,
    )  # fmt: skip
