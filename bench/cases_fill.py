"""Fills the configured database with a large case history for bench/cases.py.

    DJANGO_SETTINGS_MODULE=yiwang.settings .venv/bin/python bench/cases_fill.py --count 1000000

Two years (``--days``) of cases over the demo catalogue's published implementations, as a county centre would
hold them: nearly all concluded and closed, a few percent open (submitted, in review with an open
step for the competent department, suspended, pending materials, concluded awaiting hand-out),
the open ones recent. Each case has its submission in the history. Rows are inserted with
executemany in batches (the services would take hours for a million cases and are not what is
being measured); the encrypted personal fields hold real ciphertext made by the model's own field,
so reading a case decrypts as it would in service. Numbers are `{region}-{date}-B{serial}`, marked
as made here so they never meet the numbers the services draw. Idempotent: only the missing cases
are added.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from yiwang.cases.models import ApplicantKind, Case, CaseChannel, CaseStatus, Decision, IdType  # noqa: E402
from yiwang.catalogue.models import ItemImplementation  # noqa: E402
from yiwang.core.personal_data import lookup_digest  # noqa: E402

DAYS = 730
BATCH = 5_000
# Per thousand cases: open ones first (kept recent), the rest closed.
MIX = [
    (20, CaseStatus.IN_REVIEW),
    (5, CaseStatus.SUBMITTED),
    (3, CaseStatus.SUSPENDED),
    (2, CaseStatus.ACCEPTED_PENDING),
    (3, CaseStatus.CONCLUDED),
    (7, CaseStatus.DELIVERED),
    (960, CaseStatus.CLOSED),
]
APPLICANTS = [
    (ApplicantKind.LEGAL_PERSON, "示范餐饮有限公司", IdType.CREDIT_CODE, "91350100M000100Y43"),
    (ApplicantKind.NATURAL_PERSON, "张三", IdType.RESIDENT_ID, "11010519491231002X"),
    (ApplicantKind.LEGAL_PERSON, "示范科技有限公司", IdType.CREDIT_CODE, "91350100M000100Y43"),
    (ApplicantKind.NATURAL_PERSON, "李四", IdType.RESIDENT_ID, "110105194912310029"),
]


def _status(i: int) -> CaseStatus:
    slot = i % 1000
    for share, status in MIX:
        if slot < share:
            return status
        slot -= share
    return CaseStatus.CLOSED


def fill(count: int, days: int = DAYS) -> int:
    existing = Case.objects.filter(number__contains="-B").count()
    if existing >= count:
        return 0
    implementations = list(
        ItemImplementation.objects.filter(current__isnull=False).select_related("department__region", "current")
    )
    if not implementations:
        raise SystemExit("no published implementation: run demo_load first")
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    insert = f"INSERT INTO {connection.ops.quote_name(Case._meta.db_table)} ({columns}) VALUES ({placeholders})"
    position = {f.attname: index for index, f in enumerate(fields)}
    prep = {f.attname: f for f in fields}

    def prepared(attname: str, value: object) -> object:
        return prep[attname].get_db_prep_save(value, connection)

    # One row template per (implementation, applicant): the encrypted columns are computed once each.
    templates: dict[tuple[int, int], list[object]] = {}
    for implementation in implementations:
        for a, (kind, name, id_type, id_number) in enumerate(APPLICANTS):
            case = Case(
                number="",
                version=implementation.current,
                implementation=implementation,
                department=implementation.department,
                region=implementation.department.region,
                channel=CaseChannel.WINDOW if a % 2 else CaseChannel.ONLINE,
                applicant_kind=kind,
                applicant_name=name,
                applicant_id_type=id_type,
                applicant_id_number=id_number,
                applicant_id_digest=lookup_digest(id_number),
                applicant_phone="13800138000",
                form_data={},
                submitted_at=timezone.now(),
            )
            templates[(implementation.pk, a)] = [
                f.get_db_prep_save(getattr(case, f.attname), connection) for f in fields
            ]

    yesterday = timezone.localdate() - timedelta(days=1)
    tz = timezone.get_current_timezone()
    started = time.monotonic()
    rows: list[list[object]] = []
    made = 0

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, rows)
        rows.clear()

    for i in range(existing, count):
        implementation = implementations[i % len(implementations)]
        status = _status(i)
        is_open = status not in (CaseStatus.DELIVERED, CaseStatus.CLOSED)
        day = yesterday - timedelta(days=(i % 20) if is_open else (i % days))
        row = list(templates[(implementation.pk, i % len(APPLICANTS))])
        submitted = datetime(day.year, day.month, day.day, 9 + i % 8, i % 60, tzinfo=tz)
        limit = implementation.current.promised_limit or 1
        due = day + timedelta(days=limit + limit // 5 * 2 + 2)
        values: dict[str, object] = {
            "number": f"{implementation.department.region.code}-{day:%Y%m%d}-B{i:07d}",
            "status": status,
            "submitted_at": submitted,
            "visits": 1 if i % 2 else 0,
        }
        if status != CaseStatus.SUBMITTED:
            values |= {
                "accepted_at": submitted + timedelta(minutes=20),
                "accepted_on": day,
                "due_on": due,
                "statutory_due_on": due + timedelta(days=10),
            }
        if status == CaseStatus.ACCEPTED_PENDING:
            values["pending_until"] = day + timedelta(days=7)
        if status in (CaseStatus.CONCLUDED, CaseStatus.DELIVERED, CaseStatus.CLOSED):
            done = submitted + timedelta(days=max(1, limit // 2))
            values |= {
                "decision": Decision.APPROVE,
                "decided_at": done,
                "concluded_at": done,
                "result_name": implementation.current.result_name or implementation.current.name,
                "result_number": f"R{i:09d}",
            }
            if status == CaseStatus.CLOSED:
                values["closed_at"] = done + timedelta(days=1)
        for attname, value in values.items():
            row[position[attname]] = prepared(attname, value)
        rows.append(row)
        made += 1
        if len(rows) >= BATCH:
            flush()
            if made % 100_000 == 0:
                print(f"  {made} cases ({made / (time.monotonic() - started):.0f}/s)", flush=True)
    if rows:
        flush()

    table = connection.ops.quote_name
    empty_json = "CAST('{}' AS jsonb)" if connection.vendor == "postgresql" else "'{}'"
    with transaction.atomic(), connection.cursor() as cursor:
        # The competent department's open review step of each case in review, and each case's
        # submission in its history.
        cursor.execute(
            f"INSERT INTO {table('cases_reviewtask')} (case_id, department_id, {table('order')}, name, performer, "
            "state, opinion) "
            f"SELECT c.id, c.department_id, 1, %s, %s, %s, %s FROM {table('cases_case')} c "
            f"WHERE c.status = %s AND NOT EXISTS (SELECT 1 FROM {table('cases_reviewtask')} t WHERE t.case_id = c.id)",
            ["审查", "approver", "open", "", CaseStatus.IN_REVIEW],
        )
        cursor.execute(
            f"INSERT INTO {table('cases_caseevent')} (case_id, action, from_status, to_status, at, opinion, details) "
            f"SELECT c.id, %s, %s, %s, c.submitted_at, %s, {empty_json} FROM {table('cases_case')} c "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table('cases_caseevent')} e WHERE e.case_id = c.id)",
            ["submit", "", CaseStatus.SUBMITTED, ""],
        )
    return made


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=DAYS, help="the history's span (365: a year's volume)")
    started = time.monotonic()
    arguments = parser.parse_args()
    made = fill(arguments.count, arguments.days)
    with connection.cursor() as cursor:
        # Bulk inserts leave the planner's statistics stale; refresh them as a database in service has them.
        cursor.execute("ANALYZE")
    print(
        f"cases: {Case.objects.count()} in the database ({made} added now, {time.monotonic() - started:.0f}s); "
        f"today {date.today():%Y-%m-%d}"
    )
