"""Any saved case, correction, queue ticket, rating or remediation marks the day it counts on for its
aggregate's recount (oversight.aggregates)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from yiwang.cases.models import Case, CasePause
from yiwang.evaluation.models import Rating, Remediation
from yiwang.hall.models import QueueTicket
from yiwang.oversight.aggregates import day_mark_dirty
from yiwang.oversight.models import AggregateKind


@receiver(post_save, sender=Case, dispatch_uid="oversight-case")
def case_saved(sender: Any, instance: Case, **kwargs: Any) -> None:
    if instance.submitted_at is not None:
        day_mark_dirty(AggregateKind.CASES, timezone.localdate(instance.submitted_at))


@receiver(post_save, sender=CasePause, dispatch_uid="oversight-case-pause")
def pause_saved(sender: Any, instance: CasePause, created: bool, **kwargs: Any) -> None:
    if created:
        submitted = Case.objects.filter(pk=instance.case_id).values_list("submitted_at", flat=True).first()
        if submitted is not None:
            day_mark_dirty(AggregateKind.CASES, timezone.localdate(submitted))


@receiver(post_save, sender=QueueTicket, dispatch_uid="oversight-queue")
def queue_ticket_saved(sender: Any, instance: QueueTicket, **kwargs: Any) -> None:
    day_mark_dirty(AggregateKind.QUEUE, instance.day)


@receiver(post_save, sender=Rating, dispatch_uid="oversight-rating")
def rating_saved(sender: Any, instance: Rating, **kwargs: Any) -> None:
    day_mark_dirty(AggregateKind.RATINGS, timezone.localdate(instance.created_at))


@receiver(post_save, sender=Remediation, dispatch_uid="oversight-remediation")
def remediation_saved(sender: Any, instance: Remediation, **kwargs: Any) -> None:
    created = Rating.objects.filter(pk=instance.rating_id).values_list("created_at", flat=True).first()
    if created is not None:
        day_mark_dirty(AggregateKind.RATINGS, timezone.localdate(created))
