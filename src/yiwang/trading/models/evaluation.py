"""Criteria, scores, candidates and the report's signatures (docs/trading.md §7)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.trading.choices import (
    CriterionKind,
)
from yiwang.trading.models.bids import Bid
from yiwang.trading.models.experts import DrawPick
from yiwang.trading.models.project import Lot, TradingProject


class Criterion(models.Model):
    """评分因素 of 综合评分法, published with the documents: a name, a kind and the most it scores. The
    price factor is computed (the lowest valid price scores full marks, others in proportion)."""

    project = models.ForeignKey(TradingProject, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=CriterionKind.choices)
    max_score = models.DecimalField(_("most points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("scoring criterion")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="trading_criterion_order")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.name} {self.max_score}"


class Score(models.Model):
    """One expert's score of one bid on one criterion, given on its own (the others' are not shown)."""

    pick = models.ForeignKey(DrawPick, on_delete=models.PROTECT, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    outlier = models.BooleanField(_("far from the committee's mean"), default=False)
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score")
        constraints = [
            models.UniqueConstraint(fields=["pick", "bid", "criterion"], name="trading_one_score"),
        ]

    def __str__(self) -> str:
        return f"{self.pick_id} {self.bid_id} {self.criterion_id}: {self.points}"


class Candidate(models.Model):
    """中标候选人 of the committee's report: at most three, ranked (招标投标法实施条例 §53)."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="candidates")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="candidates")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    total = models.DecimalField(_("total points"), max_digits=7, decimal_places=2, null=True, blank=True)
    # The price the report ranked: the bid's, or the last final quote where the method asks for one.
    price = models.DecimalField(_("evaluated price (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    awarded = models.BooleanField(_("awarded"), default=False)
    # Declined the award or refused the contract (招标投标法实施条例 §55, §74): passed over from then on.
    declined = models.BooleanField(_("declined"), default=False)

    class Meta:
        verbose_name = _("candidate")
        ordering = ["project", "lot", "rank"]
        constraints = [models.UniqueConstraint(fields=["lot", "rank"], name="trading_candidate_rank")]

    def __str__(self) -> str:
        return f"{self.lot_id}#{self.rank} {self.bid_id}"


class ReportSignature(models.Model):
    """A committee member's signature of the report (招标投标法实施条例 §53): its SM3 and when."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="report_signatures")
    pick = models.ForeignKey(DrawPick, on_delete=models.PROTECT, related_name="+")
    report_sm3 = models.CharField(max_length=64)
    dissent = models.TextField(_("dissent and its reasons"), blank=True)  # 招标投标法实施条例 §53
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report signature")
        constraints = [models.UniqueConstraint(fields=["project", "pick"], name="trading_one_signature")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.pick_id}"


class AwardRecord(models.Model):
    """The award as the platform signs it once every lot has its winner (中标/成交结果): the project, each
    lot's winner, credit code and evaluated price, the time — canonical JSON with the region's SM2
    signature, like the closing and the opening record. A voided award (招标投标法实施条例 §74) keeps its
    record, marked void; the next award signs a new one."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="award_records")
    content = models.TextField(_("signed content"))
    signature = models.CharField(_("signature"), max_length=160)
    key = models.ForeignKey("trading.PlatformKey", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("award record")
        ordering = ["project", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(voided_at__isnull=True), name="trading_one_live_award"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} award {self.signed_at:%Y-%m-%d}"


class Contract(models.Model):
    """A lot's contract with its winner (招标投标法 §46; 政府采购法 §46): for the winner's evaluated price,
    within 30 days of the award. A project of several lots has one per lot awarded."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="contracts")
    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="contract")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("contract amount (yuan)"), max_digits=16, decimal_places=2)
    signed_on = models.DateField(_("contract signed on"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    late = models.BooleanField(_("recorded late"), default=False)

    class Meta:
        verbose_name = _("contract")
        ordering = ["project", "lot"]

    def __str__(self) -> str:
        return f"{self.lot_id} {self.amount}"
