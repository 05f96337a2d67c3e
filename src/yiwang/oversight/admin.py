"""The centre administrator's settings of 电子监察 and of the window assessment; saves go through the
services (permission, validation, audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.core.shell import acting_user
from yiwang.oversight.models import AssessmentWeights, CardRule
from yiwang.oversight.services import card_rule_save, weights_save


@admin.register(CardRule)
class CardRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "active", "colour", "threshold"]

    def save_model(self, request: HttpRequest, obj: CardRule, form: Any, change: bool) -> None:
        saved = card_rule_save(
            actor=acting_user(request), code=obj.code, active=obj.active, colour=obj.colour, threshold=obj.threshold
        )
        obj.pk = saved.pk


@admin.register(AssessmentWeights)
class AssessmentWeightsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["volume", "satisfaction", "waiting", "on_time", "cards"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not AssessmentWeights.objects.exists() and super().has_add_permission(request)

    def save_model(self, request: HttpRequest, obj: AssessmentWeights, form: Any, change: bool) -> None:
        fields = ("volume", "satisfaction", "waiting", "on_time", "cards")
        saved = weights_save(actor=acting_user(request), **{name: getattr(obj, name) for name in fields})
        obj.pk = saved.pk
