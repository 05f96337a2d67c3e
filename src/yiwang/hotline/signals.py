"""Any saved ticket, follow-up, extension request or return marks its day of receipt for recounting
(hotline.aggregates).

What the hotline tells others (so they import none of its models):

``follow_up_saved``: sent when a follow-up row is saved (its post_save, inside the saving transaction),
sender=FollowUp, instance=…, created=… — 好差评 takes a reached caller's satisfaction as the ticket's rating.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from yiwang.hotline.aggregates import day_mark_dirty
from yiwang.hotline.models import ExtensionRequest, FollowUp, Ticket, TicketEvent

follow_up_saved = Signal()


@receiver(post_save, sender=Ticket)
def ticket_saved(sender: Any, instance: Ticket, **kwargs: Any) -> None:
    if instance.created_at is not None:
        day_mark_dirty(timezone.localdate(instance.created_at))


@receiver(post_save, sender=FollowUp)
@receiver(post_save, sender=ExtensionRequest)
def related_saved(sender: Any, instance: FollowUp | ExtensionRequest, **kwargs: Any) -> None:
    created = Ticket.objects.filter(pk=instance.ticket_id).values_list("created_at", flat=True).first()
    if created is not None:
        day_mark_dirty(timezone.localdate(created))


@receiver(post_save, sender=FollowUp, dispatch_uid="hotline-follow-up-saved")
def follow_up_told(sender: Any, instance: FollowUp, created: bool, **kwargs: Any) -> None:
    follow_up_saved.send(sender=FollowUp, instance=instance, created=created)


@receiver(post_save, sender=TicketEvent)
def event_saved(sender: Any, instance: TicketEvent, created: bool, **kwargs: Any) -> None:
    if created and instance.action == "return_request":
        related_saved(sender, instance)  # type: ignore[arg-type]
