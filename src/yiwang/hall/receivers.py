"""The hall listening to writes that change what a booking reads from its process's copy
(``selectors.BOOKING_CATEGORIES``): a category, a hall (its name is in the booking's message) or the
hall's settings saved or deleted, by a service, the admin or an import."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from yiwang.hall.models import HallPolicy, QueueCategory
from yiwang.hall.selectors import BOOKING_CATEGORIES


@receiver(post_save, sender=QueueCategory, dispatch_uid="hall-category-saved")
@receiver(post_delete, sender=QueueCategory, dispatch_uid="hall-category-deleted")
@receiver(post_save, sender=HallPolicy, dispatch_uid="hall-policy-saved")
@receiver(post_delete, sender=HallPolicy, dispatch_uid="hall-policy-deleted")
@receiver(post_save, sender="organisation.Hall", dispatch_uid="hall-hall-saved")  # organisation's table, by name
@receiver(post_delete, sender="organisation.Hall", dispatch_uid="hall-hall-deleted")
def _booking_categories_changed(sender: Any, **kwargs: Any) -> None:
    BOOKING_CATEGORIES.changed()
