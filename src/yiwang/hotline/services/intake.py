"""Intake from every channel (the ticket number, the checks of what comes in), resolving at first
contact and merging duplicates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.counters import counter_next
from yiwang.core.errors import Conflict, raise_problems
from yiwang.core.fields import has_control_characters, text_problems
from yiwang.core.idempotency import insert_once, scoped_key
from yiwang.core.identifiers import normalise_phone
from yiwang.core.personal_data import lookup_digest
from yiwang.hotline.models import Category, Ticket, TicketChannel, TicketCounter, TicketKind, TicketStatus, Urgency
from yiwang.hotline.services._common import (
    ANSWER_MAX,
    DESCRIPTION_MAX,
    INTAKE_ROLES,
    _event,
    authorize_at,
    ticket_locked,
)
from yiwang.hotline.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Region

_PHONE = re.compile(r"^\+?[0-9]{7,15}$")


def ticket_number_next(day: date) -> str:
    """``12345-yyyymmdd-nnnnnn``, drawn inside the creating transaction (the counter row stays locked)."""
    serial = counter_next(TicketCounter, what="ticket numbers", day=day)
    return f"12345-{day:%Y%m%d}-{serial:06d}"


@dataclass(frozen=True)
class Intake:
    """What a channel brings in. The caller may be anonymous; the phone is kept encrypted."""

    channel: str
    kind: str
    category_code: str
    description: str
    address: str = ""
    region_code: str = ""
    latitude: str = ""
    longitude: str = ""
    urgency: str = Urgency.NORMAL
    caller_name: str = ""
    caller_phone: str = ""
    anonymous: bool = False
    wants_reply: bool = True
    media_url: str = ""


# Open311 GeoReport v2, POST Service Request: a place is required (lat and long, address_string or
# address_id, the area's division code) and the description is optional — the service and the place
# say what it is. Other channels describe every request in words and may have no place (an inquiry).
PLACE_REQUIRED = frozenset({TicketChannel.OPEN311})
DESCRIPTION_OPTIONAL = frozenset({TicketChannel.OPEN311})
MEDIA_URL_MAX = 500
_MEDIA_URL = URLValidator(schemes=["http", "https"])


def media_url_problems(value: str) -> list[tuple[str, str]]:
    """A link to a photo or other media kept elsewhere (Open311's media_url): http or https, at most
    ``MEDIA_URL_MAX`` characters. Only shown as a link; the platform never fetches it."""
    if not value:
        return []
    if len(value) > MEDIA_URL_MAX:
        return [("media_url", _("At most %(n)s characters.") % {"n": MEDIA_URL_MAX})]
    if has_control_characters(value):
        return [("media_url", _("This field contains characters that are not allowed."))]
    try:
        _MEDIA_URL(value)
    except DjangoValidationError:
        return [("media_url", _("Give the address of the media as an http or https URL."))]
    return []


def _coordinate(text: str, low: int, high: int) -> tuple[Decimal | None, bool]:
    if not text.strip():
        return None, True
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None, False
    if not value.is_finite():  # NaN, sNaN and Infinity compare as no number does
        return None, False
    return (value, True) if low <= value <= high else (None, False)


def intake_problems(intake: Intake) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Every problem of an intake at once (field, message in Chinese), and the cleaned values."""
    from yiwang.organisation.selectors import region_get

    problems: list[tuple[str, str]] = []
    clean: dict[str, Any] = {}
    if intake.channel not in TicketChannel.values:
        problems.append(("channel", _("Unknown channel.")))
    if intake.kind not in TicketKind.values:
        problems.append(("kind", _("Choose the kind: inquiry, help, complaint, report, suggestion or praise.")))
    if intake.urgency not in Urgency.values:
        problems.append(("urgency", _("Urgency is normal or urgent.")))
    category = Category.objects.filter(code=intake.category_code.strip(), active=True).first()
    if category is None:
        problems.append(("category", _("Choose the category of the request.")))
    elif category.children.filter(active=True).exists():
        problems.append(("category", _("Choose the most specific category (one without sub-categories).")))
    clean["category"] = category
    if intake.channel not in DESCRIPTION_OPTIONAL and len(intake.description.strip()) < 5:
        problems.append(("description", _("Describe the request in at least a few words.")))
    problems += text_problems(intake.description, "description", max_length=DESCRIPTION_MAX, multiline=True)
    problems += text_problems(intake.address, "address", max_length=200)
    problems += text_problems(intake.caller_name, "caller_name", max_length=60)
    region = None
    if intake.region_code.strip():
        region = region_get(code=intake.region_code.strip())
        if region is None:
            problems.append(("region", _("No area has this code.")))
    clean["region"] = region
    clean["latitude"], ok_lat = _coordinate(intake.latitude, -90, 90)
    clean["longitude"], ok_lng = _coordinate(intake.longitude, -180, 180)
    if not (ok_lat and ok_lng):
        problems.append(("latitude", _("Coordinates are decimal degrees (latitude −90…90, longitude −180…180).")))
    elif (clean["latitude"] is None) != (clean["longitude"] is None):
        problems.append(("latitude", _("Give both latitude and longitude, or neither.")))
    placed = clean["latitude"] is not None or intake.address.strip() or intake.region_code.strip()
    if intake.channel in PLACE_REQUIRED and not placed:
        problems.append(("location", _("Say where: latitude and longitude, an address, or the area's division code.")))
    problems += media_url_problems(intake.media_url.strip())
    phone = normalise_phone(intake.caller_phone) if intake.caller_phone.strip() else ""
    if phone and not _PHONE.match(phone):
        problems.append(("caller_phone", _("The phone number should be 7 to 15 digits.")))
    if not intake.anonymous and intake.wants_reply and not phone:
        problems.append(("caller_phone", _("A caller who wants a reply needs a phone number; or mark it anonymous.")))
    clean["phone"] = phone
    return problems, clean


@transaction.atomic
def ticket_create(
    *, actor: User | None, intake: Intake, caller_account: User | None = None, idempotency_key: str | None = None
) -> Ticket:
    """受理: a new ticket from any channel. Agents enter phone calls; channels come through the API."""
    return ticket_create_keyed(
        actor=actor, intake=intake, caller_account=caller_account, idempotency_key=idempotency_key
    )[0]


@transaction.atomic
def ticket_create_keyed(
    *,
    actor: User | None,
    intake: Intake,
    caller_account: User | None = None,
    idempotency_key: str | None = None,
    api_key: Any = None,
    open311_token: str | None = None,
) -> tuple[Ticket, bool]:
    """``ticket_create``, saying whether the ticket was created now (False: the caller's key replayed it).
    A channel's system is the key's owner when it calls with its ``api_key``; an Open311 request's
    token is written with the ticket, in its transaction."""
    key = scoped_key(
        operation="hotline.ticket_create", key=idempotency_key, actor=caller_account or actor, api_key=api_key
    )
    if key is not None and (existing := Ticket.objects.filter(idempotency_key=key).first()) is not None:
        return existing, False
    problems, clean = intake_problems(intake)
    if actor is not None and caller_account is None:
        authorize_at(actor, INTAKE_ROLES, clean["region"])
    raise_problems(problems)
    now = timezone.now()
    anonymous = intake.anonymous
    ticket = Ticket(
        channel=intake.channel,
        kind=intake.kind,
        category=clean["category"],
        urgency=intake.urgency,
        description=intake.description.strip(),
        address=intake.address.strip(),
        region=clean["region"],
        latitude=clean["latitude"],
        longitude=clean["longitude"],
        anonymous=anonymous,
        media_url=intake.media_url.strip(),
        caller_name="" if anonymous else intake.caller_name.strip(),
        caller_phone=clean["phone"],
        caller_phone_digest=lookup_digest(clean["phone"]) if clean["phone"] else "",
        caller_account=caller_account,
        wants_reply=intake.wants_reply and not anonymous,
        created_by=actor if caller_account is None else None,
        idempotency_key=key,
        open311_token=open311_token,
        api_key=api_key,
    )

    def number() -> None:
        ticket.number = ticket_number_next(timezone.localdate(now))

    ticket, created = insert_once(ticket, prepare=number)
    if not created:
        return ticket, False
    _event(ticket, actor, "create", "", channel=ticket.channel)
    audit_record(actor=actor, action="hotline.create", target=ticket, changes={"status": [None, ticket.status]})
    return ticket, True


@transaction.atomic
def ticket_resolve(*, actor: User | None, ticket: Ticket, answer: str, article: int | None = None) -> Ticket:
    """直接办结: the agent answers at first contact (济南 §23(1)), from the knowledge base where possible
    (the article's use is counted)."""
    raise_problems(
        text_problems(answer, "answer", max_length=ANSWER_MAX, multiline=True)
        or ([] if answer.strip() else [("answer", _("Write the answer given to the caller."))])
    )
    ticket = ticket_locked(ticket)
    if actor is not None:
        authorize_at(actor, INTAKE_ROLES, ticket.region)
    old = ticket.status
    ticket.status, ticket.answer, ticket.closed_at = WORKFLOW.target(old, "resolve"), answer.strip(), timezone.now()
    ticket.save()
    if article is not None:
        from yiwang.hotline.knowledge import article_used

        article_used(article)
    _event(ticket, actor, "resolve", old, answer.strip(), article=article)
    from yiwang.hotline.services.publishing import reply_propose

    reply_propose(ticket)  # 回复公开, where the caller agreed
    audit_record(actor=actor, action="hotline.resolve", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def ticket_merge(*, actor: User | None, ticket: Ticket, into: Ticket) -> Ticket:
    """并单: a duplicate joins the ticket that is being handled; it is closed with a pointer to it."""
    if actor is not None:
        authorize_at(actor, INTAKE_ROLES, ticket.region)
    if ticket.pk == into.pk:
        raise Conflict(_("A ticket cannot be merged into itself."), code="merge_self")
    ticket = ticket_locked(ticket)
    new = WORKFLOW.target(ticket.status, "merge")
    target = ticket_locked(into)
    if target.status == TicketStatus.MERGED:
        raise Conflict(_("That ticket was itself merged; merge into the one it points to."), code="merge_chain")
    if target.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        raise Conflict(
            _("That ticket is concluded: this call is a repeated request to be handled on its own."),
            code="merge_concluded",
        )
    old = ticket.status
    ticket.status, ticket.merged_into, ticket.closed_at = new, target, timezone.now()
    ticket.save()
    _event(ticket, actor, "merge", old, target.number)
    _event(target, actor, "merged_in", target.status, ticket.number)
    audit_record(actor=actor, action="hotline.merge", target=ticket, changes={"merged_into": [None, target.number]})
    return ticket


def region_by_code(code: str) -> Region | None:
    from yiwang.organisation.selectors import region_get

    return region_get(code=code)
