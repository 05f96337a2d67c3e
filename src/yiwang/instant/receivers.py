"""Instant approval listening to case handling: a submitted case whose implementation has rules is
checked once the submission has committed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from yiwang.cases.signals import case_submitted
from yiwang.core.process_copy import ProcessCopy
from yiwang.instant.models import InstantRule

if TYPE_CHECKING:
    from yiwang.cases.models import Case


def _implementations_with_rules() -> frozenset[int]:
    return frozenset(InstantRule.objects.values_list("implementation_id", flat=True).distinct())


# Which implementations have rules, as every submission asks: one copy per process (core.process_copy).
WITH_RULES = ProcessCopy("instant-rule-implementations", _implementations_with_rules)


@receiver(post_save, sender=InstantRule, dispatch_uid="instant-rules-saved")
@receiver(post_delete, sender=InstantRule, dispatch_uid="instant-rules-deleted")
def _rules_changed(sender: Any, **kwargs: Any) -> None:
    WITH_RULES.changed()


@receiver(case_submitted)  # sent by cases alone, with sender=Case (cases.signals)
def _check_after_commit(sender: Any, case: Case, **kwargs: Any) -> None:
    if case.implementation_id not in WITH_RULES.get():
        return
    from yiwang.instant.tasks import instant_evaluate_task

    case_id = case.pk
    transaction.on_commit(lambda: instant_evaluate_task(case_id))
