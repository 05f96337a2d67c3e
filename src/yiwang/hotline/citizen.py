"""Reads of the citizen's side of 12345 (docs/hotline.md, "The citizen's side"): 我的诉求 with the steps
the public may see, the published replies and public knowledge articles found by category, district and
words, and the reviewer's queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.authz import scope_filter
from yiwang.hotline.knowledge import query_words
from yiwang.hotline.models import Article, PublishedReply, ReplyStatus, Ticket, TicketAttachment
from yiwang.hotline.services._common import SUPERVISE_ROLES
from yiwang.organisation.selectors import region_path

if TYPE_CHECKING:
    from yiwang.accounts.models import User

# The steps of a ticket the caller sees (the staff's notes, returns and supervision stay inside).
PUBLIC_STEPS = {
    "create": _("Request received"),
    "resolve": _("Answered at once"),
    "dispatch": _("Passed to the handling unit"),
    "sign": _("The unit is handling it"),
    "reply": _("Replied"),
    "redo": _("Sent back to be redone"),
    "follow_up": _("Closed after your rating"),
    "merge": _("Merged with the same request"),
}
PAGE_SIZE = 20


def caller_tickets(account: User | AnonymousUser | None, phone_proved: str) -> QuerySet[Ticket]:
    """我的诉求: the tickets raised in the account, or from the phone proved in this session."""
    condition = Q()
    if account is not None and account.is_authenticated:
        condition |= Q(caller_account=account)
    if phone_proved:
        condition |= Q(caller_phone_digest=phone_proved)
    if not condition:
        return Ticket.objects.none()
    return Ticket.objects.filter(condition).select_related("category", "unit", "region").order_by("-created_at", "-pk")


def caller_ticket(account: User | AnonymousUser | None, phone_proved: str, number: str) -> Ticket | None:
    return caller_tickets(account, phone_proved).filter(number=(number or "")[:24]).first()


@dataclass(frozen=True)
class Step:
    at: datetime
    label: str
    unit: str
    note: str


def public_steps(ticket: Ticket) -> list[Step]:
    """What happened, as the caller may read it: the step, when, and which unit; a reply's text."""
    steps = []
    for event in ticket.events.select_related("unit").order_by("at", "pk"):
        label = PUBLIC_STEPS.get(event.action)
        if label is None:
            continue
        note = event.note if event.action in ("reply", "resolve") else ""
        unit = event.unit.name if event.unit is not None and event.action != "create" else ""
        steps.append(Step(event.at, str(label), unit, note))
    return steps


def photos_of(ticket: Ticket) -> list[TicketAttachment]:
    return list(ticket.attachments.filter(content_type__startswith="image/").order_by("pk"))


def replies_published(*, query: str = "", category_code: str = "", region_code: str = "") -> QuerySet[PublishedReply]:
    """回复公开, newest first: by category (and those below it), district (and below) and words."""
    replies = PublishedReply.objects.filter(status=ReplyStatus.PUBLISHED).select_related("category", "region", "unit")
    if category_code:
        replies = replies.filter(
            Q(category__code=category_code)
            | Q(category__parent__code=category_code)
            | Q(category__parent__parent__code=category_code)
        )
    if region_code:
        path = region_path(code=region_code[:12])
        replies = replies.filter(region__path__startswith=path) if path else replies.none()
    for word in query_words(query):
        replies = replies.filter(Q(title__icontains=word) | Q(question__icontains=word) | Q(answer__icontains=word))
    return replies.order_by("-published_at", "-pk")


def reply_published(pk: int) -> PublishedReply | None:
    return (
        PublishedReply.objects.filter(pk=pk, status=ReplyStatus.PUBLISHED)
        .select_related("category", "region", "unit")
        .first()
    )


def articles_public(query: str = "", limit: int = 5) -> list[Article]:
    """The knowledge base's public articles in force, matching the words (all words of the query)."""
    today = timezone.localdate()
    articles = Article.objects.filter(public=True, valid_from__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    words = query_words(query)
    if query and not words:
        return []
    for word in words:
        articles = articles.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return list(articles.select_related("category").order_by("-uses", "-pk")[:limit])


def article_public(pk: int) -> Article | None:
    today = timezone.localdate()
    return (
        Article.objects.filter(pk=pk, public=True, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .first()
    )


def replies_to_review(user: User) -> QuerySet[PublishedReply]:
    """The pending replies of the areas the reviewer supervises, oldest first."""
    pending = PublishedReply.objects.filter(status=ReplyStatus.PENDING).select_related(
        "ticket", "category", "region", "unit"
    )
    return scope_filter(pending, user, SUPERVISE_ROLES, department_field=None, region_field="ticket__region").order_by(
        "created_at", "pk"
    )


def reply_for_reviewer(user: User, pk: int) -> PublishedReply | None:
    replies = PublishedReply.objects.filter(pk=pk).select_related("ticket", "category", "region", "unit")
    return scope_filter(replies, user, SUPERVISE_ROLES, department_field=None, region_field="ticket__region").first()
