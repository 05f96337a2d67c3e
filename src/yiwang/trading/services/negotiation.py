"""The negotiating methods after the opening (docs/trading.md §4a): 竞争性谈判, 竞争性磋商 and 单一来源.

The panel negotiates with each supplier apart (政府采购法 §38(4)); what was said is recorded for that
supplier alone. The centre then calls a round of final quotes (最后报价, §38(5)), saying in writing what
changed (the round's note goes to every supplier in it). Each supplier seals its quote on its own machine
exactly as it sealed its response (``yiwang-seal seal`` with the price and no files), so the platform
cannot read a quote before the round's deadline any more than a bid before the opening; after the
deadline each supplier opens its own quote with its content key within the decryption window. A quote
not opened by then lapses: the supplier has left that round. The report ranks the last round's quotes.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.crypto import sm2_key_pair, sm3_hex
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.fields import text_problems
from yiwang.core.ratelimit import over_limit
from yiwang.trading import rules
from yiwang.trading.envelope import EnvelopeError, bid_unpack, envelope_open, envelope_parse, envelope_verify
from yiwang.trading.models import (
    Bid,
    BidStatus,
    DrawPick,
    FinalQuote,
    NegotiationRecord,
    PickStatus,
    ProjectStatus,
    QuoteRound,
    QuoteStatus,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of
from yiwang.trading.selectors import quote_round_open as open_round
from yiwang.trading.services._common import event_record, operator_authorize, project_locked
from yiwang.trading.services.bidding import _envelope_refused, bidder_key_of
from yiwang.trading.workflow import PROJECT, QUOTE

if TYPE_CHECKING:
    from yiwang.accounts.models import User

logger = logging.getLogger(__name__)

QUOTE_MAX_BYTES = 64 * 1024  # a price and a few figures; no files
QUOTE_PLAIN_MAX = 256 * 1024
LONGEST_ROUND = timedelta(days=30)
SHORTEST_ROUND = timedelta(minutes=10)
DECRYPT_TRIES_PER_MINUTE = 10
_HEX_KEY = frozenset("0123456789abcdef")


def _negotiating(project: TradingProject) -> None:
    if not procedure_of(project.method).final_quote:
        raise Conflict(_("This method takes no final quotes."), code="no_final_quotes")
    if project.status != ProjectStatus.EVALUATING:
        raise Conflict(_("Negotiation happens during the evaluation."), code="project_status")


def _panel_or_operator(actor: User, project: TradingProject) -> None:
    """A member of the panel, or the centre's operator recording for it."""
    member = DrawPick.objects.filter(draw__project=project, status=PickStatus.CONFIRMED, expert__user=actor)
    if not member.exists():
        operator_authorize(actor, project)


def _live_bid(bid: Bid) -> Bid:
    bid = Bid.objects.select_related("lot", "bidder", "project").get(pk=bid.pk)
    if bid.status != BidStatus.OPENED or bid.lot.failed:
        raise Conflict(_("Only a supplier whose response was opened negotiates."), code="bid_status")
    return bid


@transaction.atomic
def negotiation_record(*, actor: User, bid: Bid, minutes: str) -> NegotiationRecord:
    """The minutes of the panel's negotiation with one supplier (政府采购法 §38(4)): the other suppliers
    never read them."""
    raise_problems(text_problems(minutes, "minutes", max_length=20_000, required=True, multiline=True))
    project = project_locked(bid.project)
    _panel_or_operator(actor, project)
    _negotiating(project)
    bid = _live_bid(bid)
    record = NegotiationRecord.objects.create(project=project, bid=bid, minutes=minutes.strip(), recorded_by=actor)
    event_record(project, "negotiate", actor=actor, before=project.status)
    audit_record(actor=actor, action="trading.negotiation_record", target=bid, changes={"record": record.pk})
    return record


