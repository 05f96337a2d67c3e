"""回复公开: requests whose callers agreed are published with the city's answer, after a reviewer approved
a text with every personal detail removed, so that people find an answer before they call
(docs/hotline.md, "The citizen's side").

A finished ticket with consent becomes a pending reply whose text is scrubbed already (names, phones, ID
numbers, house numbers); the reviewer edits and approves it. Approval is refused while the text still
holds a phone or ID number, a house number or the caller's name — checked here, whoever approves."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import NotFound, raise_problems
from yiwang.core.fields import Problem, choice_problems, text_problems
from yiwang.hotline.models import PublishedReply, ReplyStatus, Ticket
from yiwang.hotline.services._common import SUPERVISE_ROLES, authorize_at
from yiwang.hotline.workflow import PUBLISHING

if TYPE_CHECKING:
    from yiwang.accounts.models import User

TITLE_MAX = 120
TEXT_MAX = 5000
PUBLISH_ROLES = SUPERVISE_ROLES

# What must never be published: runs of 7 or more digits (phones, landlines, ID numbers and bank cards,
# with the separators people type), an ID number ending in X, and house numbers (12号, 3栋, 2单元, 501室…).
_LONG_NUMBER = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?[0-9](?:[- ]?[0-9]){6,}[0-9Xx]?(?![0-9])")
_ID_X = re.compile(r"(?<![0-9])[0-9]{17}[Xx]")
_HOUSE = re.compile(r"[0-9０-９一二三四五六七八九十百零〇]+(?:号楼|号院|号|栋|幢|单元|室|弄|楼|层|户)")
_HIDDEN = "＊＊"


def personal_data_left(text: str, *, names: tuple[str, ...] = ()) -> list[str]:
    """What in ``text`` would identify someone: the kinds found (phone_or_id, house_number, name)."""
    found = []
    if _LONG_NUMBER.search(text) or _ID_X.search(text):
        found.append("phone_or_id")
    if _HOUSE.search(text):
        found.append("house_number")
    if any(name and len(name) >= 2 and name in text for name in names):
        found.append("name")
    return found


def scrubbed(text: str, *, names: tuple[str, ...] = ()) -> str:
    """``text`` with numbers, house numbers and the given names replaced by ＊＊ (the reviewer's start)."""
    text = _ID_X.sub(_HIDDEN, text)
    text = _LONG_NUMBER.sub(_HIDDEN, text)
    text = _HOUSE.sub(_HIDDEN, text)
    for name in names:
        if name and len(name) >= 2:
            text = text.replace(name, _HIDDEN)
    return text


def _names(ticket: Ticket) -> tuple[str, ...]:
    return tuple(n for n in {ticket.caller_name.strip()} if n)


def reply_propose(ticket: Ticket) -> PublishedReply | None:
    """A finished ticket whose caller agreed: its pending reply, scrubbed, once (called in the step's
    transaction when the ticket is closed or answered at first contact)."""
    if not ticket.publish_consent or not ticket.answer.strip():
        return None
    existing = PublishedReply.objects.filter(ticket=ticket).first()
    if existing is not None:
        return existing
    names = _names(ticket)
    question = scrubbed(ticket.description.strip(), names=names)[:TEXT_MAX]
    title = question.replace("\n", " ")[:40].strip() or ticket.category.name
    return PublishedReply.objects.create(
        ticket=ticket, category=ticket.category, region=ticket.region, unit=ticket.unit, title=title,
        question=question, answer=scrubbed(ticket.answer.strip(), names=names)[:TEXT_MAX],
        asked_at=ticket.created_at, answered_at=ticket.replied_at or ticket.closed_at,
    )  # fmt: skip


def _locked(reply: PublishedReply) -> PublishedReply:
    found = (
        PublishedReply.objects.select_for_update(of=("self",))
        .select_related("ticket", "ticket__region", "category")
        .filter(pk=reply.pk)
        .first()
    )
    if found is None:
        raise NotFound(code="not_found")
    return found


class Decision:
    PUBLISH = "publish"
    REJECT = "reject"
    ALL = (PUBLISH, REJECT)


@transaction.atomic
def reply_review(
    *, actor: User, reply: PublishedReply, decision: str, title: str, question: str, answer: str, note: str = ""
) -> PublishedReply:
    """The reviewer's decision on the text as edited: published, or not (with the reason)."""
    reply = _locked(reply)
    authorize_at(actor, PUBLISH_ROLES, reply.ticket.region)
    problems: list[Problem] = choice_problems(decision, "decision", Decision.ALL)
    problems += text_problems(title, "title", max_length=TITLE_MAX, required=True)
    problems += text_problems(question, "question", max_length=TEXT_MAX, required=True, multiline=True)
    problems += text_problems(answer, "answer", max_length=TEXT_MAX, required=True, multiline=True)
    problems += text_problems(note, "note", max_length=300, required=decision == Decision.REJECT)
    if decision == Decision.PUBLISH:
        names = _names(reply.ticket)
        for field, value in (("title", title), ("question", question), ("answer", answer)):
            if left := personal_data_left(value, names=names):
                problems.append(
                    (field, _("Remove the personal details still in the text (%(what)s).") % {"what": _kinds(left)})
                )
    raise_problems(problems)
    to = ReplyStatus.PUBLISHED if decision == Decision.PUBLISH else ReplyStatus.REJECTED
    old = reply.status
    reply.status = PUBLISHING.target(reply.status, "review", to=to)
    reply.title, reply.question, reply.answer = title.strip(), question.strip(), answer.strip()
    reply.note = note.strip()
    reply.reviewed_by, reply.reviewed_at = actor, timezone.now()
    reply.published_at = reply.reviewed_at if to == ReplyStatus.PUBLISHED else None
    reply.save()
    audit_record(actor=actor, action="hotline.reply_review", target=reply, changes={"status": [old, reply.status]})
    return reply


@transaction.atomic
def reply_withdraw(*, actor: User, reply: PublishedReply, note: str) -> PublishedReply:
    """A published reply taken down (outdated, or the caller asked): kept, no longer shown."""
    reply = _locked(reply)
    authorize_at(actor, PUBLISH_ROLES, reply.ticket.region)
    raise_problems(text_problems(note, "note", max_length=300, required=True))
    old = reply.status
    reply.status = PUBLISHING.target(reply.status, "withdraw")
    reply.note = note.strip()
    reply.save(update_fields=["status", "note"])
    audit_record(actor=actor, action="hotline.reply_withdraw", target=reply, changes={"status": [old, reply.status]})
    return reply


def _kinds(kinds: list[str]) -> str:
    labels = {
        "phone_or_id": _("phone or ID numbers"),
        "house_number": _("house numbers"),
        "name": _("the caller's name"),
    }
    return "、".join(str(labels[k]) for k in kinds)
