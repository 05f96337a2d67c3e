"""The hotline KPIs follow their stated formulas exactly (issue 8; formulas in hotline.kpis)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yiwang.hotline import services
from yiwang.hotline.aggregates import dirty_days_refresh
from yiwang.hotline.kpis import kpis
from yiwang.hotline.models import Ticket

pytestmark = pytest.mark.django_db


def _ticket(agent, category: str = "SC0201", **changes: object) -> Ticket:  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "channel": "phone", "kind": "complaint", "category_code": category, "description": "超市标价与结算价格不一致",
        "region_code": "990102001", "caller_phone": "13800138000",
    }  # fmt: skip
    values.update(changes)
    return services.ticket_create(actor=agent, intake=services.Intake(**values))  # type: ignore[arg-type]


def test_the_figures_follow_their_formulas(client, people) -> None:  # type: ignore[no-untyped-def]
    agent, dispatcher, unit, supervisor = people["agent"], people["dispatcher"], people["market"], people["supervisor"]
    # 1: resolved at first contact.
    services.ticket_resolve(actor=agent, ticket=_ticket(agent, "ZW0101"), answer="已解答")
    # 2: dispatched, replied in time, followed up satisfied.
    two = services.ticket_dispatch(actor=dispatcher, ticket=_ticket(agent))
    services.ticket_sign(actor=unit, ticket=two)
    services.ticket_reply(actor=unit, ticket=two, answer="已责令商家改正")
    services.ticket_follow_up(actor=agent, ticket=two, satisfaction="satisfied", solved=True)
    # 3: dispatched, extension asked and refused, replied late, caller dissatisfied.
    three = services.ticket_dispatch(actor=dispatcher, ticket=_ticket(agent))
    services.ticket_sign(actor=unit, ticket=three)
    request = services.extension_request(actor=unit, ticket=three, days=2, reason="需调查")
    services.extension_decide(actor=supervisor, request=request, approve=False, note="不予延期")
    Ticket.objects.filter(pk=three.pk).update(due_at=timezone.now() - timezone.timedelta(hours=1))
    services.ticket_reply(actor=unit, ticket=three, answer="已调查")
    services.ticket_follow_up(actor=agent, ticket=three, satisfaction="dissatisfied", solved=False)
    # 4: dispatched and returned; 5: waiting; 6: merged into 5 (not counted).
    four = services.ticket_dispatch(actor=dispatcher, ticket=_ticket(agent))
    services.ticket_return_request(actor=unit, ticket=four, reason="不属于本单位")
    five = _ticket(agent)
    services.ticket_merge(actor=agent, ticket=_ticket(agent), into=five)

    today = timezone.localdate()
    (row,) = kpis(Ticket.objects.all(), start=today, end=today)
    assert (row.group, row.accepted, row.direct, row.concluded) == ("全部", 5, 1, 3)
    assert (row.direct_rate, row.conclusion_rate) == (20.0, 60.0)
    assert (row.on_time, row.on_time_base, row.on_time_rate) == (1, 2, 50.0)
    assert (row.followed_up, row.to_follow_up, row.follow_up_rate) == (2, 2, 100.0)
    assert (row.satisfied, row.ratings, row.satisfaction_rate) == (1, 2, 50.0)
    assert (row.extensions_requested, row.extensions_approved, row.extensions_refused, row.returns) == (1, 0, 1, 1)
    assert row.average_hours is not None and row.average_hours < 1
    by_unit = {r.group: r for r in kpis(Ticket.objects.all(), start=today, end=today, group="unit")}
    assert by_unit["示范市市场监督管理局"].accepted == 3 and by_unit["—"].accepted == 2
    assert by_unit["示范市市场监督管理局"].extensions_refused == 1
    by_category = {r.group: r.accepted for r in kpis(Ticket.objects.all(), start=today, end=today, group="category")}
    assert by_category == {"市场监管": 4, "政务服务": 1}
    (month,) = kpis(Ticket.objects.all(), start=today, end=today, group="month")
    assert month.group == f"{today:%Y-%m}" and month.returns == 1

    client.force_login(supervisor)
    dirty_days_refresh()  # what the worker does after each commit (the test's transaction never commits)
    body = client.get("/api/v1/hotline/kpis", {"start": today, "end": today, "group": "unit"}).json()
    assert body[0] == {**body[0], "group": "示范市市场监督管理局", "accepted": 3, "satisfaction_rate": 50.0}
    assert client.get("/api/v1/hotline/kpis", {"start": today, "end": "2000-01-01"}).status_code == 422
    client.force_login(agent)
    assert client.get("/api/v1/hotline/kpis", {"start": today, "end": today}).status_code == 403
