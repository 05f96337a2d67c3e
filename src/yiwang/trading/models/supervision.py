"""What e-supervision found (docs/trading.md §9)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.trading.choices import AlertColour, AlertRule
from yiwang.trading.models.project import TradingProject


class Alert(models.Model):
    """A yellow or red card on a project, issued once per rule and basis by the sweep, for the supervising
    department to look into (电子监管; the oversight dashboard counts them beside the hall's cards)."""

    project = models.ForeignKey(TradingProject, on_delete=models.CASCADE, related_name="alerts")
    rule = models.CharField(_("rule"), max_length=16, choices=AlertRule.choices)
    colour = models.CharField(_("colour"), max_length=6, choices=AlertColour.choices)
    basis = models.CharField(max_length=80)
    detail = models.CharField(_("detail"), max_length=300)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("supervision alert")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["project", "rule", "basis"], name="trading_alert_once")]
        indexes = [models.Index(fields=["issued_at"], name="trading_alert_issued")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.rule} {self.basis}"
