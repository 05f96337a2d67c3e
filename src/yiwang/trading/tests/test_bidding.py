"""Sealed bids before the deadline, their signed receipts, the closing's Merkle root (docs/trading.md §5),
and the late bid refused (招标投标法 §28), also under parallel uploads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage

from tests.parallel import at_once, require_postgresql
from yiwang.core import crypto
from yiwang.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from yiwang.trading import services
from yiwang.trading.envelope import merkle_proof, merkle_verify
from yiwang.trading.models import Bid, BidClosing, BidReceipt, PlatformKey, TradingProject
from yiwang.trading.tests.factories import bidder, company, publish, register, sealed

pytestmark = pytest.mark.django_db


def submit(project: TradingProject, party: Any, data: bytes, lot: int = 1) -> BidReceipt:
    return services.bid_submit(actor=party.user, project=project, lot_number=lot, data=data)


def test_bids_are_received_with_signed_receipts_replaced_withdrawn_and_closed_under_a_merkle_root(
    centre: dict[str, Any],
) -> None:
    project = publish(centre, register(centre))
    a, b, c = bidder(1), bidder(2), bidder(3)
    receipts = [submit(project, a, sealed(project, a, "18800000.00")), submit(project, b, sealed(project, b, "1"))]
    receipts.append(submit(project, b, sealed(project, b, "18650000.00")))  # b replaces its bid
    receipts.append(submit(project, c, sealed(project, c, "19000000.00")))
    receipts.append(services.bid_withdraw(actor=c.user, bid=receipts[-1].bid))
    assert [(r.sequence, r.action) for r in receipts] == [
        (1, "submit"),
        (2, "submit"),
        (3, "replace"),
        (4, "submit"),
        (5, "withdraw"),
    ]
    platform = PlatformKey.objects.get(region=centre["region"])
    for receipt in receipts:
        assert crypto.sm2_verify(platform.public_key, receipt.content.encode(), receipt.signature)
        assert receipt.bid.ciphertext_sm3 in receipt.content
    assert sorted(Bid.objects.values_list("status", flat=True)) == ["replaced", "submitted", "submitted", "withdrawn"]
    # The envelope is stored as it came.
    stored = receipts[0].bid.envelope
    with stored.open("rb") as handle:
        assert handle.read().startswith(b"YWSEAL")
    assert stored.size == receipts[0].bid.size

    with pytest.raises(Conflict) as early:
        services.project_close(actor=centre["officer"], project=project)
    assert early.value.code == "deadline_not_reached"
    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline, tick=False):
        with pytest.raises(Conflict) as late:
            submit(project, c, sealed(project, c, "19000000.00"))
        assert late.value.code == "bid_late"
        assert services.projects_close_due() == 1
    closing = BidClosing.objects.get(project=project)
    assert (closing.receipts, closing.live_bids) == (5, 2)
    assert crypto.sm2_verify(platform.public_key, closing.content.encode(), closing.signature)
    leaves = [r.content.encode() for r in BidReceipt.objects.filter(project=project).order_by("sequence")]
    for index, leaf in enumerate(leaves):  # each bidder checks its receipt is under the published root
        assert merkle_verify(leaf, index, len(leaves), merkle_proof(leaves, index), closing.root)
    swapped = [*leaves[:1], leaves[1].replace(b'"submit"', b'"replace"'), *leaves[2:]]
    assert not merkle_verify(swapped[1], 1, len(leaves), merkle_proof(leaves, 1), closing.root)
    project.refresh_from_db()
    assert project.status == "closed"


def test_what_is_not_a_sealed_bid_of_this_bidder_for_this_project_is_refused_and_leaves_nothing(
    centre: dict[str, Any],
) -> None:
    project = publish(centre, register(centre))
    other = publish(centre, register(centre))
    a, b = bidder(1), bidder(2)
    good = sealed(project, a, "18800000.00")
    tampered = good[:-1] + bytes([good[-1] ^ 1])
    cases = [
        (b"PK\x03\x04 a plain zip", "envelope_not_sealed"),
        (good[:40], "envelope_malformed"),
        (tampered, "envelope_digest_mismatch"),
        (sealed(other, a, "1.00"), "envelope_wrong_project"),
        (sealed(project, a, "1.00", lot=2), "envelope_wrong_lot"),
    ]
    for data, code in cases:
        with pytest.raises(ValidationFailed) as refused:
            submit(project, a, data)
        assert refused.value.code == code
        assert str(refused.value.message)
    with pytest.raises(ValidationFailed) as not_hers:  # b uploads a's envelope as its own
        submit(project, b, good)
    assert not_hers.value.code == "envelope_wrong_bidder"
    with pytest.raises(PermissionDenied) as person:
        services.bid_submit(actor=centre["officer"], project=project, lot_number=1, data=good)
    assert person.value.code == "not_a_company"
    with pytest.raises(Conflict) as keyless:
        services.bid_submit(actor=company(9), project=project, lot_number=1, data=good)
    assert keyless.value.code == "no_bidder_key"
    assert not Bid.objects.exists() and not BidReceipt.objects.exists()
    assert not default_storage.exists(f"trading/bids/{project.code}")
    with pytest.raises(DomainError) as no_lot:
        submit(project, a, good, lot=7)
    assert no_lot.value.code == "no_such_lot"


def test_a_bid_one_millisecond_after_the_deadline_is_refused(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    a = bidder(1)
    data = sealed(project, a, "18800000.00")
    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline - timedelta(milliseconds=1), tick=False):
        submit(project, a, data)
    with (
        time_machine.travel(project.bid_deadline + timedelta(milliseconds=1), tick=False),
        pytest.raises(Conflict) as late,
    ):
        submit(project, a, data)
    assert late.value.code == "bid_late"
    assert "截止" in str(late.value.message) or "deadline" in str(late.value.message)
    assert BidReceipt.objects.filter(project=project).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_around_the_deadline_are_either_in_the_root_or_refused(
    centre: dict[str, Any],
) -> None:
    """Uploads and the closing queue on the project's row: none is accepted after the closing, none
    accepted is missing from the root."""
    require_postgresql()
    project = publish(centre, register(centre))
    parties = [bidder(n) for n in range(1, 9)]
    envelopes = [sealed(project, party, f"{18_000_000 + n}.00") for n, party in enumerate(parties)]
    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline - timedelta(milliseconds=150), tick=True):
        calls = [lambda p=p, e=e: submit(project, p, e) for p, e in zip(parties, envelopes, strict=True)]
        calls.append(lambda: services.projects_close_due())
        results = at_once(calls)
        remaining = services.projects_close_due()
    accepted = [r for r in results[:-1] if isinstance(r, BidReceipt)]
    refused = [r for r in results[:-1] if not isinstance(r, BidReceipt)]
    assert all(isinstance(r, Conflict) and r.code == "bid_late" for r in refused), refused
    assert results[-1] + remaining == 1  # type: ignore[operator]
    closing = BidClosing.objects.get(project=project)
    assert closing.receipts == len(accepted) == BidReceipt.objects.filter(project=project).count()
    assert all(r.received_at < project.bid_deadline for r in accepted)
