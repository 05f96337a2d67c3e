"""Serial numbers that stay distinct and gap-free under concurrency: case numbers, hotline tickets, queue
numbers, trading projects. One counter row per key (a day, a region's year…), created on first use and
incremented in the drawing transaction, so its row lock queues parallel drawers until that commits."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F


def counter_next(model: type[models.Model], *, what: str, **key: Any) -> int:
    """The next serial of ``model``'s row for ``key`` (its ``last`` field). ``what`` names the numbers in
    the error raised when called outside a transaction, where the lock would not hold."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what} are drawn inside the transaction that creates them")
    manager = model._default_manager
    counter = manager.filter(**key).values_list("pk", flat=True).first()
    if counter is None:
        try:
            with transaction.atomic():  # a savepoint: losing the race to create the row is not an error
                counter = manager.create(**key).pk
        except IntegrityError:
            counter = manager.values_list("pk", flat=True).get(**key)
    manager.filter(pk=counter).update(last=F("last") + 1)
    return int(manager.values_list("last", flat=True).get(pk=counter))
