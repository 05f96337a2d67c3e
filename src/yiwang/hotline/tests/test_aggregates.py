"""The daily KPI aggregates equal a recount from the tickets — after every kind of step, and for every
grouping — and a change made while a day is being recounted is not lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from yiwang.demo.history.hotline import history_generate
from yiwang.hotline import services
from yiwang.hotline.aggregates import aggregates_check, dirty_days_refresh, kpis_summed
from yiwang.hotline.kpis import kpis
from yiwang.hotline.models import Ticket, TicketDaily, TicketDayDirty
from yiwang.hotline.selectors import tickets_visible

pytestmark = pytest.mark.django_db
INTAKE = {
    "kind": "complaint", "category_code": "CX0101", "description": "康宁里夜间施工噪音扰民",
    "region_code": "990102002", "caller_name": "王先生", "caller_phone": "13800138000", "channel": "phone",
}  # fmt: skip


def _same(user, start, end) -> None:  # type: ignore[no-untyped-def]
    for group in ("", "unit", "category", "area", "month"):
        live = [r.as_dict() for r in kpis(tickets_visible(user), start=start, end=end, group=group)]
        summed = [r.as_dict() for r in kpis_summed(user, start=start, end=end, group=group)]
        assert summed == live, group


def test_every_step_keeps_the_aggregates_equal_to_a_recount(people) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = services.ticket_create(actor=people["agent"], intake=services.Intake(**INTAKE))
    assert TicketDaily.objects.get(day=today).accepted == 1 and not TicketDayDirty.objects.exists()
    steps = [
        lambda: services.ticket_create(actor=people["agent"], intake=services.Intake(**INTAKE)),
        lambda: services.ticket_resolve(
            actor=people["agent"], ticket=Ticket.objects.exclude(pk=first.pk).get(), answer="已解答"
        ),
        lambda: services.ticket_dispatch(actor=people["dispatcher"], ticket=first),
        lambda: services.ticket_sign(actor=people["street"], ticket=first),
        lambda: services.ticket_return_request(actor=people["street"], ticket=first, reason="非本单位职责"),
        lambda: services.ticket_return_review(actor=people["dispatcher"], ticket=first, approve=False, note="属实"),
        lambda: services.extension_request(actor=people["street"], ticket=first, days=2, reason="需协调"),
        lambda: services.extension_decide(actor=people["supervisor"], request=first.extensions.get(), approve=True),
        lambda: services.ticket_reply(actor=people["street"], ticket=first, answer="已处理"),
        lambda: services.ticket_follow_up(
            actor=people["agent"], ticket=first, satisfaction="dissatisfied", solved=False, redo=True
        ),
        lambda: services.ticket_reply(actor=people["street"], ticket=first, answer="再次处理"),
        lambda: services.ticket_follow_up(actor=people["agent"], ticket=first, satisfaction="satisfied", solved=True),
    ]
    for step in steps:
        with TestCase.captureOnCommitCallbacks(execute=True):
            step()
        _same(people["supervisor"], today - timedelta(days=1), today)
    assert aggregates_check(today, today) == []


def test_a_bulk_history_is_rebuilt_by_the_command_and_checked(people, capsys) -> None:  # type: ignore[no-untyped-def]
    history_generate(600, seed=3, days=60)  # recounts the days it wrote
    call_command("hotline_kpis", "check")
    call_command("hotline_kpis", "rebuild")
    assert "equal a recount" in capsys.readouterr().out
    today = timezone.localdate()
    _same(people["supervisor"], today - timedelta(days=70), today)
    TicketDaily.objects.filter(day__lt=today).order_by("day").first().delete()  # type: ignore[union-attr]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="differ"):
        call_command("hotline_kpis", "check")


def test_a_change_during_a_recount_is_recounted_by_the_next_pass(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """core.dirty_days: the pass deletes the mark only at the version it read, so the ticket that arrived
    while the day was counted keeps it for the pass its own commit requests."""
    from dataclasses import replace

    from yiwang.hotline import aggregates

    today = timezone.localdate()
    services.ticket_create(actor=people["agent"], intake=services.Intake(**INTAKE))  # marks today dirty
    calls = {"n": 0}

    def count_while_another_ticket_arrives(day):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        rows = aggregates.day_rows(day)
        if calls["n"] == 1:  # committed after the recount read the day: the mark's version moves on
            services.ticket_create(actor=people["agent"], intake=services.Intake(**INTAKE))
        return rows

    monkeypatch.setattr(aggregates, "FIGURES", replace(aggregates.FIGURES, count=count_while_another_ticket_arrives))
    assert dirty_days_refresh() == 1
    assert TicketDaily.objects.get(day=today).accepted == 1 and TicketDayDirty.objects.exists()
    assert dirty_days_refresh() == 1
    assert TicketDaily.objects.get(day=today).accepted == 2 and not TicketDayDirty.objects.exists()
    assert dirty_days_refresh() == 0


def test_the_dashboard_reads_a_few_aggregate_rows(client, people, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    history_generate(300, seed=5, days=40)
    call_command("hotline_kpis", "rebuild")
    client.force_login(people["supervisor"])
    with django_assert_max_num_queries(30):
        page = client.get("/workbench/hotline/dashboard/")
    assert page.status_code == 200
