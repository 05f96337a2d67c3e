"""E-licences (docs/licences.md). This first part: each issuing department's SM2 signing key."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.core.masking import mask_text
from yiwang.core.personal_data import EncryptedCharField


class SigningKey(models.Model):
    """A department's SM2 key pair. The private key is stored SM4-encrypted under the key from the
    environment (YIWANG_DATA_KEY) and never leaves the signer; retired keys still verify old licences."""

    department = models.ForeignKey("organisation.Department", on_delete=models.PROTECT, related_name="signing_keys")
    public_key = models.CharField(_("public key"), max_length=128, unique=True)
    private_key = EncryptedCharField(_("private key"))
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=models.Q(retired_at__isnull=True), name="one_active_signing_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.public_key[:16]}…"


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    ANNULLED = "annulled", _("Annulled")


class HolderCodeType(models.TextChoices):
    RESIDENT_ID = "111", _("Resident ID number")
    CREDIT_CODE = "001", _("Unified social credit code")


class LicenceSerial(models.Model):
    """The last serial drawn for a licence type, issuer and year (identifiers are unique under concurrency)."""

    licence_type = models.ForeignKey("catalogue.LicenceType", on_delete=models.CASCADE, related_name="+")
    issuer = models.ForeignKey("organisation.Department", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["licence_type", "issuer", "year"], name="licence_serial_once")]

    def __str__(self) -> str:
        return f"{self.licence_type_id} {self.issuer_id} {self.year} {self.last}"


class Licence(models.Model):
    """电子证照: one signed licence (docs/licences.md). A re-issue is a new row with the next version."""

    identifier = models.CharField(_("licence identifier"), max_length=100, unique=True)
    licence_type = models.ForeignKey(
        "catalogue.LicenceType", verbose_name=_("licence type"), on_delete=models.PROTECT, related_name="licences"
    )
    number = models.CharField(_("licence number"), max_length=100)
    name = models.CharField(_("name"), max_length=100)
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_code = EncryptedCharField(_("holder code"))
    holder_code_digest = models.CharField(max_length=64, db_index=True, editable=False)
    holder_code_type = models.CharField(_("holder code type"), max_length=3, choices=HolderCodeType.choices)
    holder_account = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="licences"
    )
    issuer = models.ForeignKey("organisation.Department", verbose_name=_("issued by"), on_delete=models.PROTECT)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    data = models.JSONField(_("licence data"), default=dict, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    status = models.CharField(_("status"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="licences")
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="licences")
    signature = models.CharField(_("signature"), max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("e-licence")
        verbose_name_plural = _("e-licences")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["licence_type", "holder_code_digest", "status"], name="licence_holder_type")]

    def __str__(self) -> str:
        return self.identifier

    @property
    def number_masked(self) -> str:
        """The number as pages show it by default: a 居民身份证's number is its holder's ID number, and
        any ID or mobile number in a number is masked (个人信息保护法); the holder may reveal it, audited."""
        return mask_text(self.number)


class LicenceEventAction(models.TextChoices):
    ISSUE = "issue", _("Issued")
    REVOKE = "revoke", _("Revoked")
    ANNUL = "annul", _("Annulled")
    EXPIRE = "expire", _("Expired")
    REISSUE = "reissue", _("Replaced by a new version")


class LicenceEvent(models.Model):
    """Issue, revoke, annul, expire, re-issue: the status history verification shows."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=LicenceEventAction.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["licence", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.action}"


class LicenceUse(models.Model):
    """用证: every use of a licence — who, when, for which case, why — shown to the holder."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    department = models.ForeignKey(
        "organisation.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.CharField(_("used by"), max_length=200, help_text=_("Who used it, in words."))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=300)

    class Meta:
        verbose_name = _("licence use")
        verbose_name_plural = _("licence uses")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.party}"


class ShareLink(models.Model):
    """A time-limited link the holder gives a third party to see one licence; each opening is a use."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="share_links")
    token_digest = models.CharField(max_length=64, unique=True)
    recipient = models.CharField(_("given to"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    opened = models.PositiveIntegerField(_("opened"), default=0)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.licence_id} → {self.recipient}"