@transaction.atomic
def quote_round_call(*, actor: User, project: TradingProject, deadline: datetime, note: str) -> QuoteRound:
    """最后报价: every supplier still in the procedure is asked for a sealed final quote by ``deadline``;
    the note says in writing what the negotiation changed (政府采购法 §38(4))."""
    operator_authorize(actor, project)
    project = project_locked(project)
    _negotiating(project)
    PROJECT.require(project.status, "quote_call")
    raise_problems(text_problems(note, "note", max_length=5000, multiline=True))
    if timezone.is_naive(deadline):
        raise ValidationFailed(_("The deadline needs its time zone."), code="invalid")
    now = timezone.now()
    if not now + SHORTEST_ROUND <= deadline <= now + LONGEST_ROUND:
        raise_problems([("deadline", _("The final quotes are due between 10 minutes and 30 days from now."))])
    if open_round(project) is not None:
        raise Conflict(_("A round of final quotes is under way."), code="round_open")
    number = (QuoteRound.objects.filter(project=project).count()) + 1
    if number > 1 and not note.strip():
        raise_problems([("note", _("Say why the panel asks for final quotes again."))])
    private, public = sm2_key_pair()
    del private  # never stored: no one can open the round key's copy of a content key
    quote_round = QuoteRound.objects.create(
        project=project,
        number=number,
        deadline=deadline.replace(microsecond=0),
        note=note.strip(),
        called_by=actor,
        public_key=public,
    )
    event_record(project, "quote_call", actor=actor, before=project.status, note=f"#{number}")
    audit_record(
        actor=actor,
        action="trading.quote_round_call",
        target=project,
        changes={"round": number, "deadline": quote_round.deadline.isoformat()},
    )
    return quote_round


def final_quote_submit(*, actor: User, bid: Bid, data: bytes) -> FinalQuote:
    """A supplier's sealed final quote for the open round; given again before the deadline, it replaces
    the earlier one. The envelope is checked as a bid's is: this project and lot, this supplier's key,
    the project's opening key, the supplier's signature."""
    if bid.bidder_id != actor.pk:
        raise PermissionDenied(_("Only the supplier gives its final quote."), code="not_your_bid")
    key = bidder_key_of(actor)
    bid = _live_bid(bid)
    project = bid.project
    _negotiating(project)
    quote_round = open_round(project)
    if quote_round is None or timezone.now() >= quote_round.deadline:
        raise Conflict(_("No round of final quotes is open."), code="round_closed")
    try:
        envelope = envelope_parse(data, max_bytes=QUOTE_MAX_BYTES)
        envelope_verify(
            envelope,
            project=project.code,
            lot=bid.lot.number,
            bidder=str(actor.credit_code),
            bidder_public_key=key.public_key,
            opening_public_key=quote_round.public_key,
        )
    except EnvelopeError as error:
        raise _envelope_refused(error) from None
    digest = sm3_hex(data)
    name = default_storage.save(
        f"trading/quotes/{project.code}/{quote_round.number}-{digest}.ywseal", ContentFile(data)
    )
    try:
        return _quote_store(actor, bid, quote_round, key.pk, name, digest, len(data))
    except BaseException:
        default_storage.delete(name)
        raise


@transaction.atomic
def _quote_store(
    actor: User, bid: Bid, quote_round: QuoteRound, key_id: int, name: str, digest: str, size: int
) -> FinalQuote:
    project_locked(bid.project)
    quote_round = QuoteRound.objects.select_for_update().get(pk=quote_round.pk)
    now = timezone.now()
    if quote_round.concluded_at is not None or now >= quote_round.deadline:
        raise Conflict(_("The round's deadline has passed."), code="round_closed")
    quote = FinalQuote.objects.select_for_update().filter(round=quote_round, bid=bid).first()
    replaced = ""
    if quote is None:
        quote = FinalQuote(round=quote_round, bid=bid)
    else:
        QUOTE.require(quote.status, "replace")
        replaced = quote.envelope_sm3
    quote.bidder_key_id, quote.envelope_sm3, quote.size, quote.submitted_at = key_id, digest, size, now
    quote.envelope.name = name
    quote.save()
    audit_record(
        actor=actor,
        action="trading.final_quote_submit",
        target=bid,
        changes={"round": quote_round.number, "sm3": digest, "replaced": replaced},
    )
    return quote


