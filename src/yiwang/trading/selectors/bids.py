"""Bids, their receipts and proofs, and the keys of the platform and the parties."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from yiwang.core.errors import NotFound
from yiwang.trading.envelope import merkle_proof
from yiwang.trading.models import (
    Bid,
    BidReceipt,
    BidStatus,
    KeyPurpose,
    KeyShare,
    PartyKey,
    PlatformKey,
    ProjectStatus,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of

if TYPE_CHECKING:
    from yiwang.accounts.models import User

# From here on the bids are closed: who bid and the receipts are public.
CLOSED_OR_LATER = frozenset(ProjectStatus.values) - {ProjectStatus.DRAFT, ProjectStatus.BIDDING, ProjectStatus.PAUSED}


def bids_closed(project: TradingProject) -> bool:
    return project.status in CLOSED_OR_LATER


def receipts_public(project: TradingProject) -> QuerySet[BidReceipt]:
    """Every receipt in order, once the bids are closed (anyone recomputes the published root)."""
    if not bids_closed(project):
        return BidReceipt.objects.none()
    return BidReceipt.objects.filter(project=project).select_related("key").order_by("sequence")


def receipt_proof(project: TradingProject, sequence: int) -> tuple[BidReceipt, list[str], int]:
    """A receipt with its audit path under the closing's root: (receipt, proof, tree size)."""
    receipts = list(receipts_public(project))
    if not 1 <= sequence <= len(receipts):
        raise NotFound(_("No published receipt has this number."), code="not_found")
    leaves = [r.content.encode() for r in receipts]
    return receipts[sequence - 1], merkle_proof(leaves, sequence - 1), len(leaves)


def prices_public(project: TradingProject) -> bool:
    """A tender's prices are read out at the opening (招标投标法 §36); in the non-tender methods no supplier
    may learn another's price while they negotiate (政府采购法 §38(4)): public with the result."""
    return procedure_of(project.method).tender or project.status in (ProjectStatus.AWARDED, ProjectStatus.CONTRACTED)


def bids_public(project: TradingProject) -> list[Bid]:
    """The opening's bids as the public and the other bidders see them: without prices or offered
    figures where ``prices_public`` says they are not yet public."""
    bids = list(bids_opened(project))
    if not prices_public(project):
        for bid in bids:
            bid.price, bid.figures = None, {}
    return bids


def bids_opened(project: TradingProject) -> QuerySet[Bid]:
    """The opening's bids as everyone attending sees them (withdrawn and replaced ones left out)."""
    if not bids_closed(project):
        return Bid.objects.none()
    return (
        Bid.objects.filter(project=project)
        .exclude(status__in=(BidStatus.REPLACED, BidStatus.WITHDRAWN))
        .select_related("lot", "bidder")
        .order_by("lot__number", "submitted_at")
    )


def bids_of_bidder(user: User, project: TradingProject) -> QuerySet[Bid]:
    return (
        Bid.objects.filter(project=project, bidder=user)
        .select_related("lot")
        .prefetch_related("receipts")
        .order_by("-submitted_at")
    )


def bid_of_bidder(user: User, bid_id: int) -> Bid:
    bid = Bid.objects.filter(pk=bid_id, bidder=user).select_related("project", "lot").first()
    if bid is None:
        raise NotFound(_("You have no bid with this number."), code="not_found")
    return bid


def platform_keys() -> QuerySet[PlatformKey]:
    """The public halves that verify receipts, closings and opening records (private halves never leave)."""
    return PlatformKey.objects.select_related("region").only(
        "region__code", "region__name", "public_key", "fingerprint", "created_at", "retired_at"
    )


def custodians_named(usernames: list[str]) -> list[User]:
    """The accounts among ``usernames`` (the service checks that each has a live custodian key)."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(username__in=[name[:150] for name in usernames]))


def keys_of(user: User) -> QuerySet[PartyKey]:
    return PartyKey.objects.filter(owner=user).order_by("purpose", "-created_at")


def bidder_key(user: User) -> PartyKey | None:
    return PartyKey.objects.filter(owner=user, purpose=KeyPurpose.BIDDER, revoked_at__isnull=True).first()


def is_custodian(user: User, project: TradingProject) -> bool:
    return KeyShare.objects.filter(opening_key__project=project, custodian=user).exists()


def custodian_candidates() -> QuerySet[PartyKey]:
    """Accounts with a live custodian key, to be named on a project's opening key."""
    return (
        PartyKey.objects.filter(purpose=KeyPurpose.CUSTODIAN, revoked_at__isnull=True)
        .select_related("owner")
        .order_by("owner__full_name", "owner__username")
    )


def bid_for_scoring(bid_id: int) -> Bid:
    bid = Bid.objects.filter(pk=bid_id).select_related("project", "lot").first()
    if bid is None:
        raise NotFound(_("No bid has this number."), code="not_found")
    return bid
