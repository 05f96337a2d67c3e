"""The demo's trading centre: one tender open, two sealed bids in, and demo-bidder able to seal the third
with the key the demo wrote for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yiwang.accounts.models import User
from yiwang.core.crypto import sm2_public_key
from yiwang.demo.city import demo_city_load, demo_departments
from yiwang.demo.trading import TENDER_TITLE, demo_trading_load
from yiwang.trading import services
from yiwang.trading.envelope import bid_pack, seal
from yiwang.trading.models import Bid, KeyShare, TradingProject

pytestmark = pytest.mark.django_db


def test_the_demo_tender_is_open_and_demo_bidder_can_seal_the_third_bid(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_city_load()
    assert demo_trading_load(demo_departments()) == 1
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
