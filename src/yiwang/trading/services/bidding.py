"""Sealed bids before the deadline and the closing at it (docs/trading.md §5).

An upload is checked for form, for whose it is and for the bidder's signature before any lock is taken
(those checks cost milliseconds of SM2); then, under the project's row lock, the deadline is checked
against the server's clock and the receipt numbered and signed. The closing takes the same lock, so a
bid is either before the closing — and in its Merkle root — or refused."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.choices import AccountKind
from yiwang.audit.services import audit_record
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.trading.envelope import EnvelopeError, envelope_parse, envelope_verify, merkle_root
from yiwang.trading.models import (
    Bid,
    BidClosing,
    BidReceipt,
    BidStatus,
    KeyPurpose,
    KeyShare,
    Lot,
    PartyKey,
    ProjectStatus,
    ReceiptAction,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of
from yiwang.trading.services._common import (
    event_record,
    operator_authorize,
    platform_sign,
    project_locked,
    stamp,
)
from yiwang.trading.services.complaints import suspension_expire
from yiwang.trading.services.securities import withdrawal_release
from yiwang.trading.workflow import BID, PROJECT

if TYPE_CHECKING:
    from yiwang.accounts.models import User

logger = logging.getLogger(__name__)

# What each refusal of an envelope says (the code is the envelope's own).
_ENVELOPE_MESSAGES = {
    "too_large": gettext_lazy("The sealed file is larger than the platform accepts."),
    "not_sealed": gettext_lazy("This is not a sealed bid: seal it with yiwang-seal first."),
    "malformed": gettext_lazy("The sealed file is damaged or not in the sealed-bid format."),
    "digest_mismatch": gettext_lazy("The sealed file does not match its own digest: it was changed after sealing."),
    "wrong_project": gettext_lazy("This bid was sealed for another project."),
    "wrong_lot": gettext_lazy("This bid was sealed for another lot."),
    "wrong_bidder": gettext_lazy("This bid was sealed for another bidder's credit code."),
    "wrong_opening_key": gettext_lazy(
        "This bid was sealed to another opening key: download the project's current key."
    ),
    "wrong_bidder_key": gettext_lazy("This bid was sealed with a key other than your registered one."),
    "bad_signature": gettext_lazy("The bidder's signature on this bid does not verify."),
}


def _envelope_refused(error: EnvelopeError) -> ValidationFailed:
    message = _ENVELOPE_MESSAGES.get(error.code, _ENVELOPE_MESSAGES["malformed"])
    return ValidationFailed(str(message), code=f"envelope_{error.code}")


def bidder_key_of(actor: User) -> PartyKey:
    """The bidder's live registered key; a company without one registers it first."""
    if actor.kind != AccountKind.LEGAL_PERSON or not actor.credit_code:
        raise PermissionDenied(_("Only a company account with a credit code bids."), code="not_a_company")
    key = PartyKey.objects.filter(owner=actor, purpose=KeyPurpose.BIDDER, revoked_at__isnull=True).first()
    if key is None:
        raise Conflict(_("Register your bidding key (SM2 public key) before you bid."), code="no_bidder_key")
    return key


def _deadline_check(project: TradingProject, now: datetime) -> None:
    """Under the project's lock: open for bids and before the deadline (TBL §28: a bid after the
    deadline is refused)."""
    if project.status != ProjectStatus.BIDDING:
        raise Conflict(
            _("This project is not open for bids (%(status)s).") % {"status": project.get_status_display()},
            code="not_open_for_bids",
        )
    assert project.bid_deadline is not None
    if now >= project.bid_deadline:
        raise Conflict(
            _("The deadline (%(deadline)s) has passed: bids are no longer accepted (招标投标法 §28).")
            % {"deadline": f"{timezone.localtime(project.bid_deadline):%Y-%m-%d %H:%M:%S}"},
            code="bid_late",
        )


def _receipt_issue(project: TradingProject, bid: Bid, action: str, now: datetime) -> BidReceipt:
    """The next receipt of the project (sequence drawn under the project's lock), signed."""
    last = project.receipts.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    # No sequence number in what the bidder holds: it would tell how many came before (招标投标法 §22).
    # The order of the Merkle tree is fixed by the platform's sequence and published at the closing.
    content = {
        "project": project.code,
        "receipt": secrets.token_hex(16),
        "action": action,
        "bid": bid.pk,
        "lot": bid.lot.number,
        "bidder": bid.bidder.credit_code,
        "ciphertext_sm3": bid.ciphertext_sm3,
        "envelope_sm3": bid.envelope_sm3,
        "received_at": stamp(now),
    }
    text, signature, key = platform_sign(project.region, content)
    return BidReceipt.objects.create(
        project=project,
        sequence=last + 1,
        bid=bid,
        action=action,
        content=text,
        signature=signature,
        key=key,
        received_at=now,
    )


