"""依申请公开: requests received on the portal (identity from the session, or an identity document without
an account) or entered by the office from a letter, fax or visit (§29, §31); the steps of their legal
clock after receipt are ``clock_steps``'s (docs/disclosure.md §2)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.accounts.choices import AccountKind
from yiwang.audit.services import audit_record
from yiwang.core.counters import counter_next
from yiwang.core.errors import PermissionDenied, raise_problems
from yiwang.core.fields import Problem, choice_problems, contact_phone_problems, date_problems, text_problems
from yiwang.core.identifiers import (
    credit_code_problem,
    normalise_credit_code,
    normalise_resident_id,
    resident_id_problem,
)
from yiwang.core.personal_data import lookup_digest
from yiwang.core.uploads import upload_checked, upload_problem
from yiwang.disclosure import follow
from yiwang.disclosure.choices import (
    ORGANISATION_KINDS,
    ClockEventKind,
    Delivery,
    RequestChannel,
    RequesterKind,
)
from yiwang.disclosure.models import DisclosureRequest, RequestCounter
from yiwang.disclosure.services._common import event_add, officer_authorize, today

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

DESCRIPTION_MAX = 2000
PAPER_CHANNELS = (RequestChannel.IN_PERSON, RequestChannel.LETTER, RequestChannel.FAX)
# A paper request is entered on the day it arrived, or within a month of it: §31's received day is the
# day the office signed for the letter or confirmed the fax, which the office states.
PAPER_BACKDATE_DAYS = 31


def _number(body: Department, year: int) -> str:
    from yiwang.disclosure.services.proactive import organisation_code

    serial = counter_next(RequestCounter, what="request numbers", body=body, year=year)
    return f"YSQ-{organisation_code(body.credit_code)}-{year}-{serial:05d}"


def _request_problems(
    *, description: str, purpose: str, form: str, delivery: str, address: str, phone: str
) -> list[Problem]:
    problems = text_problems(description, "description", max_length=DESCRIPTION_MAX, required=True, multiline=True)
    problems += text_problems(purpose, "purpose", max_length=500, multiline=True)
    problems += text_problems(form, "form", max_length=100)
    problems += choice_problems(delivery, "delivery", Delivery.values)
    problems += text_problems(address, "address", max_length=200, required=delivery == Delivery.POST)
    problems += contact_phone_problems(phone, "phone", required=True)
    return problems


def _requester_problems(kind: str, name: str, identity_number: str) -> tuple[str, list[Problem]]:
    """A requester typed rather than taken from an account: a person's resident ID, an organisation's
    unified social credit code (§29(2)(1)), normalised; the problems found."""
    problems = choice_problems(kind, "requester_kind", RequesterKind.values)
    problems += text_problems(name, "requester_name", max_length=100, required=True)
    if kind == RequesterKind.NATURAL_PERSON:
        identity = normalise_resident_id(identity_number)
        problem = resident_id_problem(identity) if identity else _("This field is required.")
    else:
        identity = normalise_credit_code(identity_number)
        problem = credit_code_problem(identity) if identity else _("This field is required.")
    if problem:
        problems.append(("identity_number", problem))
    return identity, problems


def _body_problems(body: Department | None) -> list[Problem]:
    if body is None or not body.is_active:
        return [("body", _("Choose the administrative body that holds the information."))]
    return []


def _create(
    *,
    body: Department,
    requester: User | None,
    kind: str,
    name: str,
    identity: str,
    phone: str,
    address: str,
    channel: str,
    description: str,
    purpose: str,
    form: str,
    delivery: str,
    received_on: date,
    entered_by: User | None,
    letter: UploadedFile[bytes] | None = None,
    identity_document: UploadedFile[bytes] | None = None,
    follow_digest: str = "",
) -> DisclosureRequest:
    request = DisclosureRequest(
        body=body,
        number=_number(body, received_on.year),
        requester=requester,
        requester_kind=kind,
        requester_name=name.strip(),
        identity_number=identity,
        identity_digest=lookup_digest(identity or name),
        phone=phone.strip(),
        address=address.strip(),
        channel=channel,
        description=description.strip(),
        purpose=purpose.strip(),
        form=form.strip(),
        delivery=delivery,
        received_on=received_on,
        entered_by=entered_by,
        follow_digest=follow_digest,
    )
    if letter is not None:
        checked = upload_checked(letter)
        request.letter.save(checked.name, letter, save=False)
    if identity_document is not None:
        checked = upload_checked(identity_document)
        request.identity_document.save(checked.name, identity_document, save=False)
    request.save()
    event_add(request, ClockEventKind.RECEIVED, actor=entered_by or requester, on=received_on)
    return request


@transaction.atomic
def request_submit(
    *,
    actor: User,
    body: Department | None,
    description: str,
    delivery: str,
    phone: str = "",
    address: str = "",
    purpose: str = "",
    form: str = "",
    requester_kind: str = "",
) -> DisclosureRequest:
    """A request made on the portal in the account's own name: the requester's name and ID number (or
    credit code) are the account's, never typed. A company account says what kind of organisation it
    is (the annual report's columns). §31(3): received the day it is submitted — the portal confirms at
    once with the request number."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Please log in first."), code="not_authenticated")
    if actor.kind == AccountKind.NATURAL_PERSON:
        kind, identity = RequesterKind.NATURAL_PERSON.value, actor.id_number
        problems: list[Problem] = []
    elif actor.kind == AccountKind.LEGAL_PERSON:
        kind, identity = requester_kind or RequesterKind.COMPANY.value, actor.credit_code or ""
        problems = choice_problems(kind, "requester_kind", [str(k) for k in ORGANISATION_KINDS])
    else:
        raise PermissionDenied(
            _("Staff accounts cannot make requests; log in as a person or a company."), code="not_a_requester"
        )
    phone = phone or actor.phone
    problems += _body_problems(body)
    problems += _request_problems(
        description=description, purpose=purpose, form=form, delivery=delivery, address=address, phone=phone
    )
    raise_problems(problems)
    assert body is not None
    request = _create(
        body=body,
        requester=actor,
        kind=kind,
        name=actor.full_name or actor.get_username(),
        identity=identity,
        phone=phone,
        address=address,
        channel=RequestChannel.ONLINE,
        description=description,
        purpose=purpose,
        form=form,
        delivery=delivery,
        received_on=today(),
        entered_by=None,
    )
    audit_record(actor=actor, action="disclosure.request_submit", target=request, changes={"number": request.number})
    return request


