"""主动公开: the body's catalogue and guide, items drafted, reviewed for secrets (§17) and published within
20 working days (§26) under an index number; items other contexts publish as they arrive."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.calendar.workdays import add_working_days
from yiwang.core.counters import counter_next
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.fields import Problem, choice_problems, date_problems, text_problems
from yiwang.core.uploads import upload_checked, upload_problem
from yiwang.disclosure import rules
from yiwang.disclosure.choices import DOCUMENT_KINDS, Channel, ItemKind, ItemStatus, ReviewDecision
from yiwang.disclosure.models import (
    CatalogueCategory,
    ConfidentialityReview,
    DisclosureGuide,
    IndexCounter,
    ItemAttachment,
    ItemChannel,
    ProactiveItem,
)
from yiwang.disclosure.services._common import REVIEWER_ROLES, item_locked, officer_authorize, today
from yiwang.disclosure.workflow import ITEM

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

MAX_ATTACHMENTS = 20


def organisation_code(credit_code: str) -> str:
    """The 9-character organisation code inside a unified social credit code (GB 32100: characters
    9–17), which the index number begins with."""
    return credit_code[8:17]


# --- the catalogue and the guide ------------------------------------------------------------------------


@transaction.atomic
def category_create(
    *, actor: User, body: Department, name: str, parent: CatalogueCategory | None = None, position: int = 0
) -> CatalogueCategory:
    officer_authorize(actor, body)
    problems = text_problems(name, "name", max_length=60, required=True)
    if parent is not None and parent.body_id != body.pk:
        problems.append(("parent", _("Choose a category of the same body.")))
    if not 0 <= position <= 999:
        problems.append(("position", _("Enter a number from 0 to 999.")))
    raise_problems(problems)
    siblings = CatalogueCategory.objects.filter(body=body, parent=parent, name=name.strip())
    if siblings.exists():
        raise ValidationFailed(
            _("The catalogue already has a category of this name here."),
            details={
                "errors": [{"field": "name", "message": _("The catalogue already has a category of this name here.")}]
            },
        )
    category = CatalogueCategory.objects.create(body=body, parent=parent, name=name.strip(), position=position)
    audit_record(actor=actor, action="disclosure.category_create", target=category, changes={"name": category.name})
    return category


@transaction.atomic
def category_retire(*, actor: User, category: CatalogueCategory) -> CatalogueCategory:
    """A category in use keeps its items; it only stops taking new ones."""
    officer_authorize(actor, category.body)
    category.active = False
    category.save(update_fields=["active"])
    audit_record(actor=actor, action="disclosure.category_retire", target=category)
    return category


GUIDE_FIELDS = {"office": 100, "address": 200, "hours": 100, "phone": 30}


@transaction.atomic
def guide_save(
    *, actor: User, body: Department, office: str, address: str, hours: str, phone: str, text: str
) -> DisclosureGuide:
    """公开指南 (§12): kept current by the body's office; the audit trail keeps its history."""
    officer_authorize(actor, body)
    values = {"office": office, "address": address, "hours": hours, "phone": phone}
    problems: list[Problem] = []
    for field, limit in GUIDE_FIELDS.items():
        problems += text_problems(values[field], field, max_length=limit, required=True)
    problems += text_problems(text, "text", max_length=20000, required=True, multiline=True)
    raise_problems(problems)
    guide, _created = DisclosureGuide.objects.update_or_create(
        body=body,
        defaults={
            **{k: v.strip() for k, v in values.items()},
            "text": text.strip(),
            "updated_at": timezone.now(),
            "updated_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="disclosure.guide_save",
        target=guide,
        changes={**{k: getattr(guide, k) for k in GUIDE_FIELDS}, "text": guide.text},
    )
    return guide


# --- items ----------------------------------------------------------------------------------------------


def _item_problems(
    *,
    body: Department,
    category: CatalogueCategory | None,
    kind: str,
    title: str,
    text: str,
    document_number: str,
    formed_on: date | None,
    issued_on: date | None,
    channels: Iterable[str],
) -> list[Problem]:
    problems = choice_problems(kind, "kind", ItemKind.values)
    problems += text_problems(title, "title", max_length=200, required=True)
    problems += text_problems(text, "text", max_length=200000, multiline=True)
    problems += text_problems(document_number, "document_number", max_length=60)
    problems += date_problems(formed_on, "formed_on", required=True)
    problems += date_problems(issued_on, "issued_on", required=kind in DOCUMENT_KINDS)
    if category is None or category.body_id != body.pk or not category.active:
        problems.append(("category", _("Choose a category of this body's catalogue that is in use.")))
    chosen = list(channels)
    if not chosen:
        problems.append(("channels", _("Choose at least one channel.")))
    for value in chosen:
        problems += choice_problems(value, "channels", Channel.values)
    if formed_on is not None and formed_on > today():
        problems.append(("formed_on", _("The information cannot be formed in the future.")))
    return problems


def _set_channels(item: ProactiveItem, channels: Iterable[str]) -> None:
    wanted = set(channels)
    item.channels.exclude(channel__in=wanted).delete()
    have = set(item.channels.values_list("channel", flat=True))
    ItemChannel.objects.bulk_create([ItemChannel(item=item, channel=c) for c in sorted(wanted - have)])


@transaction.atomic
def item_create(
    *,
    actor: User,
    body: Department,
    category: CatalogueCategory | None,
    kind: str = ItemKind.GENERAL,
    title: str,
    text: str = "",
    document_number: str = "",
    formed_on: date | None,
    issued_on: date | None = None,
    channels: Iterable[str] = (Channel.WEBSITE,),
) -> ProactiveItem:
    """A draft: its §26 publication limit runs from the day it was formed or changed."""
    officer_authorize(actor, body)
    channels = list(channels)
    raise_problems(
        _item_problems(
            body=body,
            category=category,
            kind=kind,
            title=title,
            text=text,
            document_number=document_number,
            formed_on=formed_on,
            issued_on=issued_on,
            channels=channels,
        )
    )
    assert formed_on is not None and category is not None
    item = ProactiveItem.objects.create(
        body=body,
        category=category,
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        document_number=document_number.strip(),
        formed_on=formed_on,
        due_on=add_working_days(formed_on, rules.PUBLICATION_WORKING_DAYS).date,
        issued_on=issued_on if kind in DOCUMENT_KINDS else None,
        drafted_by=actor,
    )
    _set_channels(item, channels)
    audit_record(actor=actor, action="disclosure.item_create", target=item, changes={"title": item.title})
    return item


@transaction.atomic
def item_update(
    *,
    actor: User,
    item: ProactiveItem,
    category: CatalogueCategory | None,
    kind: str,
    title: str,
    text: str,
    document_number: str,
    formed_on: date | None,
    issued_on: date | None,
    channels: Iterable[str],
) -> ProactiveItem:
    item = item_locked(item)
    officer_authorize(actor, item.body)
    ITEM.target(item.status, "edit")
    channels = list(channels)
    raise_problems(
        _item_problems(
            body=item.body,
            category=category,
            kind=kind,
            title=title,
            text=text,
            document_number=document_number,
            formed_on=formed_on,
            issued_on=issued_on,
            channels=channels,
        )
    )
    assert formed_on is not None and category is not None
    item.category, item.kind, item.title, item.text = category, kind, title.strip(), text.strip()
    item.document_number, item.formed_on = document_number.strip(), formed_on
    item.due_on = add_working_days(formed_on, rules.PUBLICATION_WORKING_DAYS).date
    item.issued_on = issued_on if kind in DOCUMENT_KINDS else None
    item.save()
    item.authors.add(actor)
    _set_channels(item, channels)
    audit_record(actor=actor, action="disclosure.item_update", target=item, changes={"title": item.title})
    return item


@transaction.atomic
def item_attach(*, actor: User, item: ProactiveItem, upload: UploadedFile[bytes]) -> ItemAttachment:
    item = item_locked(item)
    officer_authorize(actor, item.body)
    ITEM.target(item.status, "edit")
    problem = upload_problem(upload)
    if problem:
        raise ValidationFailed(problem, details={"errors": [{"field": "file", "message": problem}]})
    if item.attachments.count() >= MAX_ATTACHMENTS:
        raise Conflict(_("An item takes at most %(n)d files.") % {"n": MAX_ATTACHMENTS}, code="too_many_files")
    checked = upload_checked(upload)
    attachment = ItemAttachment(
        item=item, name=checked.name, content_type=checked.content_type, size=checked.size, digest=checked.digest
    )
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    item.authors.add(actor)
    audit_record(actor=actor, action="disclosure.item_attach", target=item, changes={"file": checked.name})
    return attachment


def _text_digest(item: ProactiveItem) -> str:
    attachments = ",".join(item.attachments.order_by("pk").values_list("digest", flat=True))
    return sm3_hex(f"{item.title}\n{item.document_number}\n{item.text}\n{attachments}".encode())


@transaction.atomic
def item_review_submit(*, actor: User, item: ProactiveItem) -> ProactiveItem:
    item = item_locked(item)
    officer_authorize(actor, item.body)
    item.status = ITEM.target(item.status, "review_submit")
    item.save(update_fields=["status"])
    audit_record(actor=actor, action="disclosure.item_review_submit", target=item)
    return item


@transaction.atomic
def item_review(*, actor: User, item: ProactiveItem, decision: str, note: str = "") -> ConfidentialityReview:
    """保密审查 (§17): by the body's disclosure office or its head, never by the item's drafter (four eyes);
    a returned item goes back to its drafter with the reason."""
    item = item_locked(item)
    from yiwang.accounts.authz import authorize

    authorize(actor, REVIEWER_ROLES, department=item.body)
    problems = choice_problems(decision, "decision", ReviewDecision.values)
    problems += text_problems(
        note, "note", max_length=500, required=decision == ReviewDecision.RETURNED, multiline=True
    )
    raise_problems(problems)
    if item.drafted_by_id == actor.pk or item.authors.filter(pk=actor.pk).exists():
        raise PermissionDenied(
            _("The confidentiality review is made by someone other than the drafter."), code="reviewer_is_drafter"
        )
    to = ItemStatus.APPROVED if decision == ReviewDecision.PASSED else ItemStatus.DRAFT
    item.status = ITEM.target(item.status, "review", to=to)
    item.save(update_fields=["status"])
    review = ConfidentialityReview.objects.create(
        item=item,
        reviewer=actor,
        decision=decision,
        note=note.strip(),
        text_digest=_text_digest(item),
        at=timezone.now(),
    )
    audit_record(actor=actor, action="disclosure.item_review", target=item, changes={"decision": decision})
    return review


def _index_number(item: ProactiveItem, year: int) -> str:
    serial = counter_next(IndexCounter, what="index numbers", body=item.body, year=year)
    return f"{organisation_code(item.body.credit_code)}/{year}-{serial:05d}"


def _publish(item: ProactiveItem, *, actor: User | None, at: datetime) -> ProactiveItem:
    item.index_number = _index_number(item, timezone.localdate(at).year)
    item.published_at = at
    item.late = timezone.localdate(at) > item.due_on
    item.save(update_fields=["status", "index_number", "published_at", "late"])
    audit_record(
        actor=actor,
        action="disclosure.item_publish",
        target=item,
        changes={"index_number": item.index_number, "late": item.late},
    )
    return item


@transaction.atomic
def item_publish(*, actor: User, item: ProactiveItem) -> ProactiveItem:
    """Published under the next index number of the body's year (unique under concurrency: drawn under
    the counter's row lock). Only the text the review passed may go out: a change after the review
    needs a new one."""
    item = item_locked(item)
    officer_authorize(actor, item.body)
    if item.status != ItemStatus.APPROVED:
        raise Conflict(_("An item is published only after its confidentiality review passed."), code="review_required")
    review = item.reviews.first()
    if review is None or review.decision != ReviewDecision.PASSED or review.text_digest != _text_digest(item):
        raise Conflict(_("An item is published only after its confidentiality review passed."), code="review_required")
    item.status = ITEM.target(item.status, "publish")
    return _publish(item, actor=actor, at=timezone.now())


@transaction.atomic
def item_repeal(*, actor: User, item: ProactiveItem, repealed_on: date | None) -> ProactiveItem:
    """A 规章 or 规范性文件 ceases to be in force (it stays published, marked repealed)."""
    item = item_locked(item)
    officer_authorize(actor, item.body)
    ITEM.target(item.status, "repeal")
    problems = date_problems(repealed_on, "repealed_on", required=True)
    if item.kind not in DOCUMENT_KINDS:
        problems.append(("repealed_on", _("Only rules and normative documents are repealed.")))
    elif repealed_on is not None and item.issued_on is not None and repealed_on < item.issued_on:
        problems.append(("repealed_on", _("A document is repealed after it was issued.")))
    elif item.repealed_on is not None:
        problems.append(("repealed_on", _("The document is already repealed.")))
    raise_problems(problems)
    item.repealed_on = repealed_on
    item.save(update_fields=["repealed_on"])
    audit_record(actor=actor, action="disclosure.item_repeal", target=item, changes={"repealed_on": str(repealed_on)})
    return item


@transaction.atomic
def item_withdraw(*, actor: User, item: ProactiveItem, reason: str) -> ProactiveItem:
    item = item_locked(item)
    officer_authorize(actor, item.body)
    raise_problems(text_problems(reason, "reason", max_length=500, required=True))
    item.status = ITEM.target(item.status, "withdraw")
    item.withdrawn_at = timezone.now()
    item.save(update_fields=["status", "withdrawn_at"])
    audit_record(actor=actor, action="disclosure.item_withdraw", target=item, changes={"reason": reason.strip()})
    return item


TITLE_MAX_RECEIVED = 500


@transaction.atomic
def item_receive(
    *,
    source: str,
    body: Department,
    category_name: str,
    title: str,
    text: str,
    formed_on: date,
    published_at: datetime,
    source_url: str = "",
    kind: str = ItemKind.GENERAL,
    attachment: tuple[str, bytes] | None = None,
) -> ProactiveItem:
    """An item another context published (a trading notice or result, a service guide, a hotline
    bulletin): reviewed and published there, so it enters the catalogue published, under the body's next
    index number and the category of that name (made on first use). The same ``source`` twice returns
    the item already there."""
    existing = ProactiveItem.objects.filter(source=source).first()
    if existing is not None:
        return existing
    problems = text_problems(source, "source", max_length=80, required=True)
    # A trading notice's title is its project's and its document's (each up to 200 characters).
    problems += text_problems(title, "title", max_length=TITLE_MAX_RECEIVED, required=True)
    problems += text_problems(category_name, "category", max_length=60, required=True)
    problems += text_problems(source_url, "source_url", max_length=200)
    problems += choice_problems(kind, "kind", ItemKind.values)
    raise_problems(problems)
    category, _created = CatalogueCategory.objects.get_or_create(
        body=body, parent=None, name=category_name.strip(), defaults={"position": 100}
    )
    item = ProactiveItem.objects.create(
        body=body,
        category=category,
        kind=kind,
        title=title.strip(),
        text=text,
        formed_on=formed_on,
        due_on=add_working_days(formed_on, rules.PUBLICATION_WORKING_DAYS).date,
        status=ItemStatus.APPROVED,
        index_number=None,
        source=source,
        source_url=source_url,
    )
    ItemChannel.objects.create(item=item, channel=Channel.WEBSITE)
    if attachment is not None:
        name, content = attachment
        record = ItemAttachment(
            item=item, name=name, content_type="application/pdf", size=len(content), digest=sm3_hex(content)
        )
        record.file.save(name, ContentFile(content), save=False)
        record.save()
    item.status = ITEM.target(item.status, "publish")
    return _publish(item, actor=None, at=published_at)
