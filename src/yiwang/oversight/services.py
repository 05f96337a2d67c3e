"""Writes of the oversight's settings: a card rule and the window assessment's weights (the centre's
administrator), each audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.oversight.models import AssessmentWeights, CardRule
from yiwang.oversight.rules import DEFAULTS

if TYPE_CHECKING:
    from yiwang.accounts.models import User

SETTINGS_ROLES = {Role.CENTRE_ADMIN}


@transaction.atomic
def card_rule_save(*, actor: User | None, code: str, active: bool, colour: str, threshold: int) -> CardRule:
    if actor is not None:
        authorize(actor, SETTINGS_ROLES)
    rule = CardRule.objects.select_for_update().filter(code=code).first()
    default = DEFAULTS[code]
    before = (rule.active, rule.colour, rule.threshold) if rule else (default.active, default.colour, default.threshold)
    rule = rule or CardRule(code=code)
    rule.active, rule.colour, rule.threshold = active, colour, threshold
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor, action="oversight.rule_save", target=rule,
        changes={"rule": [list(before), [active, colour, threshold]]},
    )  # fmt: skip
    return rule


@transaction.atomic
def weights_save(*, actor: User | None, **weights: int) -> AssessmentWeights:
    if actor is not None:
        authorize(actor, SETTINGS_ROLES)
    row = AssessmentWeights.objects.select_for_update().first() or AssessmentWeights()
    before = {name: getattr(row, name) for name in weights}
    for name, value in weights.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="oversight.weights_save",
        target=row,
        changes={k: [before[k], v] for k, v in weights.items()},
    )
    return row
