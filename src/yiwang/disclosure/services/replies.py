"""The reply as a structured decision (§36–§38) with its written text as PDF; a request closed because the
requester did not correct it or pay; appeals against a reply (复议, 诉讼)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core import pdf
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, NotFound, raise_problems
from yiwang.core.fields import Problem, choice_problems, date_problems, text_problems
from yiwang.disclosure import clock
from yiwang.disclosure.choices import (
    GROUNDS,
    LAPSE_GROUNDS,
    AppealKind,
    AppealOutcome,
    ClockEventKind,
    Delivery,
    FeeMethod,
    Ground,
    ItemStatus,
    Outcome,
    RequestStatus,
)
from yiwang.disclosure.models import Appeal, DisclosureRequest, ProactiveItem, RedactionArea, Reply
from yiwang.disclosure.services._common import event_add, officer_authorize, request_locked, today
from yiwang.disclosure.workflow import REQUEST
from yiwang.notifications.services import notify

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def reply_problems(
    *,
    outcome: str,
    ground: str,
    where_public: str,
    public_item: ProactiveItem | None,
    other_body: str,
    text: str,
    delivery: str,
    documents: int,
    body_id: int,
    redacted: bool = False,
) -> list[Problem]:
    """The rules of a reply, stated once for every entry point."""
    problems = choice_problems(outcome, "outcome", Outcome.values)
    allowed = GROUNDS.get(outcome, ())
    if allowed:
        if not ground:
            problems.append(("ground", _("This kind of reply states its legal ground.")))
        elif ground not in allowed or ground in LAPSE_GROUNDS:
            problems.append(("ground", _("Choose a ground that belongs to this kind of reply.")))
    elif ground:
        problems.append(("ground", _("This kind of reply takes no ground.")))
    problems += text_problems(where_public, "where_public", max_length=300)
    problems += text_problems(other_body, "other_body", max_length=200)
    problems += text_problems(text, "text", max_length=20000, required=True, multiline=True)
    problems += choice_problems(delivery, "delivery", Delivery.values)
    if outcome == Outcome.ALREADY_PUBLIC:
        if public_item is None and not where_public.strip():
            problems.append(("where_public", _("Say where the information is published (§36(1)).")))
        if public_item is not None and (public_item.status != ItemStatus.PUBLISHED or public_item.body_id != body_id):
            problems.append(("public_item", _("Choose an item this body has published.")))
    if outcome == Outcome.CANNOT and ground == Ground.NOT_THIS_BODY and not other_body.strip():
        problems.append(("other_body", _("Name the body to ask and how to reach it (§36(5)).")))
    if outcome in (Outcome.PROVIDED, Outcome.PARTLY) and documents == 0 and delivery == Delivery.ONLINE:
        problems.append(("documents", _("Add the documents to release before replying online.")))
    if documents and outcome not in (Outcome.PROVIDED, Outcome.PARTLY):
        problems.append(("documents", _("Only a reply that provides information releases documents: remove them.")))
    if redacted and outcome == Outcome.PROVIDED:
        # §37: what was withheld from a released document makes the reply a partial one, with its ground.
        problems.append(("outcome", _("Parts of the documents were removed: the reply is partly provided (§37).")))
    return problems


def _render(request: DisclosureRequest, reply: Reply) -> bytes:
    buffer = io.BytesIO()
    doc = pdf.document(buffer, _("Reply to a government information disclosure request"))
    story = [
        pdf.paragraph(request.body.name, "title"),
        pdf.paragraph(_("Reply to a government information disclosure request"), "notice_title"),
        pdf.paragraph(request.number, "right"),
        pdf.paragraph(f"{request.requester_name}：", "letter"),
    ]
    story += [pdf.paragraph(part, "letter") for part in reply.text.split("\n\n") if part.strip()]
    if reply.fee:
        story.append(pdf.paragraph(_("Information processing fee: %(fee)s yuan.") % {"fee": reply.fee}, "letter"))
    story += [
        pdf.paragraph(request.body.name, "right"),
        pdf.paragraph(reply.replied_on.strftime("%Y年%m月%d日"), "right"),
    ]
    doc.build(story)
    return buffer.getvalue()


@transaction.atomic
def reply_make(
    *,
    actor: User,
    request: DisclosureRequest,
    outcome: str,
    ground: str = "",
    text: str,
    delivery: str,
    where_public: str = "",
    public_item: ProactiveItem | None = None,
    other_body: str = "",
) -> Reply:
    """The body's reply: outcome and ground as the annual report counts them, the written text the officer
    edited from the template, the PDF made from it. On time when given by the due date the clock shows."""
    request = request_locked(request)
    officer_authorize(actor, request.body)
    REQUEST.target(request.status, "reply")
    documents = request.documents.count()
    raise_problems(
        reply_problems(
            outcome=outcome,
            ground=ground,
            where_public=where_public,
            public_item=public_item,
            other_body=other_body,
            text=text,
            delivery=delivery,
            documents=documents,
            body_id=request.body_id,
            redacted=RedactionArea.objects.filter(
                document__request=request, rejected=False, confirmed_at__isnull=False
            ).exists(),
        )
    )
    pending = request.documents.filter(areas__confirmed_at__isnull=True, areas__rejected=False).exists()
    if pending:
        raise Conflict(_("Confirm or reject every proposed redaction first."), code="redaction_pending")
    unredacted = request.documents.filter(released="").exists()
    if unredacted:
        raise Conflict(_("Every document is released as a redacted copy first."), code="release_pending")
    return _reply(
        request,
        actor=actor,
        outcome=outcome,
        ground=ground,
        text=text,
        delivery=delivery,
        where_public=where_public,
        public_item=public_item,
        other_body=other_body,
    )


def _reply(
    request: DisclosureRequest,
    *,
    actor: User | None,
    outcome: str,
    ground: str,
    text: str,
    delivery: str,
    where_public: str = "",
    public_item: ProactiveItem | None = None,
    other_body: str = "",
    on: date | None = None,
) -> Reply:
    replied_on = on or today()
    before = clock.compute(list(request.events.all()), today=replied_on)
    paid = request.fee_method != FeeMethod.NONE and request.events.filter(kind=ClockEventKind.FEE_PAID).exists()
    reply = Reply(
        request=request,
        outcome=outcome,
        ground=ground,
        where_public=where_public.strip(),
        public_item=public_item,
        other_body=other_body.strip(),
        text=text.strip(),
        delivery=delivery,
        fee_method=request.fee_method if paid else FeeMethod.NONE,
        fee=request.fee if paid else Decimal(0),
        replied_on=replied_on,
        on_time=before.due is None or replied_on <= before.due,
        extended=before.extension > 0,
        replied_by=actor,
    )
    content = _render(request, reply)
    reply.pdf_digest = sm3_hex(content)
    reply.pdf.save(f"{request.number}.pdf", ContentFile(content), save=False)
    reply.save()
    request.status = RequestStatus.REPLIED
    request.replied_on = replied_on
    event_add(request, ClockEventKind.REPLIED, actor=actor, on=replied_on, note=f"{outcome}/{ground}")
    if request.requester is not None:
        notify(
            recipient=request.requester,
            template="disclosure.replied",
            context={"number": request.number, "outcome": reply.get_outcome_display()},
            link=f"/disclosure/mine/{request.pk}/",
        )
    audit_record(
        actor=actor,
        action="disclosure.reply",
        target=request,
        actor_name="system" if actor is None else "",
        changes={"outcome": outcome, "ground": ground, "on_time": reply.on_time},
    )
    return reply


@transaction.atomic
def request_lapse(*, request: DisclosureRequest) -> Reply | None:
    """The requester did not correct the request (§30: taken as abandoned) or pay the fee in time: the
    request is closed as "other", with a written notice. Run by the nightly task; does nothing before
    the period ends."""
    request = request_locked(request)
    if request.status not in (RequestStatus.CORRECTION, RequestStatus.FEE_NOTICE):
        return None
    kind = (
        ClockEventKind.CORRECTION_REQUESTED if request.status == RequestStatus.CORRECTION else ClockEventKind.FEE_NOTICE
    )
    event = request.events.filter(kind=kind).order_by("-pk").first()
    if event is None or event.until is None or today() <= event.until:
        return None
    REQUEST.target(request.status, "lapse")
    if request.status == RequestStatus.CORRECTION:
        ground = Ground.NOT_CORRECTED
        text = _(
            "The request was not corrected by %(day)s as asked. Under Article 30 of the Regulations it is "
            "taken as abandoned and will not be handled further."
        ) % {"day": event.until.isoformat()}
    else:
        ground = Ground.FEE_UNPAID
        text = _("The fee was not paid by %(day)s as notified; the request will not be handled further.") % {
            "day": event.until.isoformat()
        }
    return _reply(request, actor=None, outcome=Outcome.OTHER, ground=ground, text=text, delivery=request.delivery)


def reply_template(request: DisclosureRequest, outcome: str, ground: str = "") -> str:
    """The text the officer starts from (and edits): the requester's request, the decision, the ground
    and the remedies."""
    received = request.received_on.strftime("%Y年%m月%d日")
    opening = _("We received your request for government information on %(day)s (number %(number)s).") % {
        "day": received,
        "number": request.number,
    }
    decisions: dict[str, str] = {
        Outcome.ALREADY_PUBLIC: _(
            "The information you asked for is already public; you can obtain it at the address below (Article 36(1))."
        ),
        Outcome.PROVIDED: _("The information you asked for is provided with this reply (Article 36(2))."),
        Outcome.PARTLY: _(
            "Part of the information is provided with this reply; the rest is withheld for the reason below "
            "(Article 37)."
        ),
        Outcome.REFUSED: _("The information you asked for will not be disclosed for the reason below (Article 36(3))."),
        Outcome.CANNOT: _("The information you asked for cannot be provided for the reason below."),
        Outcome.NOT_HANDLED: _(
            "Your request is not handled as a request for government information for the reason below."
        ),
        Outcome.OTHER: _("Your request has been handled as follows."),
    }
    decision = decisions.get(outcome, "")
    reason = str(Ground(ground).label) if ground in Ground.values else ""
    remedies = _(
        "If you disagree with this reply, you may apply for administrative reconsideration within 60 days "
        "of receiving it, or bring an administrative lawsuit within 6 months."
    )
    return "\n\n".join(part for part in (opening, decision, reason, remedies) if part)


# --- appeals ----------------------------------------------------------------------------------------------


@transaction.atomic
def appeal_record(
    *,
    actor: User,
    request: DisclosureRequest,
    kind: str,
    authority: str,
    filed_on: date | None,
    case_number: str = "",
    after_reconsideration: bool = False,
) -> Appeal:
    request = request_locked(request)
    officer_authorize(actor, request.body)
    REQUEST.target(request.status, "appeal")
    problems = choice_problems(kind, "kind", AppealKind.values)
    problems += text_problems(authority, "authority", max_length=100, required=True)
    problems += text_problems(case_number, "case_number", max_length=60)
    problems += date_problems(filed_on, "filed_on", required=True)
    if filed_on is not None and request.replied_on is not None and not request.replied_on <= filed_on <= today():
        problems.append(("filed_on", _("An appeal is filed after the reply and not in the future.")))
    if after_reconsideration and kind != AppealKind.LITIGATION:
        problems.append(("after_reconsideration", _("Only a lawsuit follows a reconsideration.")))
    raise_problems(problems)
    assert filed_on is not None
    appeal = Appeal.objects.create(
        request=request,
        kind=kind,
        authority=authority.strip(),
        case_number=case_number.strip(),
        filed_on=filed_on,
        after_reconsideration=after_reconsideration,
        recorded_by=actor,
    )
    audit_record(actor=actor, action="disclosure.appeal_record", target=appeal, changes={"kind": kind})
    return appeal


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, outcome: str, decided_on: date | None) -> Appeal:
    try:
        appeal = Appeal.objects.select_for_update().select_related("request__body").get(pk=appeal.pk)
    except Appeal.DoesNotExist as exc:
        raise NotFound() from exc
    officer_authorize(actor, appeal.request.body)
    problems = choice_problems(outcome, "outcome", [o for o in AppealOutcome.values if o != AppealOutcome.PENDING])
    problems += date_problems(decided_on, "decided_on", required=True)
    if decided_on is not None and not appeal.filed_on <= decided_on <= today():
        problems.append(("decided_on", _("A decision comes after the filing and not in the future.")))
    raise_problems(problems)
    if appeal.outcome != AppealOutcome.PENDING:
        raise Conflict(_("The appeal's outcome is already recorded."), code="appeal_decided")
    appeal.outcome, appeal.decided_on = outcome, decided_on
    appeal.save(update_fields=["outcome", "decided_on"])
    audit_record(actor=actor, action="disclosure.appeal_decide", target=appeal, changes={"outcome": outcome})
    return appeal


__all__ = ["appeal_decide", "appeal_record", "reply_make", "reply_problems", "reply_template", "request_lapse"]
