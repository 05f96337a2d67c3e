"""The project, its lots, documents, keys, journal and objections (docs/trading.md §2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.personal_data import EncryptedCharField
from yiwang.trading.choices import (
    EVENT_LABELS,
    DocumentKind,
    EvaluationMethod,
    KeyPurpose,
    ObjectionSubject,
    ProjectKind,
    ProjectStatus,
    TradingMethod,
)


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
    published_at = models.DateTimeField(_("notice published at"), null=True, blank=True)
    report = models.TextField(_("evaluation report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    publicity_from = models.DateTimeField(_("candidates published at"), null=True, blank=True)
    publicity_until = models.DateTimeField(_("publicity ends"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("report delivered to the purchaser at"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("award notice issued at"), null=True, blank=True)
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    # 责令暂停 by the supervisor while a complaint is handled (招标投标法实施条例 §62; 政府采购法 §57: at
    # most 30 days for procurement, when ``suspended_until`` is set).
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspension_used = models.DurationField(_("time suspended before"), default=timedelta(0))
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

    def suspended(self, now: datetime | None = None) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or (now or timezone.now()) < self.suspended_until


class Lot(models.Model):
    """标段 / 包: what is bid for; a project has one or more."""

    project = models.ForeignKey(TradingProject, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("lot number"))
    title = models.CharField(_("title"), max_length=200)
    estimate = models.DecimalField(_("estimate (yuan)"), max_digits=16, decimal_places=2)
    bid_security = models.DecimalField(_("bid security (yuan)"), default=0, max_digits=16, decimal_places=2)
    failed = models.BooleanField(_("failed (too few bids)"), default=False)

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


class PlatformKey(models.Model):
    """The trading centre's SM2 signing key of a region: signs receipts, the closing and the opening
    record. The private half is encrypted at rest (core.personal_data)."""

    region = models.ForeignKey("organisation.Region", on_delete=models.PROTECT, related_name="+")
    public_key = models.CharField(_("SM2 public key"), max_length=128)
    fingerprint = models.CharField(_("fingerprint (SM3)"), max_length=64, unique=True)
    private_key = EncryptedCharField(_("private key"))
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("platform key")
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(retired_at__isnull=True), name="trading_one_live_platform_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.fingerprint[:16]}"


class TenderDocument(models.Model):
    """One published version of the documents: the documents with the notice, then each clarification
    or amendment (TBL §23). ``sm3`` is the digest of exactly what was published (text and file)."""

    project = models.ForeignKey(TradingProject, on_delete=models.CASCADE, related_name="documents")
    version = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    file = models.FileField(_("file"), upload_to="trading/documents/%Y/", blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    sm3 = models.CharField(_("digest (SM3)"), max_length=64)
    affects_bids = models.BooleanField(_("affects the preparation of bids"), default=False)
    deadline_before = models.DateTimeField(null=True, blank=True)
    deadline_after = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("tender document version")
        ordering = ["project", "version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="trading_document_version")]

    def __str__(self) -> str:
        return f"{self.project_id} v{self.version} {self.kind}"


class ProjectEvent(models.Model):
    """Every step of a project, in order: what the opening page shows live and the supervisor reads."""

    project = models.ForeignKey(TradingProject, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("project event")
        ordering = ["project", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.action}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


class Objection(models.Model):
    """异议 to the tenderer (招标投标法实施条例 §22): raised up to 10 days before the deadline, answered
    within 3 days; the tender is paused until every objection is answered."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="objections")
    subject = models.CharField(_("subject"), max_length=16, choices=ObjectionSubject.choices)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    answer_due = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        ordering = ["project", "raised_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.subject} {self.raised_at:%Y-%m-%d}"


class OcdsRelease(models.Model):
    """An OCDS release as published at its step (docs/trading.md §7): frozen, never rebuilt."""

    project = models.ForeignKey(TradingProject, on_delete=models.CASCADE, related_name="ocds_releases")
    event = models.OneToOneField(ProjectEvent, on_delete=models.CASCADE, related_name="+")
    release_id = models.CharField(max_length=120, unique=True)
    data = models.JSONField()

    class Meta:
        verbose_name = _("OCDS release")
        ordering = ["project", "event"]

    def __str__(self) -> str:
        return self.release_id


class Invitation(models.Model):
    """投标邀请 of an invited tender (邀请招标): at least three companies (招标投标法 §17), in government
    procurement drawn at random from the qualified suppliers (政府采购法 §34); only they may bid."""

    project = models.ForeignKey(TradingProject, on_delete=models.CASCADE, related_name="invitations")
    company = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))  # the order of the draw, or as named
    drawn = models.BooleanField(_("drawn at random"), default=False)
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        ordering = ["project", "rank"]
        constraints = [models.UniqueConstraint(fields=["project", "company"], name="trading_invited_once")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.company_id}"
