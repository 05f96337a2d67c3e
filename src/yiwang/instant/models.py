"""秒批 (instant approval; docs/licences.md): rules kept as data per implementation, and the recorded
evaluation of each case against them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    AGE_AT_LEAST = "age_at_least", _("Age from the ID number at least")
    SHARED_DATA = "shared_data", _("Shared data says")
    NO_LICENCE = "no_licence", _("Holds no valid licence of a type")


class InstantRule(models.Model):
    """One condition of instant approval. Parameters by kind:
    age_at_least {"years": 60}; shared_data {"resource": code, "field": key, "prefix": text};
    no_licence {"licence_type": code}."""

    implementation = models.ForeignKey(
        "catalogue.ItemImplementation", on_delete=models.CASCADE, related_name="instant_rules"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    params = models.JSONField(_("parameters"), default=dict)
    description = models.CharField(_("description"), max_length=200)

    class Meta:
        verbose_name = _("instant-approval rule")
        verbose_name_plural = _("instant-approval rules")
        ordering = ["implementation", "order"]
        constraints = [models.UniqueConstraint(fields=["implementation", "order"], name="instant_rule_order")]

    def __str__(self) -> str:
        return self.description


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved instantly")
    TO_PEOPLE = "to_people", _("Left to the department")


class InstantEvaluation(models.Model):
    """What the rules said about one case: each rule's result (holds, fails, cannot decide) and why."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="instant_evaluation")
    at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    results = models.JSONField(default=list)
    seconds = models.FloatField(_("seconds from submission to outcome"), default=0)

    class Meta:
        verbose_name = _("instant-approval evaluation")
        verbose_name_plural = _("instant-approval evaluations")

    def __str__(self) -> str:
        return f"{self.case_id} {self.outcome}"
