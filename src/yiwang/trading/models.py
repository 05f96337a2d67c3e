"""The trading context's tables (docs/trading.md §2). Money is yuan to the fen; times are aware."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.trading.choices import EvaluationMethod, KeyPurpose, ProjectKind, ProjectStatus, TradingMethod

__all__ = [
    "EvaluationMethod",
    "KeyPurpose",
    "Lot",
    "PartyKey",
    "ProjectCounter",
    "ProjectKind",
    "ProjectStatus",
    "SupervisionAssignment",
    "TradingMethod",
    "TradingProject",
]


class SupervisionAssignment(models.Model):
    """Which department supervises which kind of project in a region (管办分离: never the operator)."""

    region = models.ForeignKey("organisation.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=16, choices=ProjectKind.choices)
    department = models.ForeignKey(
        "organisation.Department", verbose_name=_("supervising department"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("supervision assignment")
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="trading_one_supervisor_per_kind")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.kind} → {self.department_id}"


class ProjectCounter(models.Model):
    """The last project serial of a region's year, drawn under its row lock."""

    region = models.ForeignKey("organisation.Region", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="trading_counter_per_year")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last}"


class TradingProject(models.Model):
    code = models.CharField(_("project code"), max_length=32, unique=True)
    region = models.ForeignKey("organisation.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=16, choices=ProjectKind.choices)
    method = models.CharField(_("method"), max_length=16, choices=TradingMethod.choices)
    evaluation_method = models.CharField(_("evaluation method"), max_length=16, choices=EvaluationMethod.choices)
    title = models.CharField(_("title"), max_length=200)
    tenderer_department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("tenderer (department)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    tenderer_company = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tenderer (company)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tendering agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    supervising_department = models.ForeignKey(
        "organisation.Department", verbose_name=_("supervising department"), on_delete=models.PROTECT, related_name="+"
    )
    budget = models.DecimalField(_("budget or estimate (yuan)"), max_digits=16, decimal_places=2)
    state_funded = models.BooleanField(_("state-funded"), default=False)
    qualification = models.TextField(_("qualification requirements"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    documents_from = models.DateField(_("documents issued from"), null=True, blank=True)
    documents_until = models.DateField(_("documents issued until"), null=True, blank=True)
    bid_deadline = models.DateTimeField(_("bid deadline"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("trading project")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tenderer_department__isnull=True) ^ Q(tenderer_company__isnull=True),
                name="trading_one_tenderer",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="trading_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Lot(models.Model):
    """标段 / 包: what is bid for; a project has one or more."""

    project = models.ForeignKey(TradingProject, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("lot number"))
    title = models.CharField(_("title"), max_length=200)
    estimate = models.DecimalField(_("estimate (yuan)"), max_digits=16, decimal_places=2)
    bid_security = models.DecimalField(_("bid security (yuan)"), default=0, max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("lot")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="trading_lot_number"),
            models.CheckConstraint(
                condition=Q(estimate__gte=0) & Q(bid_security__gte=0), name="trading_lot_amounts_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PartyKey(models.Model):
    """An account's registered SM2 public key: a bidder's (seals and opens its bids) or a custodian's
    (receives a share of opening keys). The private half never reaches the platform."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=16, choices=KeyPurpose.choices)
    public_key = models.CharField(_("SM2 public key"), max_length=128)
    fingerprint = models.CharField(_("fingerprint (SM3)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registered key")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "purpose"], condition=Q(revoked_at__isnull=True), name="trading_one_live_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.fingerprint[:16]}"