@transaction.atomic
def request_submit_anonymous(
    *,
    body: Department | None,
    requester_kind: str,
    requester_name: str,
    identity_number: str,
    phone: str,
    description: str,
    delivery: str,
    identity_document: UploadedFile[bytes] | None,
    address: str = "",
    purpose: str = "",
    form: str = "",
) -> tuple[DisclosureRequest, str]:
    """A request on the portal without an account (§29(2)(1)): the requester states who they are and sends
    their identity document (ID card, or the organisation's licence), which the office checks before it
    replies. Received the day it is submitted (§31(3)). Returns the request and its follow-up code, which
    is shown once: the requester reads progress and the reply with the request number and the code."""
    problems = _body_problems(body)
    identity, requester_problems = _requester_problems(requester_kind, requester_name, identity_number)
    problems += requester_problems
    problems += _request_problems(
        description=description, purpose=purpose, form=form, delivery=delivery, address=address, phone=phone
    )
    if identity_document is None:
        problems.append(("identity_document", _("Attach a scan or photo of your identity document.")))
    else:
        upload = upload_problem(identity_document)
        if upload:
            problems.append(("identity_document", upload))
    raise_problems(problems)
    assert body is not None and identity_document is not None
    code, code_digest = follow.new_code()
    request = _create(
        body=body,
        requester=None,
        kind=requester_kind,
        name=requester_name,
        identity=identity,
        phone=phone,
        address=address,
        channel=RequestChannel.ONLINE,
        description=description,
        purpose=purpose,
        form=form,
        delivery=delivery,
        received_on=today(),
        entered_by=None,
        identity_document=identity_document,
        follow_digest=code_digest,
    )
    audit_record(
        actor=None, action="disclosure.request_submit_anonymous", target=request, changes={"number": request.number}
    )
    return request, code


@transaction.atomic
def request_enter(
    *,
    actor: User,
    body: Department | None,
    channel: str,
    requester_kind: str,
    requester_name: str,
    identity_number: str,
    phone: str,
    address: str = "",
    description: str,
    delivery: str,
    received_on: date | None,
    purpose: str = "",
    form: str = "",
    letter: UploadedFile[bytes] | None = None,
) -> DisclosureRequest:
    """A request on paper (§29): in person (written down for the requester when writing is hard), by
    letter or by fax, entered by the body's office with the scan of what arrived."""
    problems = _body_problems(body)
    raise_problems(problems)
    assert body is not None
    officer_authorize(actor, body)
    problems = choice_problems(channel, "channel", [str(c) for c in PAPER_CHANNELS])
    identity, requester_problems = _requester_problems(requester_kind, requester_name, identity_number)
    problems += requester_problems
    problems += _request_problems(
        description=description, purpose=purpose, form=form, delivery=delivery, address=address, phone=phone
    )
    problems += date_problems(received_on, "received_on", required=True)
    if received_on is not None and not today() - timedelta(days=PAPER_BACKDATE_DAYS) <= received_on <= today():
        problems.append(("received_on", _("Enter the day it arrived: today or within the last month.")))
    if channel in (RequestChannel.LETTER, RequestChannel.FAX) and letter is None:
        problems.append(("letter", _("Attach the scan of the letter or fax.")))
    if letter is not None:
        upload = upload_problem(letter)
        if upload:
            problems.append(("letter", upload))
    raise_problems(problems)
    assert received_on is not None
    request = _create(
        body=body,
        requester=None,
        kind=requester_kind,
        name=requester_name,
        identity=identity,
        phone=phone,
        address=address,
        channel=channel,
        description=description,
        purpose=purpose,
        form=form,
        delivery=delivery,
        received_on=received_on,
        entered_by=actor,
        letter=letter,
    )
    audit_record(actor=actor, action="disclosure.request_enter", target=request, changes={"number": request.number})
    return request


__all__ = ["request_enter", "request_submit", "request_submit_anonymous"]
