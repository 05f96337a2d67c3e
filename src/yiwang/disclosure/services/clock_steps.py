"""The steps of a request's legal clock after receipt (docs/disclosure.md §2): the one correction request
(§30) and the corrected request, third-party consultation (§32, §34), the fee notice and its payment
(国办函〔2020〕109号) and the extension (§33). Each appends an event to the ledger the clock is computed from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.audit.services import audit_record
from yiwang.calendar.workdays import add_working_days
from yiwang.core.errors import Conflict, PermissionDenied, raise_problems
from yiwang.core.fields import choice_problems, text_problems
from yiwang.disclosure import clock, fees, follow, rules
from yiwang.disclosure.choices import (
    ClockEventKind,
    ConsultedParty,
    FeeMethod,
)
from yiwang.disclosure.models import ClockEvent, DisclosureRequest
from yiwang.disclosure.services._common import HEAD_ROLES, event_add, officer_authorize, request_locked, today
from yiwang.disclosure.workflow import REQUEST
from yiwang.notifications.services import notify

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yiwang.accounts.models import User

from yiwang.disclosure.services.requests import DESCRIPTION_MAX


def _events(request: DisclosureRequest) -> list[ClockEvent]:
    return list(request.events.all())


@transaction.atomic
def correction_request(
    *, actor: User, request: DisclosureRequest, what: str, period: int = rules.CORRECTION_PERIOD_DEFAULT
) -> ClockEvent:
    """§30: the office tells the requester once, within 7 working days of receipt, what to correct and
    by when; the clock stops until the corrected request arrives."""
    request = request_locked(request)
    officer_authorize(actor, request.body)
    request.status = REQUEST.target(request.status, "correction_request")
    problems = text_problems(what, "what", max_length=2000, required=True, multiline=True)
    if not isinstance(period, int) or isinstance(period, bool) or not 1 <= period <= rules.CORRECTION_PERIOD_MAX:
        problems.append(
            ("period", _("Give the requester 1 to %(n)d working days.") % {"n": rules.CORRECTION_PERIOD_MAX})
        )
    raise_problems(problems)
    if request.events.filter(kind=ClockEventKind.CORRECTION_REQUESTED).exists():
        raise Conflict(_("A correction is requested only once (§30)."), code="correction_once")
    last_day = add_working_days(request.received_on, rules.CORRECTION_NOTICE_WORKING_DAYS).date
    if today() > last_day:
        raise Conflict(
            _("A correction must be requested within 7 working days of receipt, by %(day)s (§30).")
            % {"day": last_day.isoformat()},
            code="correction_too_late",
        )
    until = add_working_days(today(), period).date
    event = event_add(request, ClockEventKind.CORRECTION_REQUESTED, actor=actor, note=what.strip(), until=until)
    if request.requester is not None:
        notify(
            recipient=request.requester,
            template="disclosure.correction",
            context={"number": request.number, "until": until.isoformat()},
            link=f"/disclosure/mine/{request.pk}/",
        )
    audit_record(actor=actor, action="disclosure.correction_request", target=request, changes={"until": str(until)})
    return event


@transaction.atomic
def correction_receive(
    *, actor: User | AnonymousUser | None, request: DisclosureRequest, text: str, follow_code: str = ""
) -> ClockEvent:
    """The corrected request: from the requester on the portal (their own request, or an account-less
    request with its follow-up code) or entered by the office. The reply is due 20 working days from
    today (§30)."""
    request = request_locked(request)
    by_requester = (
        actor is not None and actor.is_authenticated and request.requester_id is not None
        and request.requester_id == actor.pk
    ) or follow.matches(request, follow_code)  # fmt: skip
    if not by_requester:
        if actor is None or not actor.is_authenticated:
            raise PermissionDenied(_("Please log in first."), code="not_authenticated")
        officer_authorize(actor, request.body)
    recorded_by = actor if actor is not None and actor.is_authenticated else None
    request.status = REQUEST.target(request.status, "correction_receive")
    raise_problems(text_problems(text, "text", max_length=DESCRIPTION_MAX, required=True, multiline=True))
    asked = request.events.filter(kind=ClockEventKind.CORRECTION_REQUESTED).order_by("-pk").first()
    if asked is not None and asked.until is not None and today() > asked.until:
        raise Conflict(
            _("The period for the correction ended on %(day)s.") % {"day": asked.until.isoformat()},
            code="correction_period_over",
        )
    request.description = f"{request.description}\n\n【补正】{text.strip()}"
    request.save(update_fields=["description"])
    event = event_add(request, ClockEventKind.CORRECTED, actor=recorded_by, note=text.strip())
    audit_record(actor=recorded_by, action="disclosure.correction_receive", target=request)
    return event


@transaction.atomic
def consultation_start(
    *, actor: User, request: DisclosureRequest, party: str, party_name: str, note: str = ""
) -> ClockEvent:
    """§32 (a third party whose rights disclosure may harm) or §34 (another body that made it with us):
    consulted in writing; their 15 working days are not counted."""
    request = request_locked(request)
    officer_authorize(actor, request.body)
    request.status = REQUEST.target(request.status, "consultation_start")
    problems = choice_problems(party, "party", ConsultedParty.values)
    problems += text_problems(party_name, "party_name", max_length=100, required=True)
    problems += text_problems(note, "note", max_length=2000, multiline=True)
    raise_problems(problems)
    event = event_add(
        request,
        ClockEventKind.CONSULTATION_STARTED,
        actor=actor,
        party=party,
        party_name=party_name.strip(),
        note=note.strip(),
        until=add_working_days(today(), rules.CONSULTATION_WORKING_DAYS).date,
    )
    audit_record(actor=actor, action="disclosure.consultation_start", target=request, changes={"party": party})
    return event


@transaction.atomic
def consultation_end(*, actor: User, request: DisclosureRequest, note: str) -> ClockEvent:
    """The answer arrived, or the 15 working days passed without one (§32: the body then decides)."""
    request = request_locked(request)
    officer_authorize(actor, request.body)
    request.status = REQUEST.target(request.status, "consultation_end")
    raise_problems(text_problems(note, "note", max_length=2000, required=True, multiline=True))
    event = event_add(request, ClockEventKind.CONSULTATION_ENDED, actor=actor, note=note.strip())
    audit_record(actor=actor, action="disclosure.consultation_end", target=request)
    return event


def month_rank(request: DisclosureRequest) -> int:
    """The request's place among the same requester's requests to the body in its calendar month."""
    first = request.received_on.replace(day=1)
    same = DisclosureRequest.objects.filter(
        body_id=request.body_id,
        identity_digest=request.identity_digest,
        received_on__gte=first,
        received_on__lte=request.received_on,
    )
    return (
        same.filter(received_on__lt=request.received_on).count()
        + same.filter(received_on=request.received_on, pk__lte=request.pk).count()
    )


def released_pages(request: DisclosureRequest) -> int:
    return sum(request.documents.values_list("pages", flat=True))


@transaction.atomic
def fee_notify(*, actor: User, request: DisclosureRequest, method: str) -> ClockEvent:
    """国办函〔2020〕109号 (§42): where the requests clearly exceed a reasonable range, one method per
    request, the amount computed from the records — never typed. The days until payment are not
    counted; unpaid after 20 working days the request is closed."""
    request = request_locked(request)
    officer_authorize(actor, request.body)
    request.status = REQUEST.target(request.status, "fee_notify")
    raise_problems(choice_problems(method, "method", [FeeMethod.BY_COUNT, FeeMethod.BY_PAGES]))
    if request.fee_method != FeeMethod.NONE:
        raise Conflict(_("A request is charged once, by one method."), code="fee_once")
    quote = fees.quote(method, rank=month_rank(request), pages=released_pages(request))
    if quote.amount <= 0:
        raise Conflict(_("No fee is due: %(basis)s") % {"basis": quote.basis}, code="no_fee_due")
    request.fee_method, request.fee = method, quote.amount
    request.save(update_fields=["fee_method", "fee"])
    event = event_add(
        request,
        ClockEventKind.FEE_NOTICE,
        actor=actor,
        note=quote.basis,
        until=add_working_days(today(), rules.FEE_PAYMENT_WORKING_DAYS).date,
    )
    if request.requester is not None:
        notify(
            recipient=request.requester,
            template="disclosure.fee",
            context={"number": request.number, "basis": quote.basis, "until": event.until},
            link=f"/disclosure/mine/{request.pk}/",
        )
    audit_record(
        actor=actor,
        action="disclosure.fee_notify",
        target=request,
        changes={"method": method, "amount": str(quote.amount)},
    )
    return event


@transaction.atomic
def fee_pay(*, actor: User, request: DisclosureRequest) -> ClockEvent:
    """The office records the payment received; the clock runs again."""
    request = request_locked(request)
    officer_authorize(actor, request.body)
    request.status = REQUEST.target(request.status, "fee_pay")
    event = event_add(request, ClockEventKind.FEE_PAID, actor=actor, note=str(request.fee))
    audit_record(actor=actor, action="disclosure.fee_pay", target=request, changes={"amount": str(request.fee)})
    return event


@transaction.atomic
def request_extend(*, actor: User, request: DisclosureRequest, days: int, reason: str) -> ClockEvent:
    """§33: once, by at most 20 working days, with the consent of the head of the disclosure office —
    the head grants it in their own name — before the reply is due; the requester is told."""
    request = request_locked(request)
    authorize(actor, HEAD_ROLES, department=request.body)
    REQUEST.target(request.status, "extend")
    problems = text_problems(reason, "reason", max_length=1000, required=True, multiline=True)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= rules.MAX_EXTENSION_WORKING_DAYS:
        problems.append(
            ("days", _("An extension is 1 to %(n)d working days (§33).") % {"n": rules.MAX_EXTENSION_WORKING_DAYS})
        )
    raise_problems(problems)
    if request.events.filter(kind=ClockEventKind.EXTENDED).exists():
        raise Conflict(_("The reply period is extended only once (§33)."), code="extension_once")
    current = clock.compute(_events(request), today=today())
    if current.due is not None and today() > current.due:
        raise Conflict(
            _("The reply was due on %(day)s: an extension is granted before that.") % {"day": current.due.isoformat()},
            code="extension_too_late",
        )
    event = event_add(request, ClockEventKind.EXTENDED, actor=actor, approver=actor, days=days, note=reason.strip())
    if request.requester is not None:  # §33: 并告知申请人 (paper requesters are told by the office's letter)
        notify(
            recipient=request.requester,
            template="disclosure.extended",
            context={"number": request.number, "days": days, "due": request.due_on, "reason": reason.strip()},
            link=f"/disclosure/mine/{request.pk}/",
        )
    audit_record(actor=actor, action="disclosure.request_extend", target=request, changes={"days": days})
    return event


__all__ = [
    "consultation_end",
    "consultation_start",
    "correction_receive",
    "correction_request",
    "fee_notify",
    "fee_pay",
    "month_rank",
    "released_pages",
    "request_extend",
]
