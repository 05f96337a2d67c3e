"""The negotiating methods (docs/trading.md §4a): single sources, negotiations and rounds of final quotes."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import can
from yiwang.accounts.roles import Role
from yiwang.core.errors import NotFound
from yiwang.trading.models import (
    Bid,
    BidStatus,
    DrawPick,
    FinalQuote,
    NegotiationRecord,
    PickStatus,
    ProjectKind,
    ProjectStatus,
    QuoteRound,
    QuoteStatus,
    SingleSourcePublicity,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of
from yiwang.trading.selectors.projects import supervises

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def result_challengeable(project: TradingProject) -> bool:
    """A procurement's result may be challenged for 7 working days after its announcement (政府采购法 §52)."""
    from yiwang.trading import rules

    announced = project.awarded_at
    return (
        project.kind == ProjectKind.PROCUREMENT
        and project.publicity_from is None
        and announced is not None
        and project.status in (ProjectStatus.AWARDED, ProjectStatus.CONTRACTED)
        and timezone.now() <= rules.working_days_after(announced, rules.CHALLENGE_WORKING_DAYS)
    )


def single_source_of(project: TradingProject) -> SingleSourcePublicity | None:
    return SingleSourcePublicity.objects.filter(project=project).select_related("supplier").first()


def quote_round_open(project: TradingProject) -> QuoteRound | None:
    """The round of final quotes under way (at most one: ``trading_one_open_round``)."""
    return QuoteRound.objects.filter(project=project, concluded_at__isnull=True).first()


def quote_rounds_of(project: TradingProject) -> list[QuoteRound]:
    return list(QuoteRound.objects.filter(project=project).prefetch_related("quotes__bid__bidder", "quotes__bid__lot"))


def _reads_every_negotiation(user: User, project: TradingProject) -> bool:
    if can(user, {Role.TRADING_OFFICER}, region=project.region) or supervises(user, project):
        return True
    return DrawPick.objects.filter(draw__project=project, status=PickStatus.CONFIRMED, expert__user=user).exists()


def negotiations_for(user: User | None, project: TradingProject) -> QuerySet[NegotiationRecord]:
    """政府采购法 §38(4): what was said with one supplier is read by that supplier, the panel, the centre
    and the supervisor — never by the other suppliers or the public."""
    records = NegotiationRecord.objects.filter(project=project).select_related("bid__bidder", "bid__lot")
    if user is None:
        return records.none()
    if _reads_every_negotiation(user, project):
        return records
    return records.filter(bid__bidder=user)


def quote_rounds_for(user: User, project: TradingProject) -> list[QuoteRound]:
    """The rounds with what changed in the negotiation (their notes): for the suppliers still in the
    procedure and those who read every negotiation, nobody else (政府采购法 §38(4))."""
    if _reads_every_negotiation(user, project) or quoting_bids_of(user, project):
        return quote_rounds_of(project)
    return []


def final_quote_of_bidder(user: User, quote_id: int) -> FinalQuote:
    quote = FinalQuote.objects.filter(pk=quote_id, bid__bidder=user).select_related("round", "bid").first()
    if quote is None:
        raise NotFound(_("You have no final quote with this number."), code="not_found")
    return quote


def quoting_bids_of(user: User, project: TradingProject) -> list[Bid]:
    """The supplier's opened responses that may still quote (lots not failed)."""
    return list(
        Bid.objects.filter(project=project, bidder=user, status=BidStatus.OPENED, lot__failed=False).select_related(
            "lot"
        )
    )


def final_prices(project: TradingProject) -> dict[int, Decimal] | None:
    """The evaluated price of each bid in the last concluded round (bid pk → price); None when the
    method takes no final quotes."""
    if not procedure_of(project.method).final_quote:
        return None
    last = QuoteRound.objects.filter(project=project, concluded_at__isnull=False).order_by("-number").first()
    if last is None:
        return {}
    opened = FinalQuote.objects.filter(round=last, status=QuoteStatus.OPENED).values_list("bid_id", "price")
    return {bid: price for bid, price in opened if price is not None}
