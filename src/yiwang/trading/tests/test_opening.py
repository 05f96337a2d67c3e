"""The opening (docs/trading.md §5): too few bids fail the project (招标投标法 §28, 实施条例 §44); each
bidder decrypts its own (电子招标投标办法 §31); a bidder's failure counts as withdrawal; a platform fault
lets k custodians open what it struck; the record is signed. And before it, nothing on the server
reads a bid."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from yiwang.core import crypto
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.trading import rules, services
from yiwang.trading.envelope import content_key_unwrap, envelope_open, envelope_parse
from yiwang.trading.models import Bid, KeyShare, OpeningRecord, PlatformKey, TradingProject
from yiwang.trading.tests.factories import Party, bidder, publish, register, sealed

pytestmark = pytest.mark.django_db

PRICES = ("18800000.00", "18650000.00", "19010000.00")


def bids_in(centre: dict[str, Any], count: int) -> tuple[TradingProject, list[Party], list[Bid], list[bytes]]:
    """A published project with ``count`` sealed bids, closed at its deadline (the clock left there)."""
    project = publish(centre, register(centre))
    parties = [bidder(n) for n in range(1, count + 1)]
    envelopes = [
        sealed(project, p, PRICES[n % 3], secret=f"绝密技术方案第{n}号：桩基采用旋挖成孔。")
        for n, p in enumerate(parties)
    ]
    bids = [
        services.bid_submit(actor=p.user, project=project, lot_number=1, data=e).bid
        for p, e in zip(parties, envelopes, strict=True)
    ]
    return project, parties, bids, envelopes


def content_key(party: Party, data: bytes) -> str:
    """What ``yiwang-seal unwrap`` prints on the bidder's machine."""
    return content_key_unwrap(envelope_parse(data, max_bytes=len(data)), party.private_key).hex()


def at_deadline(project: TradingProject) -> time_machine.travel:
    assert project.bid_deadline is not None
    return time_machine.travel(project.bid_deadline + timedelta(seconds=1), tick=True)


def test_fewer_than_three_bids_are_not_opened_and_the_project_fails(centre: dict[str, Any]) -> None:
    project, _parties, _bids, _envelopes = bids_in(centre, 2)
    with at_deadline(project):
        services.projects_close_due()
        assert services.opening_start(actor=centre["officer"], project=project) is None
    project.refresh_from_db()
    assert project.status == "failed"
    assert [b.status for b in Bid.objects.filter(project=project)] == ["returned", "returned"]
    assert project.lots.get().failed
    assert not OpeningRecord.objects.exists()


def test_bidders_decrypt_their_own_a_failure_is_withdrawal_and_custodians_open_what_the_platform_struck(
    centre: dict[str, Any],
) -> None:
    project, (a, b, _c), (bid_a, bid_b, bid_c), (env_a, env_b, _env_c) = bids_in(centre, 3)
    officer = centre["officer"]
    with at_deadline(project):
        with pytest.raises(Conflict) as not_yet:
            services.bid_decrypt(actor=a.user, bid=bid_a, content_key=content_key(a, env_a))
        assert not_yet.value.code == "not_opening"
        services.projects_close_due()
        opening = services.opening_start(actor=officer, project=project)
        assert opening is not None and opening.window_ends == opening.started_at + rules.DECRYPTION_WINDOW
        # a decrypts its own bid; b's key does not open a's bid, nor may b act on a's.
        with pytest.raises(PermissionDenied):
            services.bid_decrypt(actor=b.user, bid=bid_a, content_key=content_key(b, env_b))
        with pytest.raises(ValidationFailed) as wrong:
            services.bid_decrypt(actor=a.user, bid=bid_a, content_key=content_key(b, env_b))
        assert wrong.value.code == "wrong_key"
        with pytest.raises(ValidationFailed) as garbage:
            services.bid_decrypt(actor=a.user, bid=bid_a, content_key="zz")
        assert garbage.value.code == "bad_content_key"
        opened = services.bid_decrypt(actor=a.user, bid=bid_a, content_key=content_key(a, env_a))
        assert (opened.status, opened.price, opened.figures) == ("opened", Decimal(PRICES[0]), {"工期": "180日历天"})
        with pytest.raises(Conflict) as twice:
            services.bid_decrypt(actor=a.user, bid=bid_a, content_key=content_key(a, env_a))
        assert twice.value.code == "bid_status"
        # c cannot decrypt: the platform was down (recorded); b simply never does.
        with pytest.raises(Conflict) as no_fault:
            services.share_submit(actor=centre["custodians"][0].user, project=project, share="00" * 32)
        assert no_fault.value.code == "no_platform_fault"
        with pytest.raises(PermissionDenied):  # the operator alone cannot send a bid to the custodians
            services.opening_platform_fault(actor=officer, project=project, bids=[bid_c], note="系统中断")
        supervisor = centre["supervisor"]
        services.opening_platform_fault(
            actor=supervisor, project=project, bids=[bid_c], note="开标系统 10:02–10:25 中断"
        )
        shares = list(KeyShare.objects.filter(opening_key__project=project).order_by("index"))
        custodians = centre["custodians"]
        with pytest.raises(PermissionDenied):
            services.share_submit(actor=a.user, project=project, share="00" * 32)
        for n, (share, party) in enumerate(zip(shares[:3], custodians[:3], strict=True)):
            plain_share = crypto.sm2_decrypt(party.private_key, bytes.fromhex(share.encrypted)).hex()
            recovered = services.share_submit(actor=party.user, project=project, share=plain_share)
            assert recovered == (1 if n == 2 else 0)
        bid_c.refresh_from_db()
        assert (bid_c.status, bid_c.price) == ("opened", Decimal(PRICES[2]))
        assert not KeyShare.objects.exclude(submitted="").exists()  # the given shares are wiped
        with pytest.raises(Conflict) as window:
            services.opening_conclude(actor=officer, project=project)
        assert window.value.code == "window_open"
    assert opening.window_ends is not None
    with time_machine.travel(opening.window_ends + timedelta(seconds=1), tick=True):
        with pytest.raises(Conflict) as closed_window:
            services.bid_decrypt(actor=b.user, bid=bid_b, content_key=content_key(b, env_b))
        assert closed_window.value.code == "window_ended"
        record = services.opening_conclude(actor=officer, project=project)
    bid_b.refresh_from_db()
    assert bid_b.status == "failed_bidder" and bid_b.price is None
    platform = PlatformKey.objects.get(region=centre["region"])
    assert crypto.sm2_verify(platform.public_key, record.content.encode(), record.signature)
    assert PRICES[0] in record.content and PRICES[2] in record.content and "failed_bidder" in record.content
    project.refresh_from_db()
    assert project.status == "opened"


