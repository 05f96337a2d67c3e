"""电子监管: the sweep cards signs of collusion (招标投标法实施条例 §40: identical sealed files, one address or
device for several bidders, identical prices or prices in a fixed ratio), an expert drawn again and again
for one tenderer, and steps later than the law allows — each once, however often it runs; the figures
the oversight dashboard shows count the projects, amounts, savings, failures, bids and complaints."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yiwang.trading import services
from yiwang.trading.figures import trading_figures
from yiwang.trading.models import (
    Alert,
    AlertRule,
    Bid,
    BidStatus,
    Draw,
    DrawPick,
    Lot,
    PickStatus,
    ProjectStatus,
    TradingProject,
)
from yiwang.trading.services.supervision import fixed_pattern, supervise
from yiwang.trading.tests.factories import bidder, publish, register, sealed
from yiwang.trading.tests.test_draw import pool

pytestmark = pytest.mark.django_db


def test_fixed_ratios_and_steps_are_signs_ordinary_prices_are_not() -> None:
    d = Decimal
    assert fixed_pattern([d("100.00"), d("102.00"), d("104.04")]) == "ratio"  # ×1.02 each
    assert fixed_pattern([d("18500000.00"), d("18600000.00"), d("18700000.00")]) == "step"
    assert fixed_pattern([d("18800000.00"), d("18650000.00"), d("19010000.00")]) == ""
    assert fixed_pattern([d("1.00"), d("2.00")]) == ""  # two prices always stand in a ratio


def test_one_address_one_device_one_file_one_price_are_carded_once(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    parties = [bidder(n) for n in (1, 2, 3)]
    agent = "Mozilla/5.0 (Windows NT 10.0) 投标工具 3.1"
    for n, party in enumerate(parties):
        services.bid_submit(
            actor=party.user, project=project, lot_number=1, data=sealed(project, party, "1.00"),
            source_address="10.8.0.7" if n < 2 else "10.8.0.9", user_agent=agent if n < 2 else "other",
        )  # fmt: skip
    bids = list(Bid.objects.filter(project=project).order_by("pk"))
    # Colluders share one sealed file's ciphertext; identical prices show after the opening.
    Bid.objects.filter(pk=bids[2].pk).update(ciphertext_sm3=bids[0].ciphertext_sm3)
    Bid.objects.filter(pk__in=[b.pk for b in bids]).update(status=BidStatus.OPENED)
    Bid.objects.filter(pk__in=[bids[0].pk, bids[1].pk]).update(price=Decimal("18600000.00"))
    Bid.objects.filter(pk=bids[2].pk).update(price=Decimal("18900000.00"))
    TradingProject.objects.filter(pk=project.pk).update(status=ProjectStatus.OPENED)  # read after the closing
    report = supervise()
    assert report.issued == {
        AlertRule.SAME_DIGEST: 1, AlertRule.SAME_DEVICE: 1, AlertRule.SAME_ADDRESS: 1, AlertRule.SAME_PRICE: 1,
    }  # fmt: skip
    assert supervise().issued == {}
    colours = dict(Alert.objects.filter(project=project).values_list("rule", "colour"))
    assert colours[AlertRule.SAME_DIGEST] == "red" and colours[AlertRule.SAME_ADDRESS] == "yellow"
    address = Alert.objects.get(project=project, rule=AlertRule.SAME_ADDRESS)
    assert "10.8.0.7" in address.detail and "2" in address.detail


def test_an_expert_on_three_committees_of_one_tenderer_in_a_year(centre: dict[str, Any], make_user: Any) -> None:
    expert = pool(centre, make_user, 1)[0]
    projects = [register(centre, title=f"示范工程{n}") for n in range(3)]
    for n, project in enumerate(projects):
        draw = Draw.objects.create(
            project=project, specialty="building", count=5, pool_digest="0" * 64, exclusions_digest="0" * 64,
            seed="0" * 64, drawn_at=timezone.now() - timedelta(days=100 * n), requested_by=centre["officer"],
        )  # fmt: skip
        status = PickStatus.CONFIRMED
        DrawPick.objects.create(
            draw=draw, expert=expert, rank=1, status=status, token_digest=f"{n}" * 64, notified_at=timezone.now()
        )
    supervise()
    alert = Alert.objects.get(rule=AlertRule.REPEATED_EXPERT)
    assert alert.project_id == projects[0].pk  # the latest draw
    DrawPick.objects.filter(draw__project=projects[2]).update(status=PickStatus.DECLINED)
    Alert.objects.all().delete()
    supervise()
    assert not Alert.objects.filter(rule=AlertRule.REPEATED_EXPERT).exists()  # two confirmed are not a pattern


def test_late_steps_are_carded(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    party = bidder(1)
    objection = services.objection_raise(actor=party.user, project=project, text="评分标准排斥外地投标人。")
    complaint = services.complaint_file(
        actor=party.user, project=project, subject="other", request="请求。", grounds="理由。",
        known_on=timezone.localdate(),
    )  # fmt: skip
    after = timezone.make_aware(datetime.combine(complaint.accept_due + timedelta(days=1), time(12)))
    with time_machine.travel(after, tick=True):  # past the 3 working days to accept, and the 3 days to answer
        supervise()
        bases = set(Alert.objects.filter(project=project, rule=AlertRule.LATE_STEP).values_list("basis", flat=True))
    assert {f"objection:{objection.pk}", f"complaint-accept:{complaint.pk}"} <= bases
    # A period shorter than the law allows, written around the service, is carded too (招标投标法 §24).
    TradingProject.objects.filter(pk=project.pk).update(bid_deadline=timezone.now() + timedelta(days=5))
    supervise()
    assert Alert.objects.filter(project=project, basis="period", colour="red").exists()


def test_the_figures_count_what_the_dashboard_shows(centre: dict[str, Any], make_user: Any) -> None:
    contracted = publish(centre, register(centre, title="已签约工程"))
    failed = publish(centre, register(centre, title="流标工程"))
    publish(centre, register(centre, title="招标中工程"))
    TradingProject.objects.filter(pk=contracted.pk).update(
        status=ProjectStatus.CONTRACTED, contract_amount=Decimal("18525000.00")
    )  # budget 19,500,000: 5% saved
    TradingProject.objects.filter(pk=failed.pk).update(status=ProjectStatus.FAILED)
    services.complaint_file(
        actor=bidder(1).user, project=failed, subject="other", request="请求。", grounds="理由。",
        known_on=timezone.localdate(),
    )  # fmt: skip
    today = timezone.localdate()
    figures = trading_figures(centre["officer"], start=today, end=today)
    assert figures.total.projects == 3 and figures.total.failed == 1 and figures.total.contracted == 1
    assert figures.total.savings_rate == 5.0
    assert figures.total.budget == Decimal("58500000.00")
    assert figures.complaints == 1 and figures.complaints_upheld == 0
    assert trading_figures(make_user(), start=today, end=today).total.projects == 0  # no grant, no figures
    assert Lot.objects.filter(project=contracted).exists()
    # The dashboard shows them beside the hall and the hotline, and exports them to Excel.
    from yiwang.accounts.roles import Role

    head = make_user(Role.CENTRE_ADMIN, region=centre["region"])
    client = Client()
    client.force_login(head)
    page = client.get("/workbench/oversight/", {"start": str(today), "end": str(today)}).content.decode()
    assert 'data-testid="trading-figures"' in page and "5.0%" in page
    sheet = client.get("/workbench/oversight/", {"start": str(today), "end": str(today), "format": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(sheet.content))
    assert any("交易" in name or "trading" in name.lower() for name in book.sheetnames)


def test_the_sweep_runs_every_ten_minutes_in_the_worker() -> None:
    from huey.contrib.djhuey import HUEY

    from yiwang.trading import tasks

    assert tasks.supervise_every_ten_minutes.task_class in HUEY._registry._periodic_tasks


def test_a_suspension_is_not_counted_as_lateness(centre: dict[str, Any]) -> None:
    """The supervisor's own suspension (招标投标法实施条例 §62) is not the tenderer's delay: an award 35 days
    old after 10 days suspended is within the contract's 30 days; 41 days old it is not."""
    project = publish(centre, register(centre))
    awarded_at = timezone.now() - timedelta(days=35)
    TradingProject.objects.filter(pk=project.pk).update(
        status=ProjectStatus.AWARDED, awarded_at=awarded_at, suspension_used=timedelta(days=10)
    )
    supervise()
    assert not Alert.objects.filter(project=project, basis="contract").exists()
    with time_machine.travel(timezone.now() + timedelta(days=6), tick=True):
        supervise()
    assert Alert.objects.filter(project=project, basis="contract").exists()