def final_quote_decrypt(*, actor: User, quote: FinalQuote, content_key: str) -> FinalQuote:
    """The supplier opens its own quote after the round's deadline, within the decryption window, with
    the content key ``yiwang-seal unwrap`` gives it; a wrong key may be given again until then."""
    quote = FinalQuote.objects.select_related("round__project__opening_key", "bid__lot", "bidder_key").get(pk=quote.pk)
    if quote.bid.bidder_id != actor.pk:
        raise PermissionDenied(_("Only the supplier opens its final quote."), code="not_your_bid")
    key = content_key.strip().lower()
    if len(key) != 32 or not set(key) <= _HEX_KEY:
        raise ValidationFailed(_("The content key is 32 hexadecimal digits."), code="bad_content_key")
    _window_check(quote.round, timezone.now())
    QUOTE.require(quote.status, "decrypt")
    if over_limit(f"trading:quote:{quote.pk}", DECRYPT_TRIES_PER_MINUTE, 60):
        raise Conflict(_("Too many keys tried for this quote: wait a minute and try again."), code="too_many_attempts")
    try:
        with quote.envelope.open("rb") as stored:
            data = bytes(stored.read(quote.size + 1))
    except OSError:
        data = b""
    if len(data) != quote.size or sm3_hex(data) != quote.envelope_sm3:
        logger.error("stored final quote %s does not match its digest", quote.pk)
        raise Conflict(_("The stored quote does not match its receipt: a platform fault."), code="stored_quote_broken")
    try:
        envelope = envelope_parse(data, max_bytes=QUOTE_MAX_BYTES)
        offer = bid_unpack(envelope_open(envelope, bytes.fromhex(key)), max_total=QUOTE_PLAIN_MAX)
    except EnvelopeError:
        raise ValidationFailed(
            _("This key does not open the quote. Unwrap it again with your own key and retry before the window ends."),
            code="wrong_key",
        ) from None
    if offer.price <= 0:
        raise ValidationFailed(_("The quote names no price above zero."), code="bad_price")
    return _quote_opened(actor, quote, offer.price)


def _window_check(quote_round: QuoteRound, now: datetime) -> None:
    if now < quote_round.deadline:
        raise Conflict(_("The quotes are opened after the round's deadline."), code="round_running")
    if quote_round.concluded_at is not None or now > quote_round.deadline + rules.DECRYPTION_WINDOW:
        raise Conflict(_("The decryption window has ended."), code="window_ended")


@transaction.atomic
def _quote_opened(actor: User, quote: FinalQuote, price: Decimal) -> FinalQuote:
    project = project_locked(quote.round.project)
    quote = FinalQuote.objects.select_for_update().select_related("round").get(pk=quote.pk)
    now = timezone.now()
    _window_check(quote.round, now)
    quote.status = QUOTE.target(quote.status, "decrypt")
    quote.price, quote.opened_at = price, now
    quote.save(update_fields=["status", "price", "opened_at"])
    audit_record(
        actor=actor, action="trading.final_quote_decrypt", target=quote.bid, changes={"round": quote.round.number}
    )
    event_record(project, "decrypt", actor=actor, before=project.status, note=actor.get_full_name())
    return quote


@transaction.atomic
def quote_round_conclude(*, actor: User, project: TradingProject) -> QuoteRound:
    """The round ends once every quote is opened or the window is over: unopened quotes lapse, and the
    suppliers who gave none have left the round."""
    operator_authorize(actor, project)
    project = project_locked(project)
    _negotiating(project)
    PROJECT.require(project.status, "quote_conclude")
    quote_round = open_round(project)
    if quote_round is None:
        raise Conflict(_("No round of final quotes is open."), code="round_closed")
    quote_round = QuoteRound.objects.select_for_update().get(pk=quote_round.pk)
    now = timezone.now()
    quotes = list(FinalQuote.objects.select_for_update().filter(round=quote_round))
    sealed = [q for q in quotes if q.status == QuoteStatus.SUBMITTED]
    if now < quote_round.deadline or (sealed and now <= quote_round.deadline + rules.DECRYPTION_WINDOW):
        raise Conflict(
            _("The round ends after its deadline, once every quote is opened or the decryption window is over."),
            code="round_running",
        )
    for quote in sealed:
        quote.status = QUOTE.target(quote.status, "lapse")
        quote.save(update_fields=["status"])
    quote_round.concluded_at = now
    quote_round.save(update_fields=["concluded_at"])
    opened = len(quotes) - len(sealed)
    event_record(project, "quote_conclude", actor=actor, before=project.status, note=f"#{quote_round.number}: {opened}")
    audit_record(
        actor=actor,
        action="trading.quote_round_conclude",
        target=project,
        changes={"round": quote_round.number, "opened": opened, "lapsed": len(sealed)},
    )
    return quote_round
