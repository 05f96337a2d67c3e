"""The watch over the limits: §26's 20 working days for an item, §33's due date for a reply — a yellow
card before, a red one after, each once, the officers told; lapsed requests closed by the sweep."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from yiwang.calendar.workdays import add_working_days
from yiwang.disclosure import services
from yiwang.disclosure.choices import AlertColour, AlertRule, Delivery, RequestStatus
from yiwang.disclosure.models import DisclosureAlert
from yiwang.disclosure.services.supervision import disclosure_sweep
from yiwang.notifications.models import Notification

pytestmark = pytest.mark.django_db


def at(day: Any) -> Any:
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(9))), tick=False)


def test_an_unpublished_item_is_carded_before_and_after_its_limit(office: dict[str, Any]) -> None:
    item = services.item_create(
        actor=office["officer"],
        body=office["body"],
        category=office["category"],
        title="某项政策",
        formed_on=timezone.localdate(),
    )
    assert disclosure_sweep().issued == {}
    with at(add_working_days(item.due_on, 0).date):
        assert disclosure_sweep().issued == {AlertRule.ITEM_NEAR_DUE: 1}
    with at(add_working_days(item.due_on, 1).date):
        assert disclosure_sweep().issued == {AlertRule.ITEM_OVERDUE: 1}
        assert disclosure_sweep().issued == {}  # once
    red = DisclosureAlert.objects.get(rule=AlertRule.ITEM_OVERDUE)
    assert red.colour == AlertColour.RED and red.item == item and red.body == office["body"]
    assert Notification.objects.filter(recipient=office["officer"], template="disclosure.alert").count() == 2


def test_a_reply_past_its_due_date_is_carded_and_a_lapse_closes_the_request(office: dict[str, Any]) -> None:
    made = services.request_submit(
        actor=office["citizen"], body=office["body"], description="某信息", delivery=Delivery.ONLINE
    )
    waiting = services.request_submit(
        actor=office["citizen"], body=office["body"], description="另一信息", delivery=Delivery.ONLINE
    )
    services.correction_request(actor=office["officer"], request=waiting, what="请补正", period=5)
    assert Notification.objects.filter(recipient=office["citizen"], template="disclosure.correction").exists()
    with at(add_working_days(made.due_on, 1).date):
        result = disclosure_sweep()
    assert result.issued == {AlertRule.REPLY_OVERDUE: 1} and result.lapsed == 1
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.REPLIED and waiting.reply.ground == "not_corrected"
    assert Notification.objects.filter(recipient=office["citizen"], template="disclosure.replied").exists()


def test_the_oversight_dashboard_shows_the_disclosure_figures(office: dict[str, Any]) -> None:
    from django.test import Client

    made = services.request_submit(
        actor=office["citizen"], body=office["body"], description="某信息", delivery=Delivery.ONLINE
    )
    with at(add_working_days(made.due_on, 1).date):
        disclosure_sweep()
        client = Client()
        client.force_login(office["supervisor"])
        page = client.get(
            "/workbench/oversight/", {"start": made.received_on.isoformat(), "end": timezone.localdate().isoformat()}
        )
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="disclosure-figures"' in text
    assert 'data-kpi="disclosure_overdue">1<' in text and 'data-kpi="disclosure_cards">0 / 1<' in text
