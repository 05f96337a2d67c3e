"""Writes of the hotline: intake from every channel, resolving at first contact, dispatch by the
catalogue or by hand, merging duplicates. Each is one transaction with its permission check, audit
record and history entry (docs/hotline.md)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, raise_problems
from yiwang.core.fields import text_problems
from yiwang.core.idempotency import insert_once, scoped_key
from yiwang.core.identifiers import normalise_phone
from yiwang.core.personal_data import lookup_digest
from yiwang.hotline.models import (
    Category,
    Ticket,
    TicketChannel,
    TicketCounter,
    TicketEvent,
    TicketKind,
    TicketStatus,
    Urgency,
)
from yiwang.hotline.rules import due_at
from yiwang.hotline.selectors import dispatch_suggestion, ticket_limit

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department, Region

_PHONE = re.compile(r"^\+?\d{7,15}$")
DESCRIPTION_MAX = ANSWER_MAX = 5000
INTAKE_ROLES = {Role.HOTLINE_AGENT, Role.DISPATCHER}
DISPATCH_ROLES = {Role.DISPATCHER}


def authorize_at(actor: User, roles: set[Role], region: Region | None) -> None:
    """A staff role covering the ticket's area; a ticket without an area needs only the role."""
    if region is not None:
        authorize(actor, roles, region=region)
    elif not user_has_role(user=actor, roles=roles):
        raise PermissionDenied()


def ticket_number_next(day: date) -> str:
    """``12345-yyyymmdd-nnnnnn``, drawn inside the creating transaction (the counter row stays locked)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ticket numbers are drawn inside the transaction that creates the ticket")
    counter = TicketCounter.objects.filter(day=day).values_list("pk", flat=True).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = TicketCounter.objects.create(day=day).pk
        except IntegrityError:
            counter = TicketCounter.objects.values_list("pk", flat=True).get(day=day)
    TicketCounter.objects.filter(pk=counter).update(last=F("last") + 1)
    serial = TicketCounter.objects.values_list("last", flat=True).get(pk=counter)
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


def _event(ticket: Ticket, actor: User | None, action: str, old: str, note: str = "", **details: Any) -> None:
    TicketEvent.objects.create(
        ticket=ticket, action=action, from_status=old, to_status=ticket.status, actor=actor, unit=ticket.unit,
        note=note, details=details,
    )  # fmt: skip


def _coordinate(text: str, low: int, high: int) -> tuple[Decimal | None, bool]:
    if not text.strip():
        return None, True
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None, False
    return (value, True) if low <= value <= high else (None, False)


def intake_problems(intake: Intake) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Every problem of an intake at once (field, message in Chinese), and the cleaned values."""
    from yiwang.organisation.models import Region

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
    if len(intake.description.strip()) < 5:
        problems.append(("description", _("Describe the request in at least a few words.")))
    problems += text_problems(intake.description, "description", max_length=DESCRIPTION_MAX, multiline=True)
    problems += text_problems(intake.address, "address", max_length=200)
    problems += text_problems(intake.caller_name, "caller_name", max_length=60)
    region = None
    if intake.region_code.strip():
        region = Region.objects.filter(code=intake.region_code.strip()).first()
        if region is None:
            problems.append(("region", _("No area has this code.")))
    clean["region"] = region
    clean["latitude"], ok_lat = _coordinate(intake.latitude, -90, 90)
    clean["longitude"], ok_lng = _coordinate(intake.longitude, -180, 180)
    if not (ok_lat and ok_lng):
        problems.append(("latitude", _("Coordinates are decimal degrees (latitude −90…90, longitude −180…180).")))
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


def ticket_locked(ticket: Ticket) -> Ticket:
    found = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("category", "region", "unit")
        .filter(pk=ticket.pk)
        .first()
    )
    if found is None:
        raise NotFound(code="not_found")
    return found


