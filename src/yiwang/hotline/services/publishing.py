"""回复公开: requests whose callers agreed are published with the city's answer, after a reviewer approved
a text with every personal detail removed, so that people find an answer before they call
(docs/hotline.md, "The citizen's side").

A finished ticket with consent becomes a pending reply whose text is scrubbed already (names, phones, ID
numbers, house numbers); the reviewer edits and approves it. Approval is refused while the text still
holds a phone or ID number, a house number or the caller's name — checked here, whoever approves."""

from __future__ import annotations

import re
import unicodedata
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

# What must never be published, looked for in the text with full-width digits and letters folded to ASCII:
# runs of 7 or more digits with any separators people type between them (phones,
# landlines, ID numbers, bank cards, QQ numbers), the same in Chinese numerals, an ID number ending in X,
# e-mail addresses, WeChat ids, car plates, and house numbers (12号, 3栋, 2单元, 501室, 12-3-501, 12#楼).
_SEP = r"[\s\-.·—－_/()（）]*"
_LONG_NUMBER = re.compile(rf"(?<![0-9])(?:\+?86{_SEP})?[0-9](?:{_SEP}[0-9]){{6,}}(?:{_SEP}[Xx])?(?![0-9])")
_CHINESE_DIGITS = re.compile(r"[〇零一二三四五六七八九幺两]{7,}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_WECHAT = re.compile(r"(?i)(?:wxid_[A-Za-z0-9_-]+|(?:微信|wechat|vx|wx)号?[:：\s]*[A-Za-z][A-Za-z0-9_-]{5,19})")
_PLATE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-Z][\s·]?[A-Z0-9]{5,6}")
_HOUSE = re.compile(
    r"[0-9一二三四五六七八九十百零〇]+\s*(?:号楼|号院|号|號|栋|棟|幢|单元|單元|室|弄|楼|樓|层|層|户|戶|#楼?)"
    r"|(?<![0-9])[0-9]{1,4}-[0-9]{1,3}-[0-9]{1,4}(?![0-9])"
)
_PATTERNS = (
    ("phone_or_id", _LONG_NUMBER),
    ("phone_or_id", _CHINESE_DIGITS),
    ("contact", _EMAIL),
    ("contact", _WECHAT),
    ("plate", _PLATE),
    ("house_number", _HOUSE),
)
_HIDDEN = "＊＊"
_TITLES = ("先生", "女士", "小姐", "同志", "老师", "师傅", "阿姨", "大爷", "老人")


# Full-width digits, letters and the marks numbers and addresses are written with, as their ASCII forms;
# Chinese punctuation (，。：) stays as it is in the published text.
_FOLD = {
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},  # ０-９
    **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},  # Ａ-Ｚ
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},  # ａ-ｚ
    **{ord(ch): ord(ascii_) for ch, ascii_ in zip("＠．－＃＿＋\u3000", "@.-#_+ ", strict=True)},
}
# A date is no one's number: 2025-11-12, 2025.11.12 and 2025/11/12 are kept out of the number patterns.
_DATE = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])")


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def _apart(text: str) -> tuple[str, list[str]]:
    """The text with its dates set aside (a private-use mark each), and the dates."""
    dates: list[str] = []

    def keep(match: re.Match[str]) -> str:
        dates.append(match.group(0))
        return f"\ue000{len(dates) - 1}\ue001"

    return _DATE.sub(keep, text), dates


def _together(text: str, dates: list[str]) -> str:
    return re.sub("\ue000([0-9]+)\ue001", lambda m: dates[int(m.group(1))], text)


def _name_forms(names: tuple[str, ...]) -> list[str]:
    """The ways a caller's name appears in a text: as written, with spaces between its characters, and the
    surname with a form of address (王女士, 小王, 老王)."""
    forms: list[str] = []
    for name in names:
        name = re.sub(r"\s+", "", _folded(name))
        if len(name) < 2:
            continue
        forms.append(name)
        surname = name[:2] if len(name) >= 4 else name[:1]
        forms += [surname + title for title in _TITLES] + ["小" + surname, "老" + surname]
    return forms


def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    forms = _name_forms(names)
    if not forms:
        return None
    spaced = [r"\s*".join(re.escape(ch) for ch in form) for form in sorted(set(forms), key=len, reverse=True)]
    return re.compile("|".join(spaced))


def personal_data_left(text: str, *, names: tuple[str, ...] = ()) -> list[str]:
    """What in ``text`` would identify someone: the kinds found (phone_or_id, contact, plate, house_number,
    name), in that order."""
    folded, _dates = _apart(_folded(text))
    found = list(dict.fromkeys(kind for kind, pattern in _PATTERNS if pattern.search(folded)))
    named = _name_pattern(names)
    if named is not None and named.search(folded):
        found.append("name")
    return found


def scrubbed(text: str, *, names: tuple[str, ...] = ()) -> str:
    """``text`` (full-width digits and letters folded) with everything ``personal_data_left`` looks for
    replaced by ＊＊: the reviewer's starting point, never published without review."""
    text, dates = _apart(_folded(text))
    for _kind, pattern in _PATTERNS:
        text = pattern.sub(_HIDDEN, text)
    named = _name_pattern(names)
    text = named.sub(_HIDDEN, text) if named is not None else text
    return _together(text, dates)


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
        "contact": _("e-mail or WeChat ids"),
        "plate": _("car plates"),
        "house_number": _("house numbers"),
        "name": _("the caller's name"),
    }
    return "、".join(str(labels[k]) for k in kinds)
