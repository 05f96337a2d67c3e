"""A generated history of the demo hall's queue for its dashboards: on the working days before today,
numbers taken through the day in every category, called at the windows of its group by the clerks
on duty, served (a few not answering when called), with waiting and service times that follow the
morning rush. Written in bulk; the caller recounts the aggregates."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.hall.models import QueueCategory, QueueChannel, QueueStatus, QueueTicket


def history_generate(*, days: int = 60, per_day: int = 90, seed: int = 2026, until: date | None = None) -> int:
    """``per_day`` numbers on each of the last ``days`` working days before ``until`` (today); idempotent."""
    from yiwang.accounts.roles import Role
    from yiwang.accounts.selectors import user_ids_with_role
    from yiwang.calendar.workdays import is_working_day
    from yiwang.organisation.selectors import windows_active

    until = until or timezone.localdate()
    if QueueTicket.objects.filter(day__lt=until, holder_token_digest__isnull=True, channel="kiosk").exists():
        return 0
    categories = list(QueueCategory.objects.select_related("hall", "group"))
    clerks = user_ids_with_role(role=Role.CLERK, limit=5)
    if not categories or not clerks:
        return 0
    windows: dict[int, list[int]] = {}
    for window in windows_active():
        windows.setdefault(window.group_id, []).append(window.pk)
    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    rows: list[QueueTicket] = []
    day, done = until - timedelta(days=1), 0
    while done < days:
        if is_working_day(day):
            done += 1
            serials: dict[int, int] = {}
            for _n in range(per_day + rng.randint(-15, 15)):
                category = rng.choices(categories, weights=[5, 3, 3, 1, 3, 4, 3][: len(categories)] or None)[0]
                serials[category.pk] = serials.get(category.pk, 0) + 1
                rows.append(_ticket(rng, category, day, serials[category.pk], windows, clerks, tz))
        day -= timedelta(days=1)
    with transaction.atomic():
        QueueTicket.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _ticket(
    rng: random.Random, category: QueueCategory, day: date, serial: int, windows: dict[int, list[int]],
    clerks: list[int], tz: object,
) -> QueueTicket:  # fmt: skip
    morning = rng.random() < 0.65
    taken = datetime.combine(day, time(9 if morning else 13, 30 if not morning else 0), tz)  # type: ignore[arg-type]
    taken += timedelta(minutes=rng.randint(0, 150))
    wait = timedelta(minutes=rng.randint(3, 45 if morning else 20))
    group_windows: list[int | None] = [*windows.get(category.group_id, [])] or [None]
    called = taken + wait
    ticket = QueueTicket(
        hall=category.hall, category=category, day=day, serial=serial, number=f"{category.prefix}{serial:03d}",
        channel=rng.choice([QueueChannel.KIOSK, QueueChannel.KIOSK, QueueChannel.PHONE]), taken_at=taken,
        called_at=called, window_id=rng.choice(group_windows), clerk_id=rng.choice(clerks),
    )  # fmt: skip
    if rng.random() < 0.04:
        ticket.status, ticket.finished_at = QueueStatus.NO_SHOW, called + timedelta(minutes=2)
    else:
        started = called + timedelta(minutes=1)
        ticket.status, ticket.started_at = QueueStatus.DONE, started
        ticket.finished_at = started + timedelta(minutes=rng.randint(3, 2 * category.service_minutes))
    return ticket
