"""Versioned dirty marks for aggregates that are recounted by day (the hotline's daily KPIs, the
oversight's case, queue and rating aggregates).

A writer marks a day in its own transaction by bumping the mark's version (creating it if the day was
clean, and then queueing the refresh after commit). The refresher recounts each marked day and
deletes the mark only if its version is still the one it read before recounting — so a change committed
during a recount leaves the mark behind and is recounted again, never lost. ``model`` is any model
with ``day`` and ``version`` fields (and the ``key`` fields that tell its kinds apart)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F


def day_mark(model: type[models.Model], day: date, queue: Callable[[], Any], **key: Any) -> None:
    """In the writer's transaction: ``day`` must be recounted; ``queue`` runs after commit if the day
    was clean (otherwise the refresh on it is still to run, or running, and will see the version)."""
    marks = model._default_manager.filter(day=day, **key)
    if marks.update(version=F("version") + 1):
        return
    try:
        with transaction.atomic():
            model._default_manager.create(day=day, **key)
    except IntegrityError:
        marks.update(version=F("version") + 1)
        return
    transaction.on_commit(queue)


def days_refresh(model: type[models.Model], recount: Callable[[date], Any], *, max_rounds: int = 50, **key: Any) -> int:
    """Recounts the marked days until they stay clean; returns the recounts made."""
    done = 0
    for _round in range(max_rounds):
        marks = list(model._default_manager.filter(**key).order_by("day").values_list("day", "version"))
        if not marks:
            return done
        for day, version in marks:
            recount(day)
            done += 1
            model._default_manager.filter(day=day, version=version, **key).delete()
    return done
