"""Complaints to the supervising department and its decisions (docs/trading.md §8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.trading.choices import ComplaintOutcome, ComplaintStatus, ComplaintSubject
from yiwang.trading.models.project import Objection, TradingProject


class Complaint(models.Model):
    """投诉 to the supervising department (招标投标法实施条例 §60–§62; 政府采购法 §55–§57): filed within its
    window, accepted or not within 3 working days, decided in writing within 30 working days of
    acceptance; the supervisor may suspend the project meanwhile."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="complaints")
    subject = models.CharField(_("subject"), max_length=16, choices=ComplaintSubject.choices)
    objection = models.ForeignKey(
        Objection, verbose_name=_("prior objection"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request = models.TextField(_("request"))  # 明确的请求 (§60)
    grounds = models.TextField(_("facts and grounds"))  # with the necessary evidence (§60)
    evidence = models.FileField(_("evidence"), upload_to="trading/complaints/%Y/", blank=True, max_length=200)
    known_on = models.DateField(_("known on"))  # 自知道或者应当知道之日
    status = models.CharField(
        _("status"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.FILED
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    accept_due = models.DateField(_("acceptance due"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decide_due = models.DateField(_("decision due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ComplaintOutcome.choices, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("complaint")
        ordering = ["project", "filed_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.subject} {self.status}"
