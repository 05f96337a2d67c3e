"""Fills the configured database with a large 12345 history for bench/hotline.py.

    DJANGO_SETTINGS_MODULE=yiwang.settings .venv/bin/python bench/hotline_fill.py --count 7000000

A year of tickets over the demo category tree, streets and dispatch units, at a steady rate (7
million a year is Guangzhou's 2017 volume): about a third resolved at first contact, the rest
dispatched, replied (most in time) and closed, a few percent of the last days still open; about
60 % of the closed ones followed up. On PostgreSQL the rows go in with COPY, on SQLite with
executemany; numbers are `12345-B-<serial>`, marked as made here so they never meet the day
counters' numbers. Idempotent: only the missing tickets are added.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from yiwang.hotline.models import Category, DispatchRule, Ticket, TicketStatus  # noqa: E402
from yiwang.organisation.models import Department, Region  # noqa: E402

DAYS = 365
BATCH = 50_000
DESCRIPTIONS = [
    "{p}夜间施工噪音扰民",
    "{p}路灯不亮",
    "{p}停水没有通知",
    "{p}小区物业不作为",
    "{p}占道经营",
    "{p}油烟扰民",
]
PLACES = ["幸福路", "朝阳路", "人民大道", "东湖小区", "康宁里", "和平新村"]
COLUMNS = [
    "number", "channel", "kind", "category_id", "urgency", "description", "address", "region_id", "anonymous",
    "caller_name", "caller_phone", "caller_phone_digest", "wants_reply", "status", "unit_id", "return_reason",
    "unit_designated", "due_at", "extension_days", "answer", "created_at", "dispatched_at", "signed_at",
    "replied_at", "closed_at",
]  # fmt: skip


def _rows(start: int, count: int, leaves: list[int], streets: list[int], units: list[int]) -> list[list[object]]:
    rng = random.Random(start)
    now = timezone.now()
    rows = []
    for i in range(start, start + count):
        created = now - timedelta(seconds=rng.randrange(DAYS * 86400))
        roll = rng.random()
        fresh = now - created < timedelta(days=10)
        if roll < 0.33:
            status, unit = TicketStatus.RESOLVED, None
        elif fresh and roll < 0.45:
            status, unit = (
                rng.choice([TicketStatus.NEW, TicketStatus.DISPATCHED, TicketStatus.SIGNED]),
                rng.choice(units),
            )
        elif fresh and roll < 0.55:
            status, unit = TicketStatus.REPLIED, rng.choice(units)
        else:
            status, unit = TicketStatus.CLOSED, rng.choice(units)
        dispatched = created + timedelta(minutes=rng.randint(5, 240)) if unit and status != TicketStatus.NEW else None
        due = dispatched + timedelta(days=7) if dispatched else None
        replied = (
            dispatched + timedelta(hours=rng.uniform(2, 190))
            if dispatched and status in (TicketStatus.REPLIED, TicketStatus.CLOSED)
            else None
        )
        closed = replied + timedelta(hours=rng.uniform(1, 48)) if replied and status == TicketStatus.CLOSED else None
        if status == TicketStatus.RESOLVED:
            closed = created + timedelta(minutes=5)
        # fmt: off
        rows.append(
            [
                f"12345-B-{i:09d}",
                rng.choice(["phone"] * 6 + ["web", "app", "app"]),
                rng.choice(["complaint", "complaint", "help", "help", "consult", "suggestion"]),
                rng.choice(leaves),
                "normal",
                rng.choice(DESCRIPTIONS).format(p=rng.choice(PLACES)),
                "",
                rng.choice(streets),
                False,
                "",
                "",
                "",
                True,
                status,
                unit if status != TicketStatus.RESOLVED else None,
                "",
                False,
                due,
                0,
                "已办理" if replied or status == TicketStatus.RESOLVED else "",
                created,
                dispatched,
                dispatched,
                replied,
                closed,
            ]
        )
    return rows


def _write(rows: list[list[object]]) -> None:
    table = connection.ops.quote_name(Ticket._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            raw = connection.connection
            assert raw is not None
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _follow_ups() -> None:
    """About 60 % of the closed dispatched tickets get a follow-up: 85 % satisfied, 10 % basically."""
    table = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table('hotline_followup')} (ticket_id, satisfaction, solved, reached, note, via, at) "
            f"SELECT t.id, CASE WHEN t.id %% 20 < 17 THEN 'satisfied' WHEN t.id %% 20 < 19 THEN 'basically' "
            f"ELSE 'dissatisfied' END, t.id %% 10 <> 0, %s, '', 'phone', t.closed_at "
            f"FROM {table('hotline_ticket')} t WHERE t.status = %s AND t.unit_id IS NOT NULL AND t.id %% 5 < 3 "
            f"AND t.number LIKE %s AND NOT EXISTS (SELECT 1 FROM {table('hotline_followup')} f "
            "WHERE f.ticket_id = t.id)",
            [True, TicketStatus.CLOSED, "12345-B-%"],
        )


def fill(count: int) -> int:
    existing = Ticket.objects.filter(number__startswith="12345-B-").count()
    if existing >= count:
        return 0
    leaves = list(Category.objects.filter(children__isnull=True).values_list("pk", flat=True))
    streets = list(Region.objects.filter(level="township", code__startswith="99").values_list("pk", flat=True))
    units = list(Department.objects.filter(pk__in=DispatchRule.objects.values("unit")).values_list("pk", flat=True))
    if not leaves or not streets or not units:
        raise SystemExit("no hotline demo data: run demo_load first")
    started = time.monotonic()
    made = 0
    for start in range(existing, count, BATCH):
        size = min(BATCH, count - start)
        _write(_rows(start, size, leaves, streets, units))
        made += size
        if made % 500_000 < BATCH:
            print(f"  {start + size} tickets ({made / (time.monotonic() - started):.0f}/s)", flush=True)
    _follow_ups()
    # The rows went in past the models: the daily aggregates are rebuilt for the year.
    from yiwang.hotline.aggregates import days_recount

    started = time.monotonic()
    today = timezone.localdate()
    rows = days_recount(today - timedelta(days=DAYS + 1), today)
    print(f"  aggregates: {rows} rows recounted in {time.monotonic() - started:.0f}s", flush=True)
    return made


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=7_000_000)
    started = time.monotonic()
    made = fill(parser.parse_args().count)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"tickets: {Ticket.objects.count()} ({made} added now, {time.monotonic() - started:.0f}s)")
