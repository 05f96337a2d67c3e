"""A generated year of cases for the demo's dashboards: the published items, more at the windows than
online, on-the-spot items concluded at once and promised-time items mostly within their limit, a
few refused, the last weeks' still open. Written in bulk (no services, no signals), so whoever calls
this recounts the aggregates afterwards; numbers are ``{region}-{date}-H{serial}``, marked as made
here so they never meet the numbers the services draw."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.cases.models import ApplicantKind, Case, CaseChannel, CaseStatus, Decision, IdType
from yiwang.catalogue.choices import CaseKind
from yiwang.catalogue.selectors import implementations_with_current
from yiwang.core.personal_data import lookup_digest

APPLICANTS = [
    (ApplicantKind.NATURAL_PERSON, "张三", IdType.RESIDENT_ID, "110101198001011232"),
    (ApplicantKind.NATURAL_PERSON, "王桂兰", IdType.RESIDENT_ID, "11010219580312002X"),
    (ApplicantKind.LEGAL_PERSON, "示范科技有限公司", IdType.CREDIT_CODE, "91110101MA00000018"),
]


def history_generate(count: int, *, days: int = 365, seed: int = 2026, until: date | None = None) -> int:
    """``count`` cases submitted over the ``days`` before ``until`` (yesterday by default); idempotent."""
    if Case.objects.filter(number__contains="-H").exists():
        return 0
    from yiwang.organisation.selectors import windows_active

    rng = random.Random(seed)
    until = until or timezone.localdate() - timedelta(days=1)
    implementations = list(implementations_with_current().select_related("current", "department__region"))
    windows = list(windows_active(group_kind="general"))
    if not implementations:
        return 0
    tz = timezone.get_current_timezone()
    digests = {number: lookup_digest(number) for _k, _n, _t, number in APPLICANTS}
    rows: list[Case] = []
    for serial in range(1, count + 1):
        implementation = rng.choice(implementations)
        version = implementation.current
        assert version is not None
        day = until - timedelta(days=rng.randrange(days))
        if day.weekday() >= 5 and rng.random() < 0.8:
            day -= timedelta(days=day.weekday() - 4)  # most weekend cases move to the Friday before
        submitted = datetime.combine(day, time(9), tz) + timedelta(minutes=rng.randrange(8 * 60))
        roll = rng.random()
        channel = CaseChannel.WINDOW if roll < 0.55 else CaseChannel.ONLINE if roll < 0.9 else CaseChannel.MOBILE
        kind, name, id_type, id_number = rng.choice(APPLICANTS)
        case = Case(
            number=f"{implementation.department.region.code}-{day:%Y%m%d}-H{serial:06d}", version=version,
            implementation=implementation, department=implementation.department,
            region=implementation.department.region, channel=channel, applicant_kind=kind, applicant_name=name,
            applicant_id_type=id_type, applicant_id_number=id_number, applicant_id_digest=digests[id_number],
            submitted_at=submitted, window=rng.choice(windows) if channel == CaseChannel.WINDOW and windows else None,
            visits=_visits(rng, channel),
        )  # fmt: skip
        _outcome(case, rng, until, on_the_spot=version.case_kind == CaseKind.ON_THE_SPOT,
                 limit=version.promised_limit or 5)  # fmt: skip
        rows.append(case)
    with transaction.atomic():
        Case.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _visits(rng: random.Random, channel: str) -> int:
    """Window cases: one visit, a few two (a correction on paper); online: mostly none, some a pickup."""
    if channel == CaseChannel.WINDOW:
        return 1 if rng.random() < 0.97 else 2
    return 0 if rng.random() < 0.8 else 1


def _outcome(case: Case, rng: random.Random, until: date, *, on_the_spot: bool, limit: int) -> None:
    if rng.random() < 0.03:
        case.status, case.refusal_reason = CaseStatus.REFUSED, "申请事项不属于本机关职权范围，已告知向有权机关申请"
        case.closed_at = case.submitted_at + timedelta(minutes=30)
        return
    case.accepted_at = case.submitted_at + timedelta(minutes=rng.randint(5, 60))
    case.accepted_on = timezone.localtime(case.accepted_at).date()
    case.due_on = case.accepted_on + timedelta(days=0 if on_the_spot else limit + 2 * (limit // 5))
    case.statutory_due_on = case.due_on + timedelta(days=10)
    if on_the_spot:
        took = timedelta(minutes=rng.randint(10, 90))
    else:
        share = rng.random()
        # Mostly early, some on the last day, a few late (which the dashboard should show).
        spent = (
            rng.randint(1, max(1, limit - 1)) if share < 0.8 else limit if share < 0.96 else limit + rng.randint(1, 4)
        )
        took = timedelta(days=spent + 2 * (spent // 5), hours=rng.randint(0, 6))
    concluded = case.accepted_at + took
    if timezone.localtime(concluded).date() > until:  # not done yet
        case.status = CaseStatus.IN_REVIEW
        return
    case.status, case.decision = CaseStatus.CLOSED, Decision.APPROVE
    case.decided_at = case.concluded_at = concluded
    case.closed_at = concluded + timedelta(days=1)
    case.result_name = case.version.result_name or case.version.name
