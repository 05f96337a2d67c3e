"""电子监察's cards (the rules as settings, once per basis) and the KPI aggregates: after every kind of
step they equal a recount, the monthly roll-up equals its days, and the KPIs read from them match the
formulas on the records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from yiwang.evaluation.tests.conftest import make_case
from yiwang.oversight import aggregates, kpis
from yiwang.oversight.cards import oversee
from yiwang.oversight.models import Card, CardRule, CaseDaily, CaseMonthly, QueueDaily, RatingDaily

pytestmark = pytest.mark.django_db


def _refresh() -> None:
    aggregates.dirty_days_refresh()


def test_cards_for_near_deadline_overdue_and_refusal_once_each(people: Any, company: Any) -> None:
    from yiwang.cases import services as cases
    from yiwang.cases.models import Case

    near = make_case(people, conclude=False)
    cases.case_accept(actor=people["clerk"], case=near)
    near.refresh_from_db()
    late = make_case(people, conclude=False)
    cases.case_accept(actor=people["clerk"], case=late)
    Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    refused = make_case(people, conclude=False)
    cases.case_refuse(actor=people["clerk"], case=refused, reason="不符", basis="《食品经营许可管理办法》第十四条")
    # The near case is due far ahead: with the rule's threshold raised to cover it, it is near.
    CardRule.objects.create(code="near_deadline", colour="yellow", threshold=30)
    report = oversee()
    assert report.issued == {"overdue": 1, "near_deadline": 1, "refusal_without_reason": 1}
    cards = {c.rule: c for c in Card.objects.all()}
    assert cards["overdue"].colour == "red" and cards["overdue"].case_id == late.pk
    assert cards["near_deadline"].colour == "yellow" and cards["near_deadline"].department == near.department
    assert oversee().issued == {}  # once per basis
    CardRule.objects.filter(code="near_deadline").update(active=False)
    Card.objects.filter(rule="near_deadline").delete()
    assert "near_deadline" not in oversee().issued


def test_aggregates_equal_a_recount_after_every_kind_of_step(
    people: Any, company: Any, hall_visit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yiwang.evaluation import services as ratings
    from yiwang.evaluation.models import RatingChannel
    from yiwang.evaluation.services import Given, case_link_token

    concluded_case = make_case(people)
    open_case = make_case(people, conclude=False)
    ratings.rating_for_case(
        case=concluded_case, link_token=case_link_token(concluded_case), channel=RatingChannel.QR,
        given=Given(level=2, comment="慢"),
    )  # fmt: skip
    visit, clerk, _other = hall_visit
    ratings.rating_for_visit(visit=visit, actor=clerk, given=Given(level=5))
    _refresh()
    today = timezone.localdate()
    first = min(today, visit.day)
    assert aggregates.aggregates_check(first, today) == []
    daily = CaseDaily.objects.filter(day=today)
    assert sum(r.received for r in daily) == 2 and sum(r.concluded for r in daily) == 1
    month = CaseMonthly.objects.get(month=today.replace(day=1), implementation_id=concluded_case.implementation_id)
    assert month.received == 2
    assert QueueDaily.objects.get(day=visit.day).served == 1
    assert RatingDaily.objects.filter(level=2).get().real_name_bad == 1
    # A stored row tampered with is found by the check, and by the command.
    CaseDaily.objects.filter(day=today).update(received=99)
    assert aggregates.aggregates_check(today, today)
    with pytest.raises(CommandError):
        call_command("oversight_kpis", "check", "--start", str(today), "--end", str(today))
    call_command("oversight_kpis", "rebuild")
    assert aggregates.aggregates_check(first, today) == []
    assert open_case.pk


def test_kpis_from_the_aggregates_match_the_formulas(people: Any, company: Any) -> None:
    from yiwang.cases.models import Case

    make_case(people)
    make_case(people)
    make_case(people, conclude=False)
    _refresh()
    today = timezone.localdate()
    for start in (today, today.replace(day=1), today - timedelta(days=40)):  # daily edges, whole months, both
        table = kpis.kpi_table(people["centre"], kpis.Filters(start=start, end=today))
        values = table.values()
        concluded = Case.objects.filter(concluded_at__isnull=False)
        assert values["received"] == 3
        assert values["on_time_rate"] == 100.0 and values["online_rate"] == 0.0
        on_day = sum(1 for c in concluded if timezone.localdate(c.concluded_at) == timezone.localdate(c.accepted_at))
        assert values["same_day_rate"] == round(100 * on_day / 2, 2)
    by_department = kpis.kpi_table(people["centre"], kpis.Filters(start=today, end=today), group="department")
    assert [label for label, _v, _s in by_department.ordered()] == ["示范市市场监督管理局"]
    other = kpis.kpi_table(people["other_head"], kpis.Filters(start=today, end=today))
    assert other.values()["received"] == 0.0  # another department's head sees nothing of the market's


def test_month_spans_split_edges_and_whole_months() -> None:
    edges, months = kpis._month_spans(date(2026, 1, 15), date(2026, 4, 10))
    assert edges == [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 10))]
    assert months == (date(2026, 2, 1), date(2026, 4, 1))
    assert kpis._month_spans(date(2026, 3, 1), date(2026, 3, 31)) == ([], (date(2026, 3, 1), date(2026, 4, 1)))
    assert kpis._month_spans(date(2026, 3, 5), date(2026, 3, 20)) == ([(date(2026, 3, 5), date(2026, 3, 20))], None)
