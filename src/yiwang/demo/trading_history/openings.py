"""The closing of every project past its deadline and the opening record of every opened one, signed
with the platform's key as the services sign them, each saying in its signed content that it is
generated."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from yiwang.core.crypto import sm3_hex
from yiwang.demo.trading_history.data import HISTORY_NOTE
from yiwang.demo.trading_history.plan import Plan, _Context
from yiwang.trading import rules
from yiwang.trading.envelope import merkle_root
from yiwang.trading.models import BidClosing, OpeningRecord, ProjectStatus
from yiwang.trading.procedures import procedure_of
from yiwang.trading.services._common import platform_sign, stamp


def _price_entry(plan: Plan, price: Decimal) -> dict[str, str | None]:
    """As the opening service writes it: a tender reads the price out, a non-tender method commits to it
    (政府采购法 §38(4); the history keeps no ciphertext, so its digest is the empty string's place)."""
    if procedure_of(plan.method).tender:
        return {"price": str(price)}
    return {"price": None, "price_sm3": sm3_hex(f"{price}|None".encode())}


def _records_write(ctx: _Context, plans: list[Plan]) -> dict[int, BidClosing]:
    """The closing of every project past its deadline and the opening record of every opened one, signed
    with the platform's key as the services sign them. The closing names no receipts — the history keeps
    none, so its root is the empty tree's, which anyone can recompute from the (no) published receipts —
    and both say in their signed content that they are generated."""
    empty_root = merkle_root([])
    closings: dict[int, BidClosing] = {}
    openings = []
    for plan in plans:
        project, t = plan.project, plan.timeline
        assert project is not None
        if plan.status == ProjectStatus.TERMINATED:
            continue
        closed_at = t.deadline + timedelta(seconds=plan.seed % 40)
        content = {
            "project": project.code,
            "deadline": stamp(t.deadline),
            "receipts": 0,
            "bids": plan.live_bids,
            "root": empty_root,
            "closed_at": stamp(closed_at),
            "history": HISTORY_NOTE,
        }
        text, signature, key = platform_sign(ctx.city, content)
        closings[id(plan)] = BidClosing(
            project=project,
            receipts=0,
            live_bids=plan.live_bids,
            root=empty_root,
            content=text,
            signature=signature,
            key=key,
            closed_at=closed_at,
        )
        if plan.status == ProjectStatus.FAILED:
            continue
        content = {
            "project": project.code,
            "started_at": stamp(t.opening_start),
            "concluded_at": stamp(t.concluded),
            "bids": [
                {
                    "lot": o.lot,
                    "bidder": o.name,
                    "credit_code": o.credit_code,
                    "ciphertext_sm3": None,
                    "status": "opened",
                    **_price_entry(plan, o.price),
                }
                for o in sorted(plan.offers, key=lambda o: (o.lot, o.credit_code))
            ],
            "history": HISTORY_NOTE,
        }
        text, signature, key = platform_sign(ctx.city, content)
        openings.append(
            OpeningRecord(
                project=project,
                started_at=t.opening_start,
                window_ends=t.opening_start + rules.DECRYPTION_WINDOW,
                concluded_at=t.concluded,
                content=text,
                signature=signature,
                key=key,
            )
        )
    BidClosing.objects.bulk_create(closings.values(), batch_size=500)
    OpeningRecord.objects.bulk_create(openings, batch_size=500)
    return closings
