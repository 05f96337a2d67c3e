"""The values other contexts pass to the audit trail, importable without its tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")
