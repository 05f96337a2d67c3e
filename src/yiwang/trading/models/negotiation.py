"""The non-tender procurement methods' own records (docs/trading.md §4a): the single-source publicity,
the panel's separate negotiation with each supplier, and the rounds of sealed final quotes (最后报价)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.trading.choices import QuoteStatus, SingleSourceGround
from yiwang.trading.models.bids import Bid
from yiwang.trading.models.project import PartyKey, TradingProject


class SingleSourcePublicity(models.Model):
    """单一来源公示 (政府采购法实施条例 §38): the project, the one supplier and why, published for at least
    five working days before the procurement goes ahead."""

    project = models.OneToOneField(TradingProject, on_delete=models.PROTECT, related_name="single_source")
    supplier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(_("ground"), max_length=16, choices=SingleSourceGround.choices)
    reason = models.TextField(_("reasons and the experts' opinion"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    ends_at = models.DateTimeField(_("publicity ends"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("single-source publicity")

    def __str__(self) -> str:
        return f"{self.project_id} → {self.supplier_id}"


class NegotiationRecord(models.Model):
    """What the panel and one supplier said in their negotiation (政府采购法 §38(4)): read by that supplier,
    the panel, the centre and the supervisor — never by the other suppliers."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="negotiations")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="negotiations")
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("negotiation record")
        ordering = ["project", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.bid_id} {self.recorded_at:%Y-%m-%d}"


class QuoteRound(models.Model):
    """A call for final quotes (最后报价): each supplier still in the procedure seals one price before the
    deadline, and opens it with its own key after (docs/trading.md §4a)."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="quote_rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    deadline = models.DateTimeField(_("deadline"))
    note = models.TextField(_("what the round asks"), blank=True)
    # The round's own SM2 key, its private half discarded when it is made: a quote's content key is wrapped
    # to it only because the envelope format names a second recipient; no one can unwrap that copy, so
    # only the supplier opens its quote (not the project's opening key, which a platform fault may have
    # rebuilt on the server).
    public_key = models.CharField(_("round key (public)"), max_length=130)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField(_("called at"), default=timezone.now)
    concluded_at = models.DateTimeField(_("quotes opened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("final-quote round")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="trading_quote_round_number"),
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(concluded_at__isnull=True), name="trading_one_open_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} #{self.number}"


class FinalQuote(models.Model):
    """One supplier's sealed final quote of a round: the envelope as received (the same format as a bid,
    wrapped to the supplier's key), its price known only once the supplier opens it after the deadline."""

    round = models.ForeignKey(QuoteRound, on_delete=models.PROTECT, related_name="quotes")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="final_quotes")
    bidder_key = models.ForeignKey(PartyKey, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=QuoteStatus.choices, default=QuoteStatus.SUBMITTED)
    envelope = models.FileField(_("sealed envelope"), upload_to="trading/quotes/%Y/", max_length=200)
    envelope_sm3 = models.CharField(_("envelope digest (SM3)"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    submitted_at = models.DateTimeField(_("received at"))
    price = models.DecimalField(_("final quote (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("final quote")
        ordering = ["round", "submitted_at"]
        constraints = [models.UniqueConstraint(fields=["round", "bid"], name="trading_one_quote_per_round")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.bid_id} {self.status}"
