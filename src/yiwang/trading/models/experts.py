"""The expert pool and the draw (docs/trading.md §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.personal_data import EncryptedCharField
from yiwang.trading.choices import (
    ExclusionReason,
    PickStatus,
    RelationKind,
    Specialty,
)
from yiwang.trading.models.project import TradingProject


class Expert(models.Model):
    """评标专家 in the pool (一库): an account with the expert role, its specialties, employer and region."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    specialties = models.JSONField(_("specialties"), default=list)
    employer = models.CharField(_("employer"), max_length=200)
    employer_credit_code = models.CharField(_("employer's credit code"), max_length=18, blank=True)
    region = models.ForeignKey("organisation.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    phone = EncryptedCharField(_("mobile phone"), blank=True, default="")
    available = models.BooleanField(_("available"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("expert")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.pk} {self.name}"


class ExpertRelation(models.Model):
    """A declared tie to a company (by credit code) that requires recusal while it lasts."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("kind"), max_length=16, choices=RelationKind.choices)
    credit_code = models.CharField(_("company's credit code"), max_length=18)
    note = models.CharField(_("note"), max_length=200, blank=True)
    until = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("declared relation")

    def __str__(self) -> str:
        return f"{self.expert_id} {self.kind} {self.credit_code}"


class ExpertSanction(models.Model):
    """A sanction for bidding offences (招标投标法实施条例 §72): excluded from draws until it ends."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="sanctions")
    reason = models.CharField(_("reason"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sanction")

    def __str__(self) -> str:
        return f"{self.expert_id} {self.starts_on}"


class Draw(models.Model):
    """随机抽取 of a project's experts, verifiable: the pool snapshot's digest, the exclusions' digest and
    the seed are fixed before any pick (docs/trading.md §6)."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="draws")
    specialty = models.CharField(_("specialty"), max_length=16, choices=Specialty.choices)
    count = models.PositiveSmallIntegerField(_("experts"))
    representatives = models.PositiveSmallIntegerField(_("tenderer's representatives"), default=0)
    pool = models.JSONField(_("pool snapshot (expert ids)"), default=list)
    pool_digest = models.CharField(_("pool digest (SM3)"), max_length=64)
    exclusions_digest = models.CharField(_("exclusions digest (SM3)"), max_length=64)
    seed = models.CharField(_("seed (SM3)"), max_length=64)
    # A secret mixed into the seed, committed (SM3) at the draw and revealed when the evaluation starts:
    # until then nobody — the centre's staff included — can recompute who was picked.
    salt = EncryptedCharField(_("salt"), default="")
    salt_commitment = models.CharField(_("salt commitment (SM3)"), max_length=64, default="")
    drawn_at = models.DateTimeField(_("drawn at"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    names_released_at = models.DateTimeField(_("names released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert draw")
        ordering = ["project", "drawn_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.specialty} ×{self.count}"


class DrawExclusion(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="exclusions")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=ExclusionReason.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("recusal")
        constraints = [models.UniqueConstraint(fields=["draw", "expert"], name="trading_one_exclusion")]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.expert_id} {self.reason}"


class DrawPick(models.Model):
    """One expert picked, in the ranking's order: notified by SMS, confirmed or declined; a decline
    is replaced by the next in the same ranking."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="picks")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="picks")
    rank = models.PositiveIntegerField(_("rank"))
    status = models.CharField(_("status"), max_length=16, choices=PickStatus.choices, default=PickStatus.NOTIFIED)
    token_digest = models.CharField(max_length=64, unique=True)
    notified_at = models.DateTimeField(_("notified at"))
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("drawn expert")
        ordering = ["draw", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "rank"], name="trading_pick_rank"),
            models.UniqueConstraint(fields=["draw", "expert"], name="trading_pick_once"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}#{self.rank} {self.status}"
