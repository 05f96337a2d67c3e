"""Serial numbers that stay distinct and gap-free under concurrency: case numbers, hotline tickets, queue
numbers, trading projects. One counter row per key (a day, a region's year…), created on first use and
incremented in the drawing transaction, so its row lock queues parallel drawers until that commits."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, router, transaction


def counter_next(model: type[models.Model], *, what: str, **key: Any) -> int:
    """The next serial of ``model``'s row for ``key`` (its ``last`` field). ``what`` names the numbers in
    the error raised when called outside a transaction, where the lock would not hold.

    One statement once the row exists: ``UPDATE … SET last = last + 1 … RETURNING last`` (PostgreSQL, and
    SQLite since 3.35), which takes the row lock and reads the new value together."""
    connection = transaction.get_connection(router.db_for_write(model))
    if not connection.in_atomic_block:
        raise RuntimeError(f"{what} are drawn inside the transaction that creates them")
    serial = _increment(connection, model, key)
    if serial is None:
        try:
            with transaction.atomic():  # a savepoint: losing the race to create the row is not an error
                model._default_manager.create(**key)
        except IntegrityError:
            pass
        serial = _increment(connection, model, key)
    if serial is None:  # pragma: no cover - the row was just created or found
        raise RuntimeError(f"the counter of {what} could not be created")
    return serial


def _increment(connection: Any, model: type[models.Model], key: dict[str, Any]) -> int | None:
    meta, quote = model._meta, connection.ops.quote_name
    fields = [meta.get_field(name) for name in key]
    where = " AND ".join(f"{quote(field.column)} = %s" for field in fields)  # type: ignore[union-attr]
    params = [field.get_db_prep_value(_value(key[field.name]), connection) for field in fields]  # type: ignore[union-attr]
    last = quote(meta.get_field("last").column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {last} = {last} + 1 WHERE {where} RETURNING {last}",  # noqa: S608
            params,
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _value(value: Any) -> Any:
    """A key's value as its column holds it: a related object by its primary key."""
    return value.pk if isinstance(value, models.Model) else value
