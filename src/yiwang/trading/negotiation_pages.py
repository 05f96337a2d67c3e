"""What the pages show of the non-tender procurement methods (docs/trading.md §4a): read from the
selectors for the public project page (the supplier's own rounds, quotes and minutes) and the centre's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from yiwang.trading import rules, selectors
from yiwang.trading.models import ProjectStatus, QuoteStatus, SingleSourceGround, TradingProject
from yiwang.trading.procedures import procedure_of
from yiwang.trading.services.negotiation import QUOTE_MAX_BYTES

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def negotiation_context(user: User | None, project: TradingProject) -> dict[str, Any]:
    """What the public project page shows of the method: the single-source publicity (public), and to a
    supplier in a negotiating procedure its rounds, its quotes and its own minutes."""
    context: dict[str, Any] = {"single_source": selectors.single_source_of(project)}
    publicity = context["single_source"]
    context["single_source_running"] = (
        publicity is not None and project.status == ProjectStatus.DRAFT and timezone.now() <= publicity.ends_at
    )
    if user is None or not procedure_of(project.method).final_quote:
        return context
    bids = selectors.quoting_bids_of(user, project)
    if not bids:
        return context
    now = timezone.now()
    rounds = selectors.quote_rounds_of(project)
    current = next((r for r in rounds if r.concluded_at is None), None)
    mine = {q.bid_id: q for r in rounds for q in r.quotes.all() if r is current}
    context.update(
        {
            "quoting_bids": bids,
            "quote_rounds": rounds,
            "current_round": current,
            "my_quotes": [mine[b.pk] for b in bids if b.pk in mine],
            "my_last_quotes": [
                q for r in rounds if r.concluded_at is not None for q in r.quotes.all() if q.bid.bidder_id == user.pk
            ],
            "quoting_now": current is not None and now < current.deadline,
            "opening_now": current is not None
            and current.deadline <= now <= current.deadline + rules.DECRYPTION_WINDOW,
            "my_minutes": list(selectors.negotiations_for(user, project)),
            "quote_max_kb": QUOTE_MAX_BYTES // 1024,
        }
    )
    return context


def staff_negotiation_context(user: User, project: TradingProject) -> dict[str, Any]:
    procedure = procedure_of(project.method)
    return {
        "procedure": procedure,
        "single_source": selectors.single_source_of(project),
        "grounds": SingleSourceGround.choices,
        "quote_rounds": selectors.quote_rounds_of(project) if procedure.final_quote else [],
        "round_open": selectors.quote_round_open(project) if procedure.final_quote else None,
        "negotiations": list(selectors.negotiations_for(user, project)) if procedure.final_quote else [],
        "quote_statuses": QuoteStatus,
        "decryption_window_minutes": int(rules.DECRYPTION_WINDOW.total_seconds() // 60),
    }
