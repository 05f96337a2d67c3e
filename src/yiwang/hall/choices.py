"""The hall's pure values that other contexts read (the status of a queue number and its groups), apart
from the tables so that reading them imports no model; ``models`` re-exports them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class QueueStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (QueueStatus.WAITING, QueueStatus.CALLED, QueueStatus.SERVING)
AT_WINDOW = (QueueStatus.CALLED, QueueStatus.SERVING)
