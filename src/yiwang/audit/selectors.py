"""Reads of the audit trail, for the security auditor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.audit.models import AuditRecord


@dataclass(frozen=True)
class AuditQuery:
    text: str = ""
    action: str = ""
    result: str = ""
    since: date | None = None
    until: date | None = None


def audit_search(query: AuditQuery) -> QuerySet[AuditRecord]:
    records = AuditRecord.objects.all().order_by("-id")
    if query.text:
        condition = Q(actor_name__icontains=query.text) | Q(object_id=query.text) | Q(request_id=query.text)
        if _looks_like_ip(query.text):
            condition |= Q(source_ip=query.text)
        records = records.filter(condition)
    if query.action:
        records = records.filter(action__startswith=query.action)
    if query.result:
        records = records.filter(result=query.result)
    zone = timezone.get_current_timezone()
    if query.since:
        records = records.filter(occurred_at__gte=datetime.combine(query.since, time.min, tzinfo=zone))
    if query.until:
        records = records.filter(occurred_at__lte=datetime.combine(query.until, time.max, tzinfo=zone))
    return records


def _looks_like_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def audit_actions() -> list[str]:
    """The families of actions in the trail (``organisation``, ``auth``…) for the filter."""
    return sorted({action.split(".")[0] for action in AuditRecord.objects.values_list("action", flat=True).distinct()})
