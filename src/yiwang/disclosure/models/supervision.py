"""Cards of the disclosure limits (e-supervision): an item not published within §26's 20 working days,
a reply near or past its §33 due date. Issued once per rule and basis, so the sweep can run again."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.disclosure.choices import AlertColour, AlertRule


class DisclosureAlert(models.Model):
    body = models.ForeignKey(
        "organisation.Department", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "disclosure.ProactiveItem", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    request = models.ForeignKey(
        "disclosure.DisclosureRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    rule = models.CharField(_("rule"), max_length=20, choices=AlertRule.choices)
    colour = models.CharField(_("colour"), max_length=6, choices=AlertColour.choices)
    basis = models.CharField(max_length=40)  # the due date it was measured against
    detail = models.CharField(_("detail"), max_length=300)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "item", "basis"], condition=Q(item__isnull=False),
                                    name="disclosure_alert_item_once"),
            models.UniqueConstraint(fields=["rule", "request", "basis"], condition=Q(request__isnull=False),
                                    name="disclosure_alert_request_once"),
            models.CheckConstraint(condition=(Q(item__isnull=True) & Q(request__isnull=False))
                                   | (Q(item__isnull=False) & Q(request__isnull=True)),
                                   name="disclosure_alert_one_subject"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["body", "issued_at"], name="disclosure_alert_body")]

    def __str__(self) -> str:
        return f"{self.rule} {self.basis}"
