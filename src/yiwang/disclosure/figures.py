"""The disclosure figures the oversight dashboard shows beside the hall, the hotline and trading: per body,
requests received and replied in the period, on time, open past their due date; items published and
published late (§26), items past their limit; the yellow and red cards. Counted live from the disclosure
tables (bodies receive tens or hundreds of requests a year) — read by oversight through this module only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from yiwang.accounts.authz import grants_of, scope_filter
from yiwang.accounts.roles import Role
from yiwang.disclosure.choices import OPEN_STATUSES, AlertColour, ItemStatus
from yiwang.disclosure.models import DisclosureAlert, DisclosureRequest, ProactiveItem, Reply

if TYPE_CHECKING:
    from yiwang.accounts.models import User

READERS = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.DISCLOSURE_OFFICER})


@dataclass
class BodyRow:
    body: str
    received: int = 0
    replied: int = 0
    on_time: int = 0
    overdue_open: int = 0
    published: int = 0
    published_late: int = 0
    items_overdue: int = 0
    yellow: int = 0
    red: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time * 100 / self.replied, 1) if self.replied else None


@dataclass
class DisclosureFigures:
    rows: list[BodyRow]
    total: BodyRow


def may_read(user: User) -> bool:
    return bool(grants_of(user, READERS))


def disclosure_figures(user: User, *, start: date, end: date, region_path: str = "") -> DisclosureFigures:
    today = timezone.localdate()

    def scoped(queryset, body_field: str = "body"):  # type: ignore[no-untyped-def]
        queryset = scope_filter(
            queryset, user, READERS, department_field=body_field, region_field=f"{body_field}__region"
        )
        return queryset.filter(**{f"{body_field}__region__path__startswith": region_path}) if region_path else queryset

    rows: dict[int, BodyRow] = {}

    def row(pk: int, name: str) -> BodyRow:
        return rows.setdefault(pk, BodyRow(name))

    received = scoped(DisclosureRequest.objects.filter(received_on__range=(start, end)))
    for r in received.values("body_id", "body__name").annotate(n=Count("pk")):
        row(r["body_id"], r["body__name"]).received = r["n"]
    replies = scoped(Reply.objects.filter(replied_on__range=(start, end)), "request__body")
    for r in replies.values("request__body_id", "request__body__name").annotate(
        n=Count("pk"), on_time=Count("pk", filter=Q(on_time=True))
    ):
        target = row(r["request__body_id"], r["request__body__name"])
        target.replied, target.on_time = r["n"], r["on_time"]
    overdue = scoped(DisclosureRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today))
    for r in overdue.values("body_id", "body__name").annotate(n=Count("pk")):
        row(r["body_id"], r["body__name"]).overdue_open = r["n"]
    items = scoped(ProactiveItem.objects.filter(published_at__date__range=(start, end)))
    for r in items.values("body_id", "body__name").annotate(n=Count("pk"), late=Count("pk", filter=Q(late=True))):
        target = row(r["body_id"], r["body__name"])
        target.published, target.published_late = r["n"], r["late"]
    waiting = scoped(
        ProactiveItem.objects.filter(
            status__in=[ItemStatus.DRAFT, ItemStatus.IN_REVIEW, ItemStatus.APPROVED], due_on__lt=today
        )
    )
    for r in waiting.values("body_id", "body__name").annotate(n=Count("pk")):
        row(r["body_id"], r["body__name"]).items_overdue = r["n"]
    alerts = scoped(DisclosureAlert.objects.filter(issued_at__date__range=(start, end)))
    for r in alerts.values("body_id", "body__name").annotate(
        yellow=Count("pk", filter=Q(colour=AlertColour.YELLOW)), red=Count("pk", filter=Q(colour=AlertColour.RED))
    ):
        target = row(r["body_id"], r["body__name"])
        target.yellow, target.red = r["yellow"], r["red"]
    ordered = sorted(rows.values(), key=lambda r: r.body)
    total = BodyRow("")
    for r in ordered:
        for field in (
            "received",
            "replied",
            "on_time",
            "overdue_open",
            "published",
            "published_late",
            "items_overdue",
            "yellow",
            "red",
        ):
            setattr(total, field, getattr(total, field) + getattr(r, field))
    return DisclosureFigures(ordered, total)
