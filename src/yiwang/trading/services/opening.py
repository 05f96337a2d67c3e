"""开标 (docs/trading.md §5, step 5): at the deadline, online. A lot with fewer than three bids is not
opened (TBL §28, TBL-R §44); each bidder decrypts its own bid within the window (电子招标投标办法 §31); a
bid the bidder did not decrypt counts as withdrawn; a platform fault, once recorded, lets k custodians'
shares rebuild the opening key for the bids it struck; the record of what every bid offered is signed
and published."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.crypto import shares_combine, sm2_public_key, sm3_hex
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.fields import text_problems
from yiwang.core.ratelimit import over_limit
from yiwang.trading import rules
from yiwang.trading.envelope import (
    Envelope,
    EnvelopeError,
    OpenedBid,
    bid_unpack,
    content_key_unwrap,
    envelope_open,
    envelope_parse,
    envelope_verify,
)
from yiwang.trading.models import Bid, BidStatus, KeyShare, Lot, OpeningRecord, ProjectStatus, TradingProject
from yiwang.trading.procedures import procedure_of
from yiwang.trading.selectors import supervises
from yiwang.trading.services._common import event_record, operator_authorize, platform_sign, project_locked, stamp
from yiwang.trading.services.notices import share_commitment
from yiwang.trading.services.securities import lots_release
from yiwang.trading.workflow import BID, PROJECT

if TYPE_CHECKING:
    from yiwang.accounts.models import User

logger = logging.getLogger(__name__)

_HEX_KEY = frozenset("0123456789abcdef")
DECRYPT_TRIES_PER_MINUTE = 10


class _StoredBidBroken(Exception):
    """The stored envelope is not the one received (missing, changed, or not this bid's): the platform's
    fault, never the bidder's."""


def _stored_envelope(bid: Bid) -> Envelope:
    """The bid's envelope as stored, checked to be the one its receipt names: the whole file's SM3, then
    the header — project, lot, bidder, keys — and the bidder's signature, as at the upload."""
    try:
        with bid.envelope.open("rb") as stored:
            data = bytes(stored.read(bid.size + 1))
    except OSError as error:
        raise _StoredBidBroken(type(error).__name__) from error
    if len(data) != bid.size or sm3_hex(data) != bid.envelope_sm3:
        raise _StoredBidBroken("digest")
    try:
        envelope = envelope_parse(data, max_bytes=bid.size)
        envelope_verify(
            envelope,
            project=bid.project.code,
            lot=bid.lot.number,
            bidder=str(bid.bidder.credit_code),
            bidder_public_key=bid.bidder_key.public_key,
            opening_public_key=bid.project.opening_key.public_key,
        )
    except EnvelopeError as error:
        raise _StoredBidBroken(error.code) from error
    if envelope.digest != bid.ciphertext_sm3:
        raise _StoredBidBroken("ciphertext")
    return envelope


def _offer_of(plain: bytes) -> OpenedBid | None:
    """The offer inside, or None when the decrypted content is not a bid (the bidder's own failure)."""
    try:
        return bid_unpack(plain, max_total=4 * settings.YIWANG_TRADING_ENVELOPE_MAX_MB * 1024 * 1024)
    except EnvelopeError:
        return None


def _bid_reveal(bid: Bid, offer: OpenedBid, now: datetime, action: str) -> None:
    """The opened bid's offer onto its row (the price is public from here on)."""
    bid.status = BID.target(bid.status, action)
    bid.price, bid.figures, bid.opened_at = offer.price, offer.figures, now
    bid.save(update_fields=["status", "price", "figures", "opened_at"])


@transaction.atomic
def opening_start(*, actor: User, project: TradingProject) -> OpeningRecord | None:
    """The opening begins after the closing: lots with fewer than three bids are not opened and their bids
    go back sealed; a project none of whose lots has three fails (TBL-R §44) and returns None."""
    operator_authorize(actor, project)
    project = project_locked(project)
    PROJECT.require(project.status, "opening_start")
    now, before = timezone.now(), project.status
    procedure = procedure_of(project.method)
    opened_lots = 0
    for lot in Lot.objects.filter(project=project):
        live = list(Bid.objects.filter(lot=lot, status=BidStatus.SUBMITTED))
        if len(live) >= procedure.min_responses:
            opened_lots += 1
            continue
        lot.failed = True
        lot.save(update_fields=["failed"])
        for bid in live:
            bid.status = BID.target(bid.status, "return")
            bid.save(update_fields=["status"])
        lots_release([lot])
    if not opened_lots:
        project.status = PROJECT.target(project.status, "opening_start", to=ProjectStatus.FAILED)
        project.save(update_fields=["status"])
        event_record(project, "fail", actor=actor, before=before, note=_("Too few bids: no opening."))
        audit_record(actor=actor, action="trading.project_fail", target=project)
        return None
    project.status = PROJECT.target(project.status, "opening_start", to=ProjectStatus.OPENING)
    project.save(update_fields=["status"])
    record = OpeningRecord.objects.create(project=project, started_at=now, window_ends=now + rules.DECRYPTION_WINDOW)
    event_record(project, "opening_start", actor=actor, before=before)
    audit_record(actor=actor, action="trading.opening_start", target=project)
    return record


def _opening_of(project: TradingProject) -> OpeningRecord:
    if project.status != ProjectStatus.OPENING:
        raise Conflict(_("The opening is not under way."), code="not_opening")
    return OpeningRecord.objects.get(project=project)


def bid_decrypt(*, actor: User, bid: Bid, content_key: str) -> Bid:
    """解密: the bidder gives its bid's content key (unwrapped on its own machine with ``yiwang-seal
    unwrap``) within the window. A key that does not open the bid is refused and may be given again
    (ten times a minute) until the window ends. The decryption runs before any lock is taken; the
    outcome is written under the project's lock after the window is checked again."""
    if bid.bidder_id != actor.pk:
        raise PermissionDenied(_("Only the bidder decrypts its bid."), code="not_your_bid")
    key = content_key.strip().lower()
    if len(key) != 32 or not set(key) <= _HEX_KEY:
        raise ValidationFailed(_("The content key is 32 hexadecimal digits."), code="bad_content_key")
    bid = Bid.objects.select_related("project__opening_key", "lot", "bidder", "bidder_key").get(pk=bid.pk)
    opening = _opening_of(bid.project)
    if timezone.now() > opening.window_ends:
        raise Conflict(_("The decryption window has ended."), code="window_ended")
    BID.require(bid.status, "decrypt")
    if over_limit(f"trading:decrypt:{bid.pk}", DECRYPT_TRIES_PER_MINUTE, 60):
        raise Conflict(_("Too many keys tried for this bid: wait a minute and try again."), code="too_many_attempts")
    try:
        envelope = _stored_envelope(bid)
    except _StoredBidBroken as broken:
        logger.error("stored bid %s does not match its receipt (%s)", bid.pk, broken)
        raise Conflict(
            _("The stored bid does not match its receipt: a platform fault, for the supervisor to confirm."),
            code="stored_bid_broken",
        ) from None
    try:
        offer = _offer_of(envelope_open(envelope, bytes.fromhex(key)))
    except EnvelopeError:
        raise ValidationFailed(
            _("This key does not open the bid. Unwrap it again with your own key and retry before the window ends."),
            code="wrong_key",
        ) from None
    return _decrypted_record(actor, bid, offer)


@transaction.atomic
def _decrypted_record(actor: User, bid: Bid, offer: OpenedBid | None) -> Bid:
    project = project_locked(bid.project)
    opening = _opening_of(project)
    now = timezone.now()
    if now > opening.window_ends:
        raise Conflict(_("The decryption window has ended."), code="window_ended")
    bid = Bid.objects.select_for_update().get(pk=bid.pk)
    BID.require(bid.status, "decrypt")
    if offer is not None:
        _bid_reveal(bid, offer, now, "decrypt")
    else:  # the bidder's own content is not a bid: its failure (电子招标投标办法 §31), counted as withdrawn
        bid.status = BID.target(bid.status, "decrypt_fail", to=BidStatus.FAILED_BIDDER)
        bid.opening_note = _("The decrypted content is not a bid.")
        bid.save(update_fields=["status", "opening_note"])
    event_record(project, "decrypt", actor=actor, before=project.status, note=actor.get_full_name())
    audit_record(actor=actor, action="trading.bid_decrypt", target=bid, changes={"status": bid.status})
    return bid


@transaction.atomic
def opening_platform_fault(*, actor: User, project: TradingProject, bids: list[Bid], note: str) -> int:
    """The supervisor confirms, within the window, that the platform (not the bidders) kept these bids
    from being decrypted — an outage, a stored file that no longer matches its receipt. Only such bids
    may then be opened with the custodians' shares; the operator alone cannot send a bid there."""
    if not supervises(actor, project):
        raise PermissionDenied(
            _("The project's supervising department confirms a platform fault."), code="not_the_supervisor"
        )
    project = project_locked(project)
    opening = _opening_of(project)
    if timezone.now() > opening.window_ends:
        raise Conflict(_("A platform fault is confirmed within the decryption window."), code="window_ended")
    raise_problems(text_problems(note, "note", max_length=500, required=True))
    struck = 0
    for bid in Bid.objects.select_for_update().filter(pk__in=[b.pk for b in bids], project=project):
        bid.status = BID.target(bid.status, "decrypt_fail", to=BidStatus.FAILED_PLATFORM)
        bid.opening_note = _("Platform fault confirmed by the supervisor.")
        bid.save(update_fields=["status", "opening_note"])
        struck += 1
    if not struck:
        raise ValidationFailed(_("Choose the bids the fault kept from being decrypted."), code="no_bids")
    opening.platform_fault, opening.platform_fault_note = True, note.strip()
    opening.save(update_fields=["platform_fault", "platform_fault_note"])
    event_record(project, "platform_fault", actor=actor, before=project.status, note=note)
    audit_record(actor=actor, action="trading.opening_platform_fault", target=project, changes={"bids": struck})
    return struck


@transaction.atomic
def share_submit(*, actor: User, project: TradingProject, share: str) -> int:
    """A custodian gives its share (decrypted on its own machine with ``yiwang-seal share``), only after a
    platform fault. Each share is checked against the commitment fixed when the key was split, so a
    wrong one is refused at once and blocks no one. When ``threshold`` are in, the opening key is
    rebuilt, the struck bids opened with it (each checked against its receipt first), and the given
    shares wiped. Returns the bids opened (0 until then)."""
    project = project_locked(project)
    _opening_of(project)
    if not project.bids.filter(status=BidStatus.FAILED_PLATFORM).exists():
        raise Conflict(
            _("No bid awaits the custodians: they open only after a platform fault."), code="no_platform_fault"
        )
    held = KeyShare.objects.select_for_update().filter(opening_key__project=project, custodian=actor).first()
    if held is None:
        raise PermissionDenied(_("You hold no share of this project's opening key."), code="not_a_custodian")
    value = share.strip().lower()
    if len(value) != 64 or not set(value) <= _HEX_KEY:
        raise ValidationFailed(_("A share is 64 hexadecimal digits."), code="bad_share")
    if share_commitment(held.index, bytes.fromhex(value)) != held.commitment:
        raise ValidationFailed(_("This is not your share of this project's opening key."), code="wrong_share")
    held.submitted, held.submitted_at = value, timezone.now()
    held.save(update_fields=["submitted", "submitted_at"])
    audit_record(actor=actor, action="trading.share_submit", target=project, changes={"index": held.index})
    opening_key = project.opening_key
    given = list(KeyShare.objects.filter(opening_key=opening_key, submitted_at__isnull=False))
    if len(given) < opening_key.threshold:
        note = f"{len(given)}/{opening_key.threshold}"
        event_record(project, "share", actor=actor, before=project.status, note=note)
        return 0
    private = shares_combine([(s.index, bytes.fromhex(s.submitted)) for s in given]).hex()
    if sm2_public_key(private) != opening_key.public_key:  # the commitments make this unreachable
        raise Conflict(_("The shares given do not rebuild the opening key."), code="shares_do_not_match")
    opened, now = 0, timezone.now()
    struck = Bid.objects.select_for_update(of=("self",)).filter(project=project, status=BidStatus.FAILED_PLATFORM)
    for bid in struck.select_related("project__opening_key", "lot", "bidder", "bidder_key"):
        try:
            envelope = _stored_envelope(bid)
            offer = _offer_of(envelope_open(envelope, content_key_unwrap(envelope, private, wrapped_for="opening")))
        except (_StoredBidBroken, EnvelopeError):
            offer = None
        if offer is None:
            bid.opening_note = _("The opening key does not open this bid either.")
            bid.save(update_fields=["opening_note"])
            continue
        _bid_reveal(bid, offer, now, "recover")
        opened += 1
    KeyShare.objects.filter(opening_key=opening_key).update(submitted="", submitted_at=None)
    event_record(project, "recover", actor=actor, before=project.status, note=str(opened))
    audit_record(actor=actor, action="trading.bids_recover", target=project, changes={"opened": opened})
    return opened


def _price_entry(project: TradingProject, bid: Bid) -> dict[str, str | None]:
    """A tender's record reads the price out (招标投标法 §36); a non-tender method's commits to it —
    SM3 of the price and the ciphertext's digest — so the record is checkable once the prices are public
    with the result, and no supplier reads a rival's price meanwhile (政府采购法 §38(4))."""
    price = str(bid.price) if bid.price is not None else None
    if procedure_of(project.method).tender or price is None:
        return {"price": price}
    return {"price": None, "price_sm3": sm3_hex(f"{price}|{bid.ciphertext_sm3}".encode())}


def _record_content(project: TradingProject, opening: OpeningRecord, now: datetime) -> dict[str, Any]:
    bids = (
        Bid.objects.filter(project=project)
        .exclude(status__in=(BidStatus.REPLACED, BidStatus.WITHDRAWN))
        .select_related("lot", "bidder")
        .order_by("lot__number", "submitted_at")
    )
    return {
        "project": project.code,
        "started_at": stamp(opening.started_at),
        "concluded_at": stamp(now),
        "bids": [
            {
                "lot": bid.lot.number,
                "bidder": bid.bidder.get_full_name(),
                "credit_code": bid.bidder.credit_code,
                "ciphertext_sm3": bid.ciphertext_sm3,
                "status": bid.status,
                **_price_entry(project, bid),
            }
            for bid in bids
        ],
    }


@transaction.atomic
def opening_conclude(*, actor: User, project: TradingProject, abandon_recovery: bool = False) -> OpeningRecord:
    """The window over (or every bid decided): bids never decrypted count as withdrawn by their bidders;
    the opening record is signed and published. While bids struck by a platform fault await the
    custodians the opening stays open, unless the centre gives their recovery up — then they count as
    withdrawn without the bidders' fault (电子招标投标办法 §31), and the record says so."""
    operator_authorize(actor, project)
    project = project_locked(project)
    opening = _opening_of(project)
    now = timezone.now()
    pending = Bid.objects.select_for_update().filter(project=project, status=BidStatus.SUBMITTED)
    if now <= opening.window_ends and pending.exists():
        raise Conflict(_("Bidders are still decrypting: the window is open."), code="window_open")
    if not abandon_recovery and project.bids.filter(status=BidStatus.FAILED_PLATFORM).exists():
        raise Conflict(_("Bids struck by the platform fault await the custodians' shares."), code="recovery_pending")
    for bid in pending:
        bid.status = BID.target(bid.status, "decrypt_fail", to=BidStatus.FAILED_BIDDER)
        bid.opening_note = _("Not decrypted within the window.")
        bid.save(update_fields=["status", "opening_note"])
    content = _record_content(project, opening, now)
    opening.content, opening.signature, opening.key = platform_sign(project.region, content)
    opening.concluded_at = now
    opening.save(update_fields=["content", "signature", "key", "concluded_at"])
    before = project.status
    project.status = PROJECT.target(project.status, "opening_conclude")
    project.save(update_fields=["status"])
    event_record(project, "opening_conclude", actor=actor, before=before)
    audit_record(actor=actor, action="trading.opening_conclude", target=project)
    return opening
