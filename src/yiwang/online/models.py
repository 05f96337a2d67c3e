"""The online hall's own records: drafts of applications (docs/online.md). Agents act under
accounts.AgentAuthorisation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.core.personal_data import EncryptedCharField


class Draft(models.Model):
    """申报草稿: an application being prepared online, saved as it is typed, until it is submitted."""

    key = models.UUIDField(_("draft key"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts_for_me", verbose_name=_("applicant")
    )
    implementation = models.ForeignKey("catalogue.ItemImplementation", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey("catalogue.ImplementationVersion", on_delete=models.CASCADE, related_name="+")

    applicant_kind = models.CharField(_("applicant type"), max_length=16)
    applicant_name = models.CharField(_("applicant"), max_length=200, blank=True)
    applicant_id_type = models.CharField(_("document type"), max_length=16)
    applicant_id_number = EncryptedCharField(_("document number"), blank=True, default="")
    applicant_phone = EncryptedCharField(_("phone"), blank=True, default="")
    agent_name = models.CharField(_("agent"), max_length=100, blank=True)
    form_data = models.JSONField(_("application form"), default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="draft")

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "submitted_at"], name="draft_owner_open")]

    def __str__(self) -> str:
        return str(self.key)


class DraftFile(models.Model):
    """One material uploaded to a draft; a newer upload of the same material replaces it."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    requirement = models.ForeignKey("catalogue.MaterialRequirement", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("file"), upload_to="drafts/%Y/%m/", max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("file type"), max_length=100)
    digest = models.CharField(_("SM3 digest"), max_length=64)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["draft", "requirement"], name="draft_file_once")]

    def __str__(self) -> str:
        return self.file_name
