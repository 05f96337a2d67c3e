"""What Open311 says of a service, a service request and the endpoint itself (GeoReport v2 and Service
Discovery), as mappings that ``formats`` writes as JSON or XML. Nothing of the caller is shown; the
description has ID and mobile numbers masked."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core.masking import mask_text
from yiwang.hotline.models import Category, Ticket, TicketStatus
from yiwang.hotline.open311.formats import FORMATS, MIME_TYPES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# What Open311 calls closed: the request has been resolved (or joined another that is handled).
CLOSED = (TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.MERGED)


def when(value: datetime | None) -> str | None:
    """A W3C date-time with its offset (GeoReport v2, "Date/time format"), in the platform's zone."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def changeset(value: datetime | None) -> str:
    """Sortable as text (Service Discovery): UTC, always the same width."""
    moment = value or datetime(2000, 1, 1, tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def service(category: Category) -> dict[str, Any]:
    """A leaf of the category tree as a service; its parent is the group. No service asks for more
    fields than GeoReport's own (``metadata`` false), and each answers with a request id (realtime)."""
    group = category.parent.name if category.parent else ""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or (f"{group}：{category.name}" if group else category.name),
        "metadata": False,
        "type": "realtime",
        "keywords": group,
        "group": group,
    }


def service_definition(category: Category) -> dict[str, Any]:
    return {"service_code": category.code, "attributes": []}


def _coordinate(value: Any) -> float | None:
    return float(value) if value is not None else None


def service_request(ticket: Ticket) -> dict[str, Any]:
    """A ticket as a service request, every field of the spec's response in its order; what the ticket
    does not have is null (an empty element in XML). ``address_id`` is the area's division code."""
    moments = [ticket.created_at, ticket.dispatched_at, ticket.signed_at, ticket.replied_at, ticket.closed_at]
    return {
        "service_request_id": ticket.number,
        "status": "closed" if ticket.status in CLOSED else "open",
        "status_notes": ticket.get_status_display(),
        "service_name": ticket.category.name,
        "service_code": ticket.category.code,
        "description": mask_text(ticket.description) or None,
        "agency_responsible": ticket.unit.name if ticket.unit else None,
        "service_notice": None,
        "requested_datetime": when(ticket.created_at),
        "updated_datetime": when(max(m for m in moments if m is not None)),
        "expected_datetime": when(ticket.due_at),
        "address": ticket.address or None,
        "address_id": ticket.region.code if ticket.region else None,
        "zipcode": None,
        "lat": _coordinate(ticket.latitude),
        "long": _coordinate(ticket.longitude),
        "media_url": ticket.media_url or None,
    }


def created(ticket: Ticket, token: str) -> dict[str, Any]:
    """The answer to POST Service Request: the id at once (realtime), and a token for clients written
    for batch servers (GET tokens/{token} leads to the same id)."""
    return {"service_request_id": ticket.number, "token": token, "service_notice": None, "account_id": None}


def discovery(*, url: str, changed: datetime | None, production: bool) -> dict[str, Any]:
    """The Service Discovery document: one GeoReport v2 endpoint in both formats. ``changed`` is the last
    change of the service list, so a client knows when to fetch it again."""
    stamp = changeset(changed)
    return {
        "changeset": stamp,
        "contact": _(
            "The 12345 government service hotline: call 12345 at any hour. Questions about this interface go "
            "to the 12345 centre's system administrator."
        ),
        "key_service": _(
            "The 12345 centre issues API keys of scope hotline:submit to civic apps; the system administrator "
            "creates them with manage.py yiwang_apikey issue --scope hotline:submit."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": stamp,
                "type": "production" if production else "test",
                "formats": [MIME_TYPES[f] for f in FORMATS],
            }
        ],
    }
