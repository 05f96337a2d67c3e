"""Time limits and the duplicate window (docs/hotline.md), stated once.

Defaults, each overridable as a setting (``TimeLimit`` rows, a category's own hours):
- a normal ticket: reply within 5 working days (济南市12345市民服务热线条例 §24; 潍坊 likewise);
- an urgent ticket: 2 hours (Beijing 接诉即办 practice);
- water, power, gas and heating: 24 hours (the category's own limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from yiwang.calendar.workdays import add_working_days
from yiwang.hotline.models import LimitUnit, TicketKind, Urgency

DEFAULT_LIMITS: dict[tuple[str, str], tuple[int, str, str]] = {
    **{
        (kind, Urgency.NORMAL): (5, LimitUnit.WORKING_DAYS, "济南市12345市民服务热线条例第二十四条")
        for kind in TicketKind.values
    },
    **{
        (kind, Urgency.URGENT): (2, LimitUnit.HOURS, "北京市接诉即办：紧急诉求2小时内响应")
        for kind in TicketKind.values
    },
}


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str
    basis: str


def limit_for(kind: str, urgency: str, *, category_hours: int | None, stored: Limit | None) -> Limit:
    """The category's own hours win (utilities), then the stored setting, then the default."""
    if category_hours:
        return Limit(category_hours, LimitUnit.HOURS, "")
    if stored is not None:
        return stored
    amount, unit, basis = DEFAULT_LIMITS[(kind, urgency)]
    return Limit(amount, unit, basis)


def due_at(start: datetime, limit: Limit, extension_days: int = 0) -> datetime:
    """Hours run on the clock (12345 works 7×24); working days end at midnight of the last one."""
    if limit.unit == LimitUnit.HOURS:
        due = start + timedelta(hours=limit.amount)
        if extension_days:
            last = add_working_days(timezone.localdate(due), extension_days).date
            return timezone.make_aware(datetime.combine(last, time(23, 59, 59)))
        return due
    last = add_working_days(timezone.localdate(start), limit.amount + extension_days).date
    return timezone.make_aware(datetime.combine(last, time(23, 59, 59)))


def duplicate_window() -> timedelta:
    """How far back a ticket counts as a possible duplicate (YIWANG_HOTLINE_DUPLICATE_DAYS, default 7)."""
    return timedelta(days=int(getattr(settings, "YIWANG_HOTLINE_DUPLICATE_DAYS", 7)))
