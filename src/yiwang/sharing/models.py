"""数据共享 (docs/licences.md, "Data sharing"): departments' registered data resources, the records
their systems hold (demo data here), and every query of them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.core.personal_data import EncryptedCharField


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Natural person (resident ID number)")
    COMPANY = "company", _("Legal person (credit code)")


class DataResource(models.Model):
    """A resource in the sharing catalogue (政务数据资源目录): what a department shares, on which terms."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    provider = models.ForeignKey(
        "organisation.Department", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="data_resources"
    )
    description = models.TextField(_("description"), blank=True)
    fields = models.JSONField(_("fields"), default=list, help_text=_("The data items shared: key and label."))
    subject_kind = models.CharField(_("about"), max_length=10, choices=SubjectKind.choices)
    personal = models.BooleanField(_("personal data"), default=True)
    conditions = models.TextField(_("conditions of use"), blank=True)
    legal_basis = models.TextField(_("legal basis"))
    replaces = models.CharField(
        _("replaces the proof"),
        max_length=100,
        blank=True,
        help_text=_("The material it makes unnecessary (免证明): the name items give as their shared data."),
    )
    active = models.BooleanField(_("open for queries"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("data resource")
        verbose_name_plural = _("data resources")
        ordering = ["provider", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self) -> str:
        """The API key scope that lets another system query this resource."""
        return f"sharing:{self.code}"


class DataRecord(models.Model):
    """What the provider's system answers for one subject (the demo holds these rows itself)."""

    resource = models.ForeignKey(DataResource, on_delete=models.CASCADE, related_name="records")
    subject_code = EncryptedCharField(_("subject code"))
    subject_digest = models.CharField(max_length=64, editable=False)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "subject_digest"], name="data_record_once")]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.pk}"


class QueryOutcome(models.TextChoices):
    FOUND = "found", _("Answered")
    NOT_FOUND = "not_found", _("No record")
    REFUSED = "refused", _("Refused")


class DataQuery(models.Model):
    """One query of a resource: who (system or person, and their department), why, for which case,
    about whom (keyed digest; the number itself is not kept) and what came of it. Append-only."""

    resource = models.ForeignKey(
        DataResource,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queries",
        verbose_name=_("resource"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    api_key = models.ForeignKey("accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    party = models.CharField(_("queried by"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    case_number = models.CharField(_("case"), max_length=60, blank=True)
    subject_digest = models.CharField(max_length=64, blank=True, db_index=True)
    subject_masked = models.CharField(_("about"), max_length=40, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=QueryOutcome.choices)
    refusal = models.CharField(_("reason refused"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("data query")
        verbose_name_plural = _("data queries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["resource", "-at"], name="data_query_resource_at")]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.at:%Y-%m-%d %H:%M} {self.outcome}"
