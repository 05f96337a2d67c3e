"""Parties of a tender for the trading tests: the centre, a registered project, companies with their
bidding keys, custodians with theirs, and sealed bids made as ``yiwang-seal`` makes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from yiwang.accounts.choices import AccountKind
from yiwang.accounts.models import User
from yiwang.accounts.services import user_create
from yiwang.core import crypto
from yiwang.core.identifiers import credit_code_with_check
from yiwang.trading import services
from yiwang.trading.envelope import bid_pack, seal
from yiwang.trading.models import KeyPurpose, ProjectKind, QuoteRound, TradingProject


def company(n: int) -> User:
    return user_create(
        username=f"company{n}",
        password=None,
        kind=AccountKind.LEGAL_PERSON,
        full_name=f"示范建设有限公司{n}",
        credit_code=credit_code_with_check(f"91990100MA{n:07d}"),
    )


@dataclass
class Party:
    """An account with its registered key; the private half stays here, as on the party's machine."""

    user: User
    private_key: str
    public_key: str


def keyed(user: User, purpose: str) -> Party:
    private, public = crypto.sm2_key_pair()
    services.party_key_register(actor=user, purpose=purpose, public_key=public)
    return Party(user, private, public)


def bidder(n: int) -> Party:
    return keyed(company(n), KeyPurpose.BIDDER)


def register(centre: dict[str, Any], **overrides: object) -> TradingProject:
    fields: dict[str, object] = {
        "actor": centre["officer"],
        "region": centre["region"],
        "kind": ProjectKind.CONSTRUCTION,
        "method": "open_tender",
        "evaluation_method": "lowest_price",
        "title": "示范市第一中学教学楼新建工程",
        "budget": "19500000.00",
        "lots": [services.LotIn("施工", "19500000.00", "390000.00")],
        "tenderer_department": centre["tenderer"],
        **overrides,
    }
    return services.project_register(**fields)  # type: ignore[arg-type]


def deadline_in(days: int) -> datetime:
    return (timezone.localtime() + timedelta(days=days)).replace(hour=9, minute=30, second=0, microsecond=0)


def publish(centre: dict[str, Any], project: TradingProject, **overrides: object) -> TradingProject:
    today = timezone.localdate()
    fields: dict[str, object] = {
        "actor": centre["officer"],
        "project": project,
        "title": "招标公告",
        "body": "一、招标条件\n本项目已具备招标条件，现进行公开招标。",
        "documents_from": today,
        "documents_until": today + timedelta(days=6),
        "bid_deadline": deadline_in(21),
        "custodians": [c.user for c in centre["custodians"]],
        "threshold": 3,
        **overrides,
    }
    services.notice_publish(**fields)  # type: ignore[arg-type]
    project.refresh_from_db()
    return project


def sealed(project: TradingProject, party: Party, price: str, *, lot: int = 1, secret: str = "") -> bytes:
    """A bid sealed on the bidder's side for ``project``'s lot (``secret``: a phrase inside its file)."""
    plain = bid_pack(
        price=price,
        figures={"工期": "180日历天"},
        files={"technical.txt": (secret or f"{party.user.get_full_name()}的技术标").encode()},
    )
    return seal(
        plain=plain,
        project=project.code,
        lot=lot,
        bidder=str(party.user.credit_code),
        bidder_private_key=party.private_key,
        bidder_public_key=party.public_key,
        opening_public_key=project.opening_key.public_key,
    )


def sealed_quote(quote_round: QuoteRound, party: Party, price: str, *, lot: int = 1) -> bytes:
    """A final quote as ``yiwang-seal seal`` makes it: the price and no files, for the round's key."""
    return seal(
        plain=bid_pack(price=price, files={}),
        project=quote_round.project.code,
        lot=lot,
        bidder=str(party.user.credit_code),
        bidder_private_key=party.private_key,
        bidder_public_key=party.public_key,
        opening_public_key=quote_round.public_key,
    )
