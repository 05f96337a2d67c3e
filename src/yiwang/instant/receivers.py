"""Instant approval listening to case handling: a submitted case whose implementation has rules is
checked once the submission has committed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.dispatch import receiver

from yiwang.cases.signals import case_submitted
from yiwang.instant.models import InstantRule

if TYPE_CHECKING:
    from yiwang.cases.models import Case


@receiver(case_submitted)  # sent by cases alone, with sender=Case (cases.signals)
def _check_after_commit(sender: Any, case: Case, **kwargs: Any) -> None:
    if not InstantRule.objects.filter(implementation_id=case.implementation_id).exists():
        return
    from yiwang.instant.tasks import instant_evaluate_task

    case_id = case.pk
    transaction.on_commit(lambda: instant_evaluate_task(case_id))
