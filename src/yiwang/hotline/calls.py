"""Call records from the telephone system (no telephony is built here) and the two KPIs only they
give (hotline.md; GB/T 33358 asks for an answer within 15 seconds):

- 接通率 answer rate: answered calls / incoming calls;
- 15秒应答率 15-second rate: calls answered within 15 seconds of arrival / answered calls;
- average wait: seconds from arrival to answer, over answered calls.

Records come as CSV (columns ``call_id, arrived_at, answered_at, ended_at, agent`` or their Chinese
names 呼叫编号, 来电时间, 接听时间, 挂机时间, 坐席) through a background job with progress, or as JSON
through the API. The whole batch is checked first and nothing is written unless every row is good;
a call already recorded (same identifier) is skipped, so a file can be sent again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.hotline.models import CallRecord

if TYPE_CHECKING:
    from yiwang.accounts.models import User

CALL_ROLES = {Role.SUPERVISOR}
ANSWER_SECONDS = 15
HEADERS = {
    "call_id": ("call_id", "呼叫编号"),
    "arrived_at": ("arrived_at", "来电时间"),
    "answered_at": ("answered_at", "接听时间"),
    "ended_at": ("ended_at", "挂机时间"),
    "agent": ("agent", "坐席"),
}
BATCH = 2000


@dataclass
class CallsReport:
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def _moment(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text.replace("/", "-"))
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(text)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _check(number: int, row: dict[str, str], errors: list[dict[str, Any]]) -> CallRecord | None:
    def problem(column: str, message: str) -> None:
        errors.append({"row": number, "column": column, "message": message})

    call_id = (row.get("call_id") or "").strip()
    if not call_id or len(call_id) > 64:
        problem("call_id", _("Give the call's identifier (at most 64 characters)."))
    moments: dict[str, datetime | None] = {}
    for column in ("arrived_at", "answered_at", "ended_at"):
        try:
            moments[column] = _moment(row.get(column) or "")
        except ValueError:
            problem(column, _("Not a date and time (write e.g. 2026-11-20 09:30:05)."))
            moments[column] = None
    arrived, answered, ended = moments["arrived_at"], moments["answered_at"], moments["ended_at"]
    if arrived is None and "arrived_at" not in {e["column"] for e in errors if e["row"] == number}:
        problem("arrived_at", _("Give the time the call arrived."))
    if arrived and answered and answered < arrived:
        problem("answered_at", _("A call cannot be answered before it arrived."))
    if arrived and ended and ended < (answered or arrived):
        problem("ended_at", _("A call cannot end before it arrived or was answered."))
    if any(e["row"] == number for e in errors) or arrived is None:
        return None
    return CallRecord(
        call_id=call_id, arrived_at=arrived, answered_at=answered, ended_at=ended,
        agent=(row.get("agent") or "").strip()[:40],
    )  # fmt: skip


def rows_from_csv(data: bytes) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """The CSV's rows under our column names, or the problems with its header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            return [], [{"row": 1, "column": "", "message": _("The file is neither UTF-8 nor GB18030 text.")}]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    names = {alias: key for key, aliases in HEADERS.items() for alias in aliases}
    columns = [names.get(h.strip()) for h in header]
    missing = [HEADERS[k][1] for k in ("call_id", "arrived_at") if k not in columns]
    if missing:
        message = _("The header lacks the columns: %(columns)s.") % {"columns": "、".join(missing)}
        return [], [{"row": 1, "column": "", "message": message}]
    rows = [{c: v for c, v in zip(columns, line, strict=False) if c} for line in reader if any(x.strip() for x in line)]
    return rows, []


def calls_import(
    *, actor: User | None, rows: Iterable[dict[str, str]], progress: Callable[[int, int], None] | None = None
) -> CallsReport:
    from yiwang.accounts.selectors import user_has_role
    from yiwang.core.errors import PermissionDenied

    if actor is not None and not user_has_role(user=actor, roles=CALL_ROLES):
        raise PermissionDenied()
    report = CallsReport()
    records: list[CallRecord] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        report.rows += 1
        record = _check(number, row, report.errors)
        if record is not None:
            if record.call_id in seen:
                report.errors.append(
                    {"row": number, "column": "call_id", "message": _("This call appears twice in the file.")}
                )
                continue
            seen.add(record.call_id)
            records.append(record)
    if report.errors:
        return report
    with transaction.atomic():
        for start in range(0, len(records), BATCH):
            batch = records[start : start + BATCH]
            known = set(
                CallRecord.objects.filter(call_id__in=[r.call_id for r in batch]).values_list("call_id", flat=True)
            )
            fresh = [r for r in batch if r.call_id not in known]
            CallRecord.objects.bulk_create(fresh, batch_size=BATCH)
            report.imported += len(fresh)
            report.skipped += len(batch) - len(fresh)
            if progress is not None:
                progress(start + len(batch), len(records))
        audit_record(
            actor=actor, action="hotline.calls_import", target=None,
            changes={"imported": [0, report.imported], "skipped": [0, report.skipped]},
        )  # fmt: skip
    return report


@dataclass
class CallKpiRow:
    group: str
    incoming: int
    answered: int
    within_15s: int
    average_wait: float | None

    @property
    def answer_rate(self) -> float | None:
        return round(100 * self.answered / self.incoming, 2) if self.incoming else None

    @property
    def rate_15s(self) -> float | None:
        return round(100 * self.within_15s / self.answered, 2) if self.answered else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "incoming": self.incoming,
            "answered": self.answered,
            "within_15s": self.within_15s,
            "average_wait": self.average_wait,
            "answer_rate": self.answer_rate,
            "rate_15s": self.rate_15s,
        }


def call_kpis(*, start: date, end: date, group: str = "") -> list[CallKpiRow]:
    """The call KPIs over calls arriving between ``start`` and ``end`` (inclusive), per day or month
    or in one row."""
    tz = timezone.get_current_timezone()
    calls = CallRecord.objects.filter(
        arrived_at__gte=datetime.combine(start, time.min, tz), arrived_at__lte=datetime.combine(end, time.max, tz)
    )
    wait = ExpressionWrapper(F("answered_at") - F("arrived_at"), output_field=DurationField())
    if group == "day":
        calls = calls.annotate(g=TruncDate("arrived_at", tzinfo=tz))
    elif group == "month":
        calls = calls.annotate(g=TruncMonth("arrived_at", tzinfo=tz))
    else:
        from django.db.models import CharField, Value

        calls = calls.annotate(g=Value("全部", output_field=CharField()))
    rows = (
        calls.order_by()
        .values("g")
        .annotate(
            incoming=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            within=Count("pk", filter=Q(answered_at__lte=F("arrived_at") + timedelta(seconds=ANSWER_SECONDS))),
            wait=Avg(wait, filter=Q(answered_at__isnull=False)),
        )
        .order_by("g")
    )
    out = []
    for row in rows:
        key = row["g"]
        label = key.strftime("%Y-%m" if group == "month" else "%Y-%m-%d") if isinstance(key, date) else str(key)
        out.append(
            CallKpiRow(
                group=label,
                incoming=row["incoming"],
                answered=row["answered"],
                within_15s=row["within"],
                average_wait=round(row["wait"].total_seconds(), 1) if row["wait"] is not None else None,
            )
        )
    return out
