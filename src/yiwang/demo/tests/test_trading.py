"""The demo's trading centre: one tender open, two sealed bids in, and demo-bidder able to seal the third
with the key the demo wrote for it; before it, a generated year of projects of every kind and an expert
pool of three hundred."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from yiwang.accounts.models import RoleAssignment, User
from yiwang.accounts.roles import Role
from yiwang.core.crypto import sm2_public_key, sm2_verify
from yiwang.demo.city import demo_city_load, demo_departments
from yiwang.demo.trading import TENDER_TITLE, demo_trading_load
from yiwang.demo.trading_negotiation import NEGOTIATION_TITLE
from yiwang.organisation.models import Region
from yiwang.trading import services
from yiwang.trading.envelope import bid_pack, seal
from yiwang.trading.figures import trading_figures
from yiwang.trading.models import (
    Alert,
    Bid,
    BidClosing,
    BidSecurity,
    Complaint,
    Expert,
    KeyShare,
    Lot,
    OpeningRecord,
    ProjectCounter,
    ProjectEvent,
    ProjectKind,
    ProjectStatus,
    TenderDocument,
    TradingProject,
)
from yiwang.trading.services.supervision import supervise

pytestmark = pytest.mark.django_db


def test_the_demo_tender_is_open_and_demo_bidder_can_seal_the_third_bid(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_city_load()
    assert demo_trading_load(demo_departments()) == TradingProject.objects.count()
    assert demo_trading_load(demo_departments()) == 0  # idempotent
    project = TradingProject.objects.get(title=TENDER_TITLE)
    assert project.status == "bidding"
    assert Bid.objects.filter(project=project, status="submitted").count() == 2
    assert KeyShare.objects.filter(opening_key__project=project).count() == 5
    key_file = tmp_path / "demo-keys" / "demo-bidder.key"
    assert key_file.stat().st_mode & 0o077 == 0
    bidder = User.objects.get(username="demo-bidder")
    private = key_file.read_text().strip()
    envelope = seal(
        plain=bid_pack(price="18800000.00", files={}),
        project=project.code,
        lot=1,
        bidder=str(bidder.credit_code),
        bidder_private_key=private,
        bidder_public_key=sm2_public_key(private),
        opening_public_key=project.opening_key.public_key,
    )
    services.bid_submit(actor=bidder, project=project, lot_number=1, data=envelope)
    assert Bid.objects.filter(project=project, status="submitted").count() == 3


def _counts() -> dict[str, int]:
    models = [TradingProject, Lot, TenderDocument, BidClosing, OpeningRecord, ProjectEvent, ProjectCounter,
              Complaint, Alert, BidSecurity, Expert, User, RoleAssignment]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def test_a_year_of_history_and_an_expert_pool(settings: Any, tmp_path: Path, client: Client) -> None:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_city_load()
    created = demo_trading_load(demo_departments())
    history = TradingProject.objects.exclude(title__in=(TENDER_TITLE, NEGOTIATION_TITLE))
    assert created == history.count() + 2

    # The negotiation in its round of final quotes: demo-bidder has the form; no rival's first price shows.
    negotiation = TradingProject.objects.get(title=NEGOTIATION_TITLE)
    assert negotiation.status == ProjectStatus.EVALUATING and negotiation.quote_rounds.filter(concluded_at=None)
    bidder = User.objects.get(username="demo-bidder")
    own = Client()
    own.force_login(bidder)
    page = own.get(f"/trading/{negotiation.code}/").content.decode()
    assert 'data-testid="final-quote-form"' in page and "驻场运维人员由3人增至4人" in page
    assert (
        "1180000.00" not in page and "1250000.00" not in Client().get(f"/trading/{negotiation.code}/").content.decode()
    )

    # Projects of every kind over the last year, most contracted, some failed, a few terminated, the
    # latest under way.
    kinds = Counter(history.values_list("kind", flat=True))
    assert 150 <= sum(kinds.values()) <= 250
    assert kinds[ProjectKind.PROCUREMENT] == 114  # as in the Shantou seed
    assert kinds[ProjectKind.CONSTRUCTION] >= 40
    assert min(kinds[kind] for kind in ProjectKind.values) >= 5
    statuses = Counter(history.values_list("status", flat=True))
    assert statuses[ProjectStatus.CONTRACTED] > sum(statuses.values()) * 0.7
    assert statuses[ProjectStatus.FAILED] >= 5 and statuses[ProjectStatus.TERMINATED] >= 2
    for under_way in (ProjectStatus.EVALUATING, ProjectStatus.AWARDED):
        assert statuses[under_way] >= 2
    # A tender publishes its candidates; a procurement delivers its report to the purchaser instead
    # (政府采购法实施条例 §43).
    assert history.filter(status=ProjectStatus.PUBLICITY).exclude(kind=ProjectKind.PROCUREMENT).exists()
    assert history.filter(status=ProjectStatus.DELIVERED, kind=ProjectKind.PROCUREMENT).exists()
    assert not history.filter(kind=ProjectKind.PROCUREMENT, publicity_from__isnull=False).exists()
    assert not ProjectEvent.objects.filter(project__kind=ProjectKind.PROCUREMENT, action="publicise").exists()
    now = timezone.now()
    assert not history.filter(bid_deadline__gte=now).exists()
    assert not history.filter(published_at__lt=now - timedelta(days=365)).exists()
    assert not history.filter(status=ProjectStatus.CONTRACTED, contract_amount__isnull=True).exists()

    # Codes as project_register gives them, and the counter where the history left it.
    city = Region.objects.get(code="990100")
    serials: dict[int, list[int]] = {}
    for code in TradingProject.objects.values_list("code", flat=True):
        match = re.fullmatch(r"990100-(\d{4})-(\d{4})", code)
        assert match is not None, code
        serials.setdefault(int(match[1]), []).append(int(match[2]))
    for year, numbers in serials.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert ProjectCounter.objects.get(region=city, year=year).last == len(numbers)

    # What the dashboard reads: bids per opened tender, savings a few per cent, complaints and cards.
    today = timezone.localdate()
    for username in ("demo-centre-admin", "demo-trading-officer"):
        figures = trading_figures(User.objects.get(username=username), start=today - timedelta(days=365), end=today)
        assert figures.total.projects == history.count() + 2
        assert figures.total.savings_rate is not None and 0 < figures.total.savings_rate < 10
        assert figures.total.average_bids is not None and 3 <= figures.total.average_bids <= 12
        procurement = [row for row in figures.rows if row.kind == str(ProjectKind.PROCUREMENT.label)]
        contracted = sum(r.contracted_budget for r in procurement)
        savings = 1 - sum(r.contract_amount for r in procurement) / contracted
        assert 0.01 < savings < 0.07
        assert figures.complaints >= 5 and figures.complaints_upheld >= 1
        assert figures.yellow >= 2 and figures.red >= 1
    opened = BidClosing.objects.filter(project__in=history, project__opening__isnull=False)
    assert opened.aggregate(Max("live_bids"))["live_bids__max"] <= 12
    assert not opened.filter(live_bids__lt=3).exists()
    record = OpeningRecord.objects.filter(project__in=history).select_related("key").first()
    assert record is not None and record.key is not None
    assert sm2_verify(record.key.public_key, record.content.encode(), record.signature)
    assert BidSecurity.objects.filter(status="refunded").exists()
    assert set(Complaint.objects.values_list("outcome", flat=True)) >= {"upheld", "dismissed"}
    assert Alert.objects.values("rule").distinct().count() >= 4
    # The history is as the sweep would have left it: it finds nothing new.
    assert supervise().issued == {}

    # The pool: accounts with the expert role, their specialties, employers and (encrypted) phones.
    pool = Expert.objects.select_related("user")
    assert pool.count() >= 250
    assert all(e.specialties and e.employer and re.fullmatch(r"1\d{10}", e.phone) for e in pool)
    holders = set(RoleAssignment.objects.filter(role=Role.EXPERT).values_list("user_id", flat=True))
    assert {e.user_id for e in pool} <= holders

    # The public pages of the history show.
    for status in (ProjectStatus.CONTRACTED, ProjectStatus.FAILED, ProjectStatus.TERMINATED):
        project = history.filter(status=status).first()
        assert project is not None
        assert client.get(f"/trading/{project.code}/").status_code == 200

    # A second load adds nothing; the open tender is as it was, open for bids.
    before = _counts()
    assert demo_trading_load(demo_departments()) == 0
    assert _counts() == before
    tender = TradingProject.objects.get(title=TENDER_TITLE)
    assert tender.status == ProjectStatus.BIDDING
    assert tender.bid_deadline is not None and tender.bid_deadline > now
    assert Bid.objects.filter(project=tender, status="submitted").count() == 2

    # The next registration follows on from the counter.
    officer = User.objects.get(username="demo-trading-officer")
    project = services.project_register(
        actor=officer, region=city, kind=ProjectKind.PROCUREMENT, method="open_tender", evaluation_method="scoring",
        title="示范市图书馆图书采购项目", budget="800000.00", lots=[services.LotIn("图书", "800000.00")],
        tenderer_department=demo_departments()["education"],
    )  # fmt: skip
    assert project.code == f"990100-{today.year}-{len(serials.get(today.year, [])) + 1:04d}"
