"""The trading context's tables (docs/trading.md §2). Money is yuan to the fen; times are aware."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.personal_data import EncryptedCharField
from yiwang.trading.choices import (
    EVENT_LABELS,
    BidStatus,
    CriterionKind,
    DocumentKind,
    EvaluationMethod,
    ExclusionReason,
    KeyPurpose,
    ObjectionSubject,
    PickStatus,
    ProjectKind,
    ProjectStatus,
    ReceiptAction,
    RelationKind,
    Specialty,
    TradingMethod,
)

__all__ = [
    "Bid",
    "BidClosing",
    "BidReceipt",
    "BidStatus",
    "Candidate",
    "Criterion",
    "CriterionKind",
    "DocumentKind",
    "Draw",
    "DrawExclusion",
    "DrawPick",
    "EvaluationMethod",
    "ExclusionReason",
    "Expert",
    "ExpertRelation",
    "ExpertSanction",
    "KeyPurpose",
    "KeyShare",
    "Lot",
    "Objection",
    "ObjectionSubject",
    "OpeningKey",
    "OpeningRecord",
    "PartyKey",
    "PickStatus",
    "PlatformKey",
    "ProjectCounter",
    "ProjectEvent",
    "ProjectKind",
    "ProjectStatus",
    "ReceiptAction",
    "RelationKind",
    "ReportSignature",
    "Score",
    "Specialty",
    "SupervisionAssignment",
    "TenderDocument",
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
    published_at = models.DateTimeField(_("notice published at"), null=True, blank=True)
    report = models.TextField(_("evaluation report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    publicity_from = models.DateTimeField(_("candidates published at"), null=True, blank=True)
    publicity_until = models.DateTimeField(_("publicity ends"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("award notice issued at"), null=True, blank=True)
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
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


class OpeningKey(models.Model):
    """The project's opening key: the public half seals every bid's second wrapping; the private half
    exists only as ``threshold`` of the shares, each encrypted to its custodian's key (docs/trading.md §5)."""

    project = models.OneToOneField(TradingProject, on_delete=models.CASCADE, related_name="opening_key")
    public_key = models.CharField(_("SM2 public key"), max_length=128)
    fingerprint = models.CharField(_("fingerprint (SM3)"), max_length=64, unique=True)
    threshold = models.PositiveSmallIntegerField(_("shares needed"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("opening key")

    def __str__(self) -> str:
        return f"{self.project_id} {self.fingerprint[:16]}"


class KeyShare(models.Model):
    """One share of an opening key, SM2-encrypted to its custodian's registered key."""

    opening_key = models.ForeignKey(OpeningKey, on_delete=models.CASCADE, related_name="shares")
    index = models.PositiveSmallIntegerField()
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    custodian_key = models.ForeignKey(PartyKey, on_delete=models.PROTECT, related_name="+")
    encrypted = models.TextField(_("encrypted share (hex)"))
    # SM3(index ‖ share), fixed when the key is split: a given share is checked on its own.
    commitment = models.CharField(_("share commitment (SM3)"), max_length=64)
    # Given only after a platform fault at the opening, kept (encrypted) until k are in, then wiped.
    submitted = EncryptedCharField(_("submitted share"), blank=True, default="")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening-key share")
        ordering = ["opening_key", "index"]
        constraints = [
            models.UniqueConstraint(fields=["opening_key", "index"], name="trading_share_index"),
            models.UniqueConstraint(fields=["opening_key", "custodian"], name="trading_share_custodian"),
        ]

    def __str__(self) -> str:
        return f"{self.opening_key_id}#{self.index}"


class Bid(models.Model):
    """A sealed bid as it came (the envelope file); its price is known only after the opening."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="bids")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    bidder_key = models.ForeignKey(PartyKey, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=BidStatus.choices, default=BidStatus.SUBMITTED)
    envelope = models.FileField(_("sealed envelope"), upload_to="trading/bids/%Y/", max_length=200)
    ciphertext_sm3 = models.CharField(_("ciphertext digest (SM3)"), max_length=64)
    envelope_sm3 = models.CharField(_("envelope digest (SM3)"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    submitted_at = models.DateTimeField(_("received at"))
    source_address = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    device = models.CharField(_("device digest"), max_length=64, blank=True)
    price = models.DecimalField(_("price (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    figures = models.JSONField(_("offered figures"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opening_note = models.CharField(_("opening note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bid")
        ordering = ["project", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "bidder"], condition=Q(status=BidStatus.SUBMITTED), name="trading_one_live_bid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.lot_id} {self.bidder_id} {self.status}"


class BidReceipt(models.Model):
    """What the platform signed when a bid came, was replaced or withdrawn: append-only, numbered per
    project; the closing's Merkle tree is over these, in sequence order."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="receipts")
    sequence = models.PositiveIntegerField(_("sequence"))
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="receipts")
    action = models.CharField(_("action"), max_length=16, choices=ReceiptAction.choices)
    content = models.TextField(_("signed content"))
    signature = models.CharField(_("signature"), max_length=160)
    key = models.ForeignKey(PlatformKey, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("bid receipt")
        ordering = ["project", "sequence"]
        constraints = [models.UniqueConstraint(fields=["project", "sequence"], name="trading_receipt_sequence")]

    def __str__(self) -> str:
        return f"{self.project_id}#{self.sequence} {self.action}"


class BidClosing(models.Model):
    """The bids closed at the deadline: the Merkle root of every receipt, signed and published."""

    project = models.OneToOneField(TradingProject, on_delete=models.PROTECT, related_name="closing")
    receipts = models.PositiveIntegerField(_("receipts"))
    live_bids = models.PositiveIntegerField(_("bids"))
    root = models.CharField(_("Merkle root (SM3)"), max_length=64)
    content = models.TextField(_("signed content"))
    signature = models.CharField(_("signature"), max_length=160)
    key = models.ForeignKey(PlatformKey, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"))

    class Meta:
        verbose_name = _("bid closing")

    def __str__(self) -> str:
        return f"{self.project_id} {self.root[:16]}"


class OpeningRecord(models.Model):
    """开标记录: the opening's window and, once concluded, what each bid offered, signed and published."""

    project = models.OneToOneField(TradingProject, on_delete=models.PROTECT, related_name="opening")
    started_at = models.DateTimeField(_("opening started at"))
    window_ends = models.DateTimeField(_("decryption window ends"))
    platform_fault = models.BooleanField(_("platform fault recorded"), default=False)
    platform_fault_note = models.CharField(_("platform fault"), max_length=500, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    content = models.TextField(_("signed content"), blank=True)
    signature = models.CharField(_("signature"), max_length=160, blank=True)
    key = models.ForeignKey(PlatformKey, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("opening record")

    def __str__(self) -> str:
        return f"{self.project_id} opening"


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
    awarded = models.BooleanField(_("awarded"), default=False)

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
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report signature")
        constraints = [models.UniqueConstraint(fields=["project", "pick"], name="trading_one_signature")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.pick_id}"
