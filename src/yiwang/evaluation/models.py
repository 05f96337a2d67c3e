"""好差评 (evaluation.md): ratings of every service and channel, their remediation (差评整改) and
appeals (申诉复核). The responsible department, window, staff member and item are copied onto the
rating when it is given, so statistics never change with later reorganisations (docs/hall.md §3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServiceKind(models.TextChoices):
    CASE = "case", _("Case")
    VISIT = "visit", _("Window visit")
    TICKET = "ticket", pgettext_lazy("service", "12345 ticket")


class RatingChannel(models.TextChoices):
    WINDOW = "window", _("Rating device at the window")
    QR = "qr", _("QR code or link")
    ONLINE = "online", _("Online hall")
    HOTLINE = "hotline", _("Hotline follow-up")
    DEFAULT = "default", _("Default rating (no rating given)")


class Level(models.IntegerChoices):
    """GB/T 39734: five levels; the last two are 差评."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)

# The unified practice's dimensions: online services and services on site.
ONLINE_DIMENSIONS = {
    "overall": _("Overall satisfaction"),
    "efficiency": _("Efficiency"),
    "guide_accuracy": _("Accuracy of the guide"),
    "convenience": _("Convenience"),
    "usability": _("Ease of use of the platform"),
}
OFFLINE_DIMENSIONS = {
    "overall": _("Overall satisfaction"),
    "efficiency": _("Efficiency of service"),
    "competence": _("Competence"),
    "attitude": _("Attitude"),
}


class RatingStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REMOVED = "removed", _("Removed after appeal")


class Rating(models.Model):
    service_kind = models.CharField(_("service"), max_length=8, choices=ServiceKind.choices)
    service_ref = models.CharField(max_length=40, editable=False)  # "case:12", "visit:7", "ticket:3"
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey("hall.QueueTicket", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey("hotline.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    rater_key = models.CharField(max_length=80, editable=False)  # one rating per service per rater
    real_name = models.BooleanField(_("real name"), default=False)
    channel = models.CharField(_("channel"), max_length=8, choices=RatingChannel.choices)
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    scores = models.JSONField(_("dimensions"), default=dict, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    defaulted = models.BooleanField(_("defaulted"), default=False)
    department = models.ForeignKey(
        "organisation.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    region = models.ForeignKey("organisation.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(
        "organisation.Window", verbose_name=_("window"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    implementation = models.ForeignKey(
        "catalogue.ItemImplementation", verbose_name=_("item"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("rated at"))
    amended_at = models.DateTimeField(_("amended at"), null=True, blank=True)
    amendable_until = models.DateTimeField(_("amendable until"))
    status = models.CharField(_("status"), max_length=8, choices=RatingStatus.choices, default=RatingStatus.VALID)
    removed_reason = models.TextField(_("reason for removal"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["service_ref", "rater_key"], name="rating_once_per_service_and_rater"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="rating_created"),
            models.Index(fields=["department", "created_at"], name="rating_department"),
        ]

    def __str__(self) -> str:
        return f"{self.service_ref} {self.level}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class RemediationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Fix at once (立行立改)")
    DEADLINE = "deadline", _("Fix by a deadline (限期整改)")
    EXPLAIN = "explain", _("Explain: no legal basis (解释说明)")


class RemediationStatus(models.TextChoices):
    PENDING = "pending", _("To contact the rater")
    CONTACTED = "contacted", _("Contacted and verified")
    RECTIFYING = "rectifying", _("Being remedied")
    RESOLVED = "resolved", _("Remedied, return visit due")
    CLOSED = "closed", pgettext_lazy("remediation", "Closed")
    APPEALED = "appealed", _("Under appeal")
    REMOVED = "removed", _("Rating removed after appeal")


OPEN_REMEDIATION = (
    RemediationStatus.PENDING,
    RemediationStatus.CONTACTED,
    RemediationStatus.RECTIFYING,
    RemediationStatus.RESOLVED,
    RemediationStatus.APPEALED,
)


class Remediation(models.Model):
    """差评整改: one per 差评, handled by the department responsible (谁办理谁负责), with the centre's
    return visit; due times in working days from the settings."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="remediation")
    department = models.ForeignKey(
        "organisation.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    region = models.ForeignKey("organisation.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=RemediationStatus.choices, default=RemediationStatus.PENDING
    )
    mode = models.CharField(_("handling"), max_length=10, choices=RemediationMode.choices, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    contact_due = models.DateTimeField(_("contact due"))
    feedback_due = models.DateTimeField(_("feedback due"))
    fix_due = models.DateTimeField(_("remedy due"))
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True)
    contact_note = models.TextField(_("contact and verification"), blank=True)
    verified = models.BooleanField(_("complaint confirmed"), null=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)
    feedback = models.TextField(_("feedback to the rater"), blank=True)
    fixed_at = models.DateTimeField(_("remedied at"), null=True, blank=True)
    fix_note = models.TextField(_("what was changed"), blank=True)
    return_visit_at = models.DateTimeField(_("return visit at"), null=True, blank=True)
    return_satisfied = models.BooleanField(_("satisfied at the return visit"), null=True)
    return_note = models.TextField(_("return visit note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status_before_appeal = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("remediation")
        verbose_name_plural = _("remediations")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["department", "status"], name="remediation_department")]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.status}"


class RemediationEvent(models.Model):
    remediation = models.ForeignKey(Remediation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, blank=True, choices=RemediationStatus.choices)
    to_status = models.CharField(max_length=12, choices=RemediationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.remediation_id} {self.action}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Under review")
    UPHELD = "upheld", _("Upheld: rating removed")
    REJECTED = "rejected", _("Rejected: rating stands")


class Appeal(models.Model):
    """申诉: the department holds the rating mistaken or malicious; the centre reviews it."""

    remediation = models.ForeignKey(Remediation, on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField(_("reason"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(_("filed at"))
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at"]
        constraints = [
            models.UniqueConstraint(fields=["remediation"], condition=Q(status="pending"), name="appeal_one_open")
        ]

    def __str__(self) -> str:
        return f"{self.remediation_id} {self.status}"
