"""Figures that stay current (docs/architecture.md; core.dirty_days): cases and 12345 tickets written
together at 50 a second (or as fast as the machine writes them), each kind from its own thread, while
two workers and the drain recount — no committed write stays out of the aggregates longer than the
bound, two workers on one day leave the fresher count, and after the last write the aggregates equal a
full recount; and when the tasks after the last writes are lost with a killed worker, the drain counts
them within the bound. PostgreSQL (tests/freshness.py)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from tests.freshness import Feed, stream
from tests.parallel import require_postgresql
from yiwang.core.dirty_days import BOUND_SECONDS, DRAIN_SECONDS
from yiwang.evaluation.tests.conftest import make_case
from yiwang.oversight import aggregates
from yiwang.oversight.models import AggregateDirty, CaseDaily, CaseMonthly

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    require_postgresql()  # before the fixtures load a city for nothing


def _cases(people: dict[str, Any]) -> Feed:
    """A case submitted at the window, as the case's own row: the marks are the post_save's, as in service."""
    from yiwang.cases.models import Case

    model = make_case(people, conclude=False)
    numbers = itertools.count(1)

    def write() -> None:
        with transaction.atomic():
            case = Case.objects.get(pk=model.pk)
            case.pk, case.idempotency_key = None, None
            case.number = f"{model.number}-F{next(numbers)}"
            case.submitted_at = timezone.now()
            case.save(force_insert=True)

    def received() -> int:
        return int(CaseDaily.objects.aggregate(n=Sum("received"))["n"] or 0)

    return Feed("cases", write, received, share=3)


def _tickets(make_user: Any, city: Any) -> Feed:
    from yiwang.accounts.roles import Role
    from yiwang.demo.city import demo_departments
    from yiwang.demo.hotline import demo_hotline_load
    from yiwang.hotline import services
    from yiwang.hotline.models import TicketDaily

    demo_hotline_load(demo_departments())
    agent = make_user(Role.HOTLINE_AGENT, region=city)
    intake = services.Intake(
        channel="phone", kind="complaint", category_code="CX0101", description="康宁里夜间施工噪音扰民",
        region_code="990102002", caller_name="王先生", caller_phone="13800138000",
    )  # fmt: skip

    def accepted() -> int:
        return int(TicketDaily.objects.aggregate(n=Sum("accepted"))["n"] or 0)

    return Feed("tickets", lambda: services.ticket_create(actor=agent, intake=intake), accepted, share=2)


def _recounted() -> None:
    from yiwang.cases.models import Case
    from yiwang.hotline.aggregates import aggregates_check as tickets_check
    from yiwang.hotline.models import Ticket, TicketDayDirty

    today = timezone.localdate()
    first = min(timezone.localdate(Case.objects.earliest("submitted_at").submitted_at), today)
    assert aggregates.aggregates_check(first, today) == []
    if Ticket.objects.exists():
        assert tickets_check(first, today) == []
    assert not AggregateDirty.objects.exists() and not TicketDayDirty.objects.exists()
    assert sum(m.received for m in CaseMonthly.objects.all()) == Case.objects.count()


def test_a_stream_of_cases_and_tickets_is_counted_within_the_bound(people, make_user, city, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    feeds = [_cases(people), _tickets(make_user, city)]
    results = stream(monkeypatch, feeds, rate=50, seconds=5)  # 30 cases and 20 tickets a second
    for name, result in results.items():
        print(name, result.describe())
        assert result.writes >= 50 and max(result.lags) <= BOUND_SECONDS, (name, result.describe())
    _recounted()


def test_the_drain_counts_the_last_writes_when_their_tasks_are_lost(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = stream(monkeypatch, [_cases(people)], rate=50, seconds=2, lose_after_stream=True)["cases"]
    print(result.describe())
    assert result.lost >= 1 and result.drains >= 1, result.describe()
    assert max(result.lags) <= DRAIN_SECONDS + 5 <= BOUND_SECONDS, result.describe()
    _recounted()
