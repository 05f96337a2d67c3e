"""E-licences (docs/licences.md). This first part: each issuing department's SM2 signing key."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