def bid_submit(
    *,
    actor: User,
    project: TradingProject,
    lot_number: int,
    data: bytes,
    source_address: str | None = None,
    user_agent: str = "",
) -> BidReceipt:
    """投标: stores a sealed envelope as it came and returns the signed receipt. A second envelope for
    the same lot replaces the bidder's live bid (TBL §29)."""
    key = bidder_key_of(actor)
    _deadline_check(project, timezone.now())  # before reading anything; checked again under the lock
    if KeyShare.objects.filter(opening_key__project=project, custodian=actor).exists():
        raise PermissionDenied(
            _("A custodian of this project's opening key does not bid on it."), code="custodian_bids"
        )
    invited_only = procedure_of(project.method).invited_min > 0
    if invited_only and not project.invitations.filter(company=actor).exists():
        raise PermissionDenied(
            _("Only the invited companies respond to this procurement or tender."), code="not_invited"
        )
    lot = Lot.objects.filter(project=project, number=lot_number).first()
    if lot is None:
        raise NotFound(_("This project has no such lot."), code="no_such_lot")
    opening_key = getattr(project, "opening_key", None)
    if opening_key is None:
        raise Conflict(_("This project is not open for bids."), code="not_open_for_bids")
    try:
        envelope = envelope_parse(data, max_bytes=settings.YIWANG_TRADING_ENVELOPE_MAX_MB * 1024 * 1024)
        envelope_verify(
            envelope,
            project=project.code,
            lot=lot.number,
            bidder=str(actor.credit_code),
            bidder_public_key=key.public_key,
            opening_public_key=opening_key.public_key,
        )
    except EnvelopeError as error:
        raise _envelope_refused(error) from None
    name = default_storage.save(f"trading/bids/{project.code}/{envelope.digest}.ywseal", ContentFile(data))
    try:
        digests = (envelope.digest, sm3_hex(data))
        return _bid_store(actor, project, lot, key, name, digests, len(data), source_address, user_agent)
    except BaseException:
        default_storage.delete(name)  # nothing half-written: the refused envelope leaves no file
        raise


@transaction.atomic
def _bid_store(
    actor: User,
    project: TradingProject,
    lot: Lot,
    key: PartyKey,
    name: str,
    digests: tuple[str, str],
    size: int,
    source_address: str | None,
    user_agent: str,
) -> BidReceipt:
    project = project_locked(project)
    now = timezone.now()
    _deadline_check(project, now)
    live = Bid.objects.filter(lot=lot, bidder=actor, status=BidStatus.SUBMITTED).first()
    if live is not None:
        live.status = BID.target(live.status, "replace")
        live.save(update_fields=["status"])
    bid = Bid(
        project=project,
        lot=lot,
        bidder=actor,
        bidder_key=key,
        ciphertext_sm3=digests[0],
        envelope_sm3=digests[1],
        size=size,
        submitted_at=now,
        source_address=source_address or None,
        device=sm3_hex(user_agent.encode()) if user_agent else "",
    )
    bid.envelope.name = name
    bid.save()
    receipt = _receipt_issue(project, bid, ReceiptAction.REPLACE if live else ReceiptAction.SUBMIT, now)
    audit_record(
        actor=actor,
        action="trading.bid_submit",
        target=bid,
        changes={"project": project.code, "lot": lot.number, "sequence": receipt.sequence, "sm3": digests[0]},
    )
    return receipt


@transaction.atomic
def bid_withdraw(*, actor: User, bid: Bid) -> BidReceipt:
    """撤回 before the deadline (TBL §29): the bid stays stored, withdrawn, with its receipt."""
    if bid.bidder_id != actor.pk:
        raise PermissionDenied(_("Only the bidder withdraws its bid."), code="not_your_bid")
    project = project_locked(bid.project, while_suspended=True)
    now = timezone.now()
    _deadline_check(project, now)
    bid = Bid.objects.select_for_update().select_related("lot", "bidder").get(pk=bid.pk)
    bid.status = BID.target(bid.status, "withdraw")
    bid.save(update_fields=["status"])
    receipt = _receipt_issue(project, bid, ReceiptAction.WITHDRAW, now)
    withdrawal_release(bid.lot, actor)
    audit_record(actor=actor, action="trading.bid_withdraw", target=bid, changes={"sequence": receipt.sequence})
    return receipt


def _close(project: TradingProject, actor: User | None, now: datetime) -> BidClosing:
    before = project.status
    project.status = PROJECT.target(project.status, "close")
    assert project.bid_deadline is not None
    if now < project.bid_deadline:
        raise Conflict(_("The deadline has not come yet."), code="deadline_not_reached")
    receipts = list(project.receipts.order_by("sequence"))
    if any(receipt.received_at >= project.bid_deadline for receipt in receipts):
        raise Conflict(_("A receipt is dated after the deadline: the bids cannot be closed."), code="receipt_late")
    leaves = [r.content.encode() for r in receipts]
    root = merkle_root(leaves)
    live = project.bids.filter(status=BidStatus.SUBMITTED).count()
    content = {
        "project": project.code,
        "deadline": stamp(project.bid_deadline),
        "receipts": len(leaves),
        "bids": live,
        "root": root,
        "closed_at": stamp(now),
    }
    text, signature, key = platform_sign(project.region, content)
    closing = BidClosing.objects.create(
        project=project,
        receipts=len(leaves),
        live_bids=live,
        root=root,
        content=text,
        signature=signature,
        key=key,
        closed_at=now,
    )
    project.save(update_fields=["status"])
    event_record(project, "close", actor=actor, before=before, note=f"{live} / {root}")
    audit_record(actor=actor, action="trading.project_close", target=project, changes={"root": root, "bids": live})
    return closing


@transaction.atomic
def project_close(*, actor: User, project: TradingProject) -> BidClosing:
    """截止: the operator closes the bids at the deadline (the sweep does it too, whichever comes first)."""
    operator_authorize(actor, project)
    return _close(project_locked(project), actor, timezone.now())


def projects_close_due() -> int:
    """Every project past its deadline and still open for bids is closed (periodic; each in its own
    transaction, so one that fails does not hold the others)."""
    closed = 0
    due = TradingProject.objects.filter(status=ProjectStatus.BIDDING, bid_deadline__lte=timezone.now())
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            project = TradingProject.objects.select_for_update().select_related("region").get(pk=pk)
            suspension_expire(project)  # a suspension that ran out gives its time back first
            due_now = project.bid_deadline is not None and project.bid_deadline <= timezone.now()
            if project.status == ProjectStatus.BIDDING and not project.suspended() and due_now:
                _close(project, None, timezone.now())
                closed += 1
    return closed