def test_a_wrong_share_is_refused_at_once_and_blocks_no_one(centre: dict[str, Any]) -> None:
    """Each share is checked against the commitment fixed at the split; until k are in, nothing opens,
    and the opening does not conclude over bids awaiting them unless their recovery is given up."""
    project, _parties, (bid_a, *_rest), _envelopes = bids_in(centre, 3)
    with at_deadline(project):
        services.projects_close_due()
        services.opening_start(actor=centre["officer"], project=project)
        services.opening_platform_fault(actor=centre["supervisor"], project=project, bids=[bid_a], note="存储故障")
        custodian = centre["custodians"][0]
        with pytest.raises(ValidationFailed) as wrong:
            services.share_submit(actor=custodian.user, project=project, share="11" * 32)
        assert wrong.value.code == "wrong_share"
        share = KeyShare.objects.get(opening_key__project=project, custodian=custodian.user)
        plain = crypto.sm2_decrypt(custodian.private_key, bytes.fromhex(share.encrypted)).hex()
        assert services.share_submit(actor=custodian.user, project=project, share=plain) == 0
    bid_a.refresh_from_db()
    assert bid_a.status == "failed_platform"
    opening = OpeningRecord.objects.get(project=project)
    with time_machine.travel(opening.window_ends + timedelta(seconds=1), tick=True):
        with pytest.raises(Conflict) as pending:
            services.opening_conclude(actor=centre["officer"], project=project)
        assert pending.value.code == "recovery_pending"
        record = services.opening_conclude(actor=centre["officer"], project=project, abandon_recovery=True)
    assert "failed_platform" in record.content


def test_a_stored_envelope_swapped_for_another_is_caught_at_the_opening(centre: dict[str, Any]) -> None:
    """Someone with the media store points a's bid at b's file: the opening checks the file against
    a's receipt and refuses to show b's price as a's."""
    project, (a, b, _c), (bid_a, bid_b, _bid_c), (env_a, env_b, _env_c) = bids_in(centre, 3)
    Bid.objects.filter(pk=bid_a.pk).update(envelope=bid_b.envelope.name, size=bid_b.size)
    with at_deadline(project):
        services.projects_close_due()
        services.opening_start(actor=centre["officer"], project=project)
        with pytest.raises(Conflict) as broken:
            services.bid_decrypt(actor=a.user, bid=bid_a, content_key=content_key(b, env_b))
        assert broken.value.code == "stored_bid_broken"
        with pytest.raises(Conflict):
            services.bid_decrypt(actor=a.user, bid=bid_a, content_key=content_key(a, env_a))
    bid_a.refresh_from_db()
    assert (bid_a.status, bid_a.price) == ("submitted", None)


def _dump() -> bytes:
    """Every row of every table, and every file of the media store, as bytes."""
    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (the schema's own names)
            for row in cursor.fetchall():
                for value in row:
                    chunks.append(bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode())
    for path in sorted(Path(settings.MEDIA_ROOT).rglob("*")):
        if path.is_file():
            chunks.append(path.read_bytes())
    return b"\n".join(chunks)


def test_before_the_opening_neither_the_database_nor_the_media_store_holds_a_bid_in_plain_text(
    centre: dict[str, Any],
) -> None:
    """The threat: a DBA or administrator with a copy of everything the server holds (docs/trading.md §5)."""
    project, parties, _bids, envelopes = bids_in(centre, 3)
    with at_deadline(project):
        services.projects_close_due()
        services.opening_start(actor=centre["officer"], project=project)
    dump = _dump()
    assert b'"action":"submit"' in dump and project.code.encode() in dump  # the database is in the dump
    for n, (party, data) in enumerate(zip(parties, envelopes, strict=True)):
        assert data in dump  # the envelope itself is stored …
        key = bytes.fromhex(content_key(party, data))
        plain = envelope_open(envelope_parse(data, max_bytes=len(data)), key)
        needles = [
            key,
            key.hex().encode(),
            party.private_key.encode(),
            f"绝密技术方案第{n}号".encode(),
            b'"price":"' + PRICES[n % 3].encode(),
            PRICES[n % 3].encode(),
        ]
        needles += [plain[i : i + 24] for i in range(0, len(plain) - 24, 12)]  # … but no stretch of the plain
        found = [needle for needle in needles if needle in dump]
        assert not found, found[:3]