def require_status(ticket: Ticket, *allowed: str) -> None:
    if ticket.status not in allowed:
        raise Conflict(
            _("A ticket that is “%(status)s” cannot take this step.") % {"status": ticket.get_status_display()},
            code="transition_not_allowed",
        )


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
    require_status(ticket, TicketStatus.NEW)
    old = ticket.status
    ticket.status, ticket.answer, ticket.closed_at = TicketStatus.RESOLVED, answer.strip(), timezone.now()
    ticket.save()
    if article is not None:
        from yiwang.hotline.knowledge import article_used

        article_used(article)
    _event(ticket, actor, "resolve", old, answer.strip(), article=article)
    audit_record(actor=actor, action="hotline.resolve", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def ticket_dispatch(*, actor: User | None, ticket: Ticket, unit: Department | None = None, note: str = "") -> Ticket:
    """派单: to the unit named, or to the dispatch catalogue's unit; the reply clock starts now."""
    ticket = ticket_locked(ticket)
    if actor is not None:
        authorize_at(actor, DISPATCH_ROLES, ticket.region)
    require_status(ticket, TicketStatus.NEW)
    chosen = unit or dispatch_suggestion(ticket)
    if chosen is None:
        raise Conflict(_("The dispatch catalogue has no unit for this ticket: choose one."), code="no_dispatch_rule")
    old = ticket.status
    now = timezone.now()
    ticket.status, ticket.unit, ticket.dispatched_at = TicketStatus.DISPATCHED, chosen, now
    ticket.due_at = due_at(now, ticket_limit(ticket), ticket.extension_days)
    ticket.save()
    _event(ticket, actor, "dispatch", old, note.strip(), by="hand" if unit else "catalogue")
    audit_record(actor=actor, action="hotline.dispatch", target=ticket, changes={"unit": [None, chosen.name]})
    return ticket


@transaction.atomic
def ticket_merge(*, actor: User | None, ticket: Ticket, into: Ticket) -> Ticket:
    """并单: a duplicate joins the ticket that is being handled; it is closed with a pointer to it."""
    if actor is not None:
        authorize_at(actor, INTAKE_ROLES, ticket.region)
    if ticket.pk == into.pk:
        raise Conflict(_("A ticket cannot be merged into itself."), code="merge_self")
    ticket = ticket_locked(ticket)
    require_status(ticket, TicketStatus.NEW)
    target = ticket_locked(into)
    if target.status == TicketStatus.MERGED:
        raise Conflict(_("That ticket was itself merged; merge into the one it points to."), code="merge_chain")
    if target.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        raise Conflict(
            _("That ticket is concluded: this call is a repeated request to be handled on its own."),
            code="merge_concluded",
        )
    old = ticket.status
    ticket.status, ticket.merged_into, ticket.closed_at = TicketStatus.MERGED, target, timezone.now()
    ticket.save()
    _event(ticket, actor, "merge", old, target.number)
    _event(target, actor, "merged_in", target.status, ticket.number)
    audit_record(actor=actor, action="hotline.merge", target=ticket, changes={"merged_into": [None, target.number]})
    return ticket


def region_by_code(code: str) -> Region | None:
    from yiwang.organisation.models import Region

    return Region.objects.filter(code=code).first()


CATALOGUE_ROLES = {Role.CENTRE_ADMIN}


@transaction.atomic
def category_upsert(
    *,
    actor: User | None,
    code: str,
    name: str,
    parent: Category | None = None,
    order: int = 0,
    time_limit_hours: int | None = None,
    active: bool = True,
) -> Category:
    """The category tree is kept by the centre's administrators."""
    if actor is not None:
        authorize_at(actor, CATALOGUE_ROLES, None)
    problems = []
    if not re.match(r"^[A-Z0-9]{2,20}$", code):
        problems.append(("code", _("Use 2–20 capital letters or digits.")))
    if not name.strip():
        problems.append(("name", _("This field is required.")))
    raise_problems(problems)
    category, _created = Category.objects.update_or_create(
        code=code,
        defaults={
            "name": name.strip(),
            "parent": parent,
            "order": order,
            "time_limit_hours": time_limit_hours,
            "active": active,
        },
    )
    audit_record(
        actor=actor, action="hotline.category_upsert", target=category, changes={"name": [None, category.name]}
    )
    return category


@transaction.atomic
def dispatch_rule_add(
    *,
    actor: User | None,
    category: Category,
    unit: Department,
    keywords: list[str] | None = None,
    region: Region | None = None,
    priority: int = 100,
) -> Any:
    """A line of the dispatch catalogue (派单目录), kept by the centre's administrators."""
    from yiwang.hotline.models import DispatchRule

    if actor is not None:
        authorize_at(actor, CATALOGUE_ROLES, region)
    rule = DispatchRule.objects.create(
        category=category,
        unit=unit,
        keywords=[k.strip() for k in keywords or [] if k.strip()],
        region=region,
        priority=priority,
    )
    audit_record(actor=actor, action="hotline.dispatch_rule_add", target=rule, changes={"unit": [None, unit.name]})
    return rule


# --- Handling units, supervision and follow-up ----------------------------------------------------

UNIT_ROLES = {Role.HANDLER}
SUPERVISE_ROLES = {Role.SUPERVISOR}
FOLLOW_UP_ROLES = {Role.HOTLINE_AGENT, Role.SUPERVISOR}
OPEN_FOR_UNIT = (TicketStatus.DISPATCHED, TicketStatus.SIGNED)


def return_window_hours() -> int:
    """How long after dispatch a unit may still ask to return a ticket (安阳: 24 hours)."""
    from django.conf import settings

    return int(getattr(settings, "YIWANG_HOTLINE_RETURN_HOURS", 24))


def require_unit_officer(actor: User | None, ticket: Ticket) -> None:
    if actor is not None:
        if ticket.unit is None:
            raise PermissionDenied(code="out_of_scope")
        authorize(actor, UNIT_ROLES, department=ticket.unit)


@transaction.atomic
def ticket_sign(*, actor: User | None, ticket: Ticket) -> Ticket:
    """签收: the unit acknowledges the ticket."""
    ticket = ticket_locked(ticket)
    require_unit_officer(actor, ticket)
    require_status(ticket, TicketStatus.DISPATCHED)
    old = ticket.status
    ticket.status, ticket.signed_at = TicketStatus.SIGNED, timezone.now()
    ticket.save()
    _event(ticket, actor, "sign", old)
    audit_record(actor=actor, action="hotline.sign", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def ticket_return_request(*, actor: User | None, ticket: Ticket, reason: str) -> Ticket:
    """退单: only when it is not the unit's duty, within the window after dispatch, and never once the
    dispatcher designated the unit after reviewing a return (潍坊 §22)."""
    raise_problems([] if reason.strip() else [("reason", _("Say why this is not your unit's duty."))])
    ticket = ticket_locked(ticket)
    require_unit_officer(actor, ticket)
    require_status(ticket, *OPEN_FOR_UNIT)
    if ticket.unit_designated:
        raise Conflict(
            _("The dispatcher designated your unit after reviewing a return: it can no longer be returned."),
            code="return_not_allowed",
        )
    assert ticket.dispatched_at is not None
    hours = return_window_hours()
    if timezone.now() - ticket.dispatched_at > timedelta(hours=hours):
        raise Conflict(
            _("A ticket can be returned only within %(hours)s hours of dispatch.") % {"hours": hours},
            code="return_window_passed",
        )
    old = ticket.status
    ticket.status, ticket.return_reason = TicketStatus.RETURN_REQUESTED, reason.strip()[:300]
    ticket.save()
    _event(ticket, actor, "return_request", old, reason.strip())
    audit_record(actor=actor, action="hotline.return_request", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def ticket_return_review(
    *, actor: User | None, ticket: Ticket, approve: bool, note: str = "", unit: Department | None = None
) -> Ticket:
    """The dispatcher reviews a return. Approved: the ticket goes to ``unit`` (or waits for dispatch);
    refused: it stays with the unit. Either way the unit that ends up with it may not return it again."""
    raise_problems([] if note.strip() else [("note", _("Give the reason of the review."))])
    ticket = ticket_locked(ticket)
    if actor is not None:
        authorize_at(actor, DISPATCH_ROLES, ticket.region)
    require_status(ticket, TicketStatus.RETURN_REQUESTED)
    old, previous = ticket.status, ticket.unit
    now = timezone.now()
    if approve and unit is None:
        ticket.status, ticket.unit, ticket.due_at, ticket.dispatched_at = TicketStatus.NEW, None, None, None
        ticket.unit_designated = False
    else:
        if approve:
            assert unit is not None
            ticket.unit, ticket.dispatched_at = unit, now
            ticket.due_at = due_at(now, ticket_limit(ticket), ticket.extension_days)
        ticket.status = TicketStatus.SIGNED if ticket.signed_at and not approve else TicketStatus.DISPATCHED
        ticket.unit_designated = True
    ticket.save()
    _event(
        ticket, actor, "return_review", old, note.strip(), approved=approve,
        from_unit=previous.name if previous else "", to_unit=ticket.unit.name if ticket.unit else "",
    )  # fmt: skip
    audit_record(actor=actor, action="hotline.return_review", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


@transaction.atomic
def ticket_reply(*, actor: User | None, ticket: Ticket, answer: str) -> Ticket:
    """答复: the unit's result, told to the caller and reviewed by the centre."""
    raise_problems(
        text_problems(answer, "answer", max_length=ANSWER_MAX, multiline=True)
        or ([] if answer.strip() else [("answer", _("Write what was done and the result."))])
    )
    ticket = ticket_locked(ticket)
    require_unit_officer(actor, ticket)
    require_status(ticket, TicketStatus.SIGNED)
    old = ticket.status
    ticket.status, ticket.answer, ticket.replied_at = TicketStatus.REPLIED, answer.strip(), timezone.now()
    token = _rating_link_prepare(ticket)
    ticket.save()
    if token:
        phone = ticket.caller_phone
        transaction.on_commit(lambda: _rating_link_send(phone, ticket.number, token))
    _event(
        ticket, actor, "reply", old, answer.strip(), on_time=bool(ticket.due_at and ticket.replied_at <= ticket.due_at)
    )
    audit_record(actor=actor, action="hotline.reply", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


def _rating_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _rating_link_prepare(ticket: Ticket) -> str:
    """A caller who left a number gets a rating link with the reply; only its digest is kept, and a
    new reply (after a redo) replaces it."""
    if ticket.anonymous or not ticket.caller_phone:
        ticket.rating_token_digest = None
        return ""
    token = secrets.token_urlsafe(16)
    ticket.rating_token_digest = _rating_digest(token)
    return token


def _rating_link_send(phone: str, number: str, token: str) -> None:
    from django.conf import settings

    from yiwang.core.sms import sms_send

    link = f"{settings.YIWANG_PUBLIC_URL.rstrip('/')}/12345/rate/{token}/"
    text = _("[12345] Your request %(number)s was answered. Please tell us how it went: %(link)s") % {
        "number": number,
        "link": link,
    }
    sms_send(phone=phone, text=text)


def ticket_by_rating_token(token: str) -> Ticket | None:
    """The replied ticket a rating link is for (None once it is rated, closed or redone)."""
    if not token or len(token) > 64:
        return None
    return (
        Ticket.objects.filter(rating_token_digest=_rating_digest(token), status=TicketStatus.REPLIED)
        .select_related("category", "unit")
        .first()
    )


@transaction.atomic
def ticket_rate_by_link(*, token: str, satisfaction: str, solved: bool | None, note: str = "") -> Ticket:
    """The caller's own rating from the SMS link counts as the follow-up: satisfied or basically
    satisfied closes the ticket; dissatisfied sends it back to be redone (济南 §27)."""
    from yiwang.hotline.models import Satisfaction

    ticket = ticket_by_rating_token(token)
    if ticket is None:
        raise NotFound(_("This rating link is no longer valid: the request was already rated."), code="not_found")
    return ticket_follow_up(
        actor=None, ticket=ticket, satisfaction=satisfaction, solved=solved, note=note,
        redo=satisfaction == Satisfaction.DISSATISFIED, via="sms",
    )  # fmt: skip


@transaction.atomic
def extension_request(*, actor: User | None, ticket: Ticket, days: int, reason: str) -> Any:
    """延期申请 by the unit, for an open ticket; one at a time."""
    from yiwang.hotline.models import ExtensionRequest

    problems = [] if reason.strip() else [("reason", _("Say why more time is needed."))]
    if not 1 <= days <= 30:
        problems.append(("days", _("Ask for 1 to 30 working days.")))
    raise_problems(problems)
    ticket = ticket_locked(ticket)
    require_unit_officer(actor, ticket)
    require_status(ticket, *OPEN_FOR_UNIT)
    if ticket.extensions.filter(approved__isnull=True).exists():
        raise Conflict(_("An extension request of this ticket is waiting for a decision."), code="extension_pending")
    request = ExtensionRequest.objects.create(ticket=ticket, days=days, reason=reason.strip(), requested_by=actor)
    _event(ticket, actor, "extension_request", ticket.status, reason.strip(), days=days)
    audit_record(actor=actor, action="hotline.extension_request", target=ticket, changes={"days": [None, days]})
    return request


@transaction.atomic
def extension_decide(*, actor: User | None, request: Any, approve: bool, note: str = "") -> Any:
    """The supervisor approves (the due time moves by the working days) or refuses."""
    from yiwang.hotline.models import ExtensionRequest

    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    ticket = ticket_locked(request.ticket)
    if actor is not None:
        authorize_at(actor, SUPERVISE_ROLES, ticket.region)
    if request.approved is not None:
        raise Conflict(_("This extension request was already decided."), code="extension_decided")
    require_status(ticket, *OPEN_FOR_UNIT)
    request.approved, request.decided_by, request.decided_at = approve, actor, timezone.now()
    request.decision_note = note.strip()[:300]
    request.save()
    if approve:
        ticket.extension_days += request.days
        assert ticket.dispatched_at is not None
        ticket.due_at = due_at(ticket.dispatched_at, ticket_limit(ticket), ticket.extension_days)
        ticket.save()
    _event(ticket, actor, "extension_decide", ticket.status, note.strip(), approved=approve, days=request.days)
    audit_record(actor=actor, action="hotline.extension_decide", target=ticket, changes={"approved": [None, approve]})
    return request


@transaction.atomic
def ticket_follow_up(
    *,
    actor: User | None,
    ticket: Ticket,
    satisfaction: str,
    solved: bool | None,
    note: str = "",
    reached: bool = True,
    redo: bool = False,
    via: str = "phone",
) -> Ticket:
    """回访 (济南 §27): every replied ticket is followed up; the ticket is closed, or — the caller being
    dissatisfied — sent back to the unit to be redone with a new reply time."""
    from yiwang.hotline.models import FollowUp, Satisfaction

    problems = []
    if reached and satisfaction not in Satisfaction.values:
        problems.append(("satisfaction", _("Record whether the caller is satisfied.")))
    if redo and satisfaction != Satisfaction.DISSATISFIED:
        problems.append(("redo", _("Only a dissatisfied caller's ticket is sent back to be redone.")))
    raise_problems(problems)
    ticket = ticket_locked(ticket)
    if actor is not None:
        authorize_at(actor, FOLLOW_UP_ROLES, ticket.region)
    require_status(ticket, TicketStatus.REPLIED)
    FollowUp.objects.create(
        ticket=ticket, satisfaction=satisfaction if reached else "", solved=solved if reached else None,
        reached=reached, note=note.strip()[:500], by=actor, via=via,
    )  # fmt: skip
    old = ticket.status
    now = timezone.now()
    ticket.rating_token_digest = None
    if redo:
        ticket.status, ticket.replied_at, ticket.dispatched_at = TicketStatus.SIGNED, None, now
        ticket.extension_days = 0
        ticket.due_at = due_at(now, ticket_limit(ticket))
        action = "redo"
    else:
        ticket.status, ticket.closed_at = TicketStatus.CLOSED, now
        action = "follow_up"
    ticket.save()
    _event(ticket, actor, action, old, note.strip(), satisfaction=satisfaction, solved=solved, reached=reached)
    audit_record(actor=actor, action=f"hotline.{action}", target=ticket, changes={"status": [old, ticket.status]})
    return ticket


# --- Attachments ---------------------------------------------------------------------------------

MAX_ATTACHMENTS = 9
CHANNEL_ATTACH_HOURS = 24


@transaction.atomic
def ticket_attach(*, actor: User | None, ticket: Ticket, uploads: list[Any], api_key: Any = None) -> list[Any]:
    """Photos or documents of a ticket: the caller's (by the channel that submitted it — ``api_key``, its
    system — within a day of submission), the agent's (a scanned letter) or the handling unit's evidence
    of what it did. Every file is checked before any is stored; at most nine per ticket."""
    from yiwang.core.uploads import upload_checked, upload_problem
    from yiwang.hotline.models import TicketAttachment

    problems = [("file", problem) for upload in uploads if (problem := upload_problem(upload))]
    if not uploads:
        problems.append(("file", _("Choose a file to attach.")))
    raise_problems(problems)
    ticket = ticket_locked(ticket)
    if actor is None:
        too_late = timezone.now() - ticket.created_at > timedelta(hours=CHANNEL_ATTACH_HOURS)
        its_own = api_key is not None and ticket.api_key_id == api_key.pk
        if not its_own or ticket.channel == TicketChannel.PHONE or too_late:
            raise PermissionDenied(
                _("A channel may attach files only to its own tickets within a day of submitting them."),
                code="out_of_scope",
            )
    elif not user_has_role(user=actor, roles=INTAKE_ROLES | UNIT_ROLES | SUPERVISE_ROLES):
        raise PermissionDenied()
    if ticket.status == TicketStatus.MERGED:
        raise Conflict(_("Attach files to the ticket this one was merged into."), code="merged")
    if ticket.attachments.count() + len(uploads) > MAX_ATTACHMENTS:
        raise Conflict(
            _("A ticket can have at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}, code="too_many_attachments"
        )
    made = []
    for upload in uploads:
        checked = upload_checked(upload)
        attachment = TicketAttachment.objects.create(
            ticket=ticket, file=upload, name=checked.name, size=checked.size,
            content_type=checked.content_type, digest=checked.digest, uploaded_by=actor,
        )  # fmt: skip
        made.append(attachment)
    _event(ticket, actor, "attach", ticket.status, "、".join(a.name for a in made))
    audit_record(actor=actor, action="hotline.attach", target=ticket, changes={"attachments": [None, len(made)]})
    return made
