"""Every read of the disclosure context: the public catalogue (published items only), a body's guide and
categories, the office's queues, a requester's own requests, and a request's clock with its computation.
Staff reads are scoped by ``accounts.authz``; the requester sees only what is theirs."""

from __future__ import annotations

from functools import reduce
from operator import and_
from typing import TYPE_CHECKING

import jieba
from django.db.models import Count, Q, QuerySet

from yiwang.accounts.authz import scope_filter
from yiwang.disclosure import clock, follow
from yiwang.disclosure.choices import OPEN_STATUSES, ItemStatus, RequestStatus
from yiwang.disclosure.models import (
    Appeal,
    CatalogueCategory,
    ClockEvent,
    DisclosureGuide,
    DisclosureRequest,
    ProactiveItem,
    ReleasedDocument,
    Reply,
)
from yiwang.disclosure.services._common import READER_ROLES, today

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

PUBLIC = (ItemStatus.PUBLISHED,)
QUERY_MAX = 100


def _terms(query: str) -> list[str]:
    """The words of a Chinese query: ``jieba`` cuts 老旧小区改造清单 into 老旧 / 小区 / 改造 / 清单, so an item
    titled 老旧小区改造项目清单 is found though the query is not a substring of it."""
    words = [w.strip() for w in jieba.cut_for_search(query[:QUERY_MAX]) if w.strip()]
    longest: dict[str, None] = {}
    for word in sorted(set(words), key=len, reverse=True):
        if not any(word in kept for kept in longest):
            longest[word] = None
    return list(longest)[:12]


def items_public(
    *,
    body_id: int | None = None,
    category_id: int | None = None,
    query: str = "",
    kind: str = "",
    year: int | None = None,
) -> QuerySet[ProactiveItem]:
    """主动公开目录 on the portal: published items, newest first, by body, category, kind, year and words."""
    items = ProactiveItem.objects.filter(status__in=PUBLIC).select_related("body", "category")
    if body_id:
        items = items.filter(body_id=body_id)
    if category_id:
        items = items.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    if kind:
        items = items.filter(kind=kind)
    if year:
        items = items.filter(published_at__year=year)
    terms = _terms(query) if query.strip() else []
    if terms:
        items = items.filter(
            reduce(
                and_,
                [
                    Q(title__icontains=t)
                    | Q(text__icontains=t)
                    | Q(index_number__icontains=t)
                    | Q(document_number__icontains=t)
                    for t in terms
                ],
            )
        )
    return items.order_by("-published_at", "-pk")


def item_public(*, pk: int) -> ProactiveItem | None:
    return (
        ProactiveItem.objects.filter(pk=pk, status__in=PUBLIC)
        .select_related("body", "category")
        .prefetch_related("attachments", "channels")
        .first()
    )


def bodies_publishing() -> list[tuple[int, str, int]]:
    """(body pk, name, published items) for each body with a catalogue, for the portal's list."""
    rows = (
        CatalogueCategory.objects.values("body_id", "body__name")
        .annotate(published=Count("items", filter=Q(items__status__in=PUBLIC)))
        .order_by("body__name")
    )
    totals: dict[int, tuple[str, int]] = {}
    for row in rows:
        name, count = totals.get(row["body_id"], (row["body__name"], 0))
        totals[row["body_id"]] = (name, count + row["published"])
    return [(pk, name, count) for pk, (name, count) in totals.items()]


def categories_of(*, body: Department, active_only: bool = True) -> list[CatalogueCategory]:
    categories = CatalogueCategory.objects.filter(body=body)
    if active_only:
        categories = categories.filter(active=True)
    return list(categories.annotate(published=Count("items", filter=Q(items__status__in=PUBLIC))))


def guide_of(*, body: Department) -> DisclosureGuide | None:
    return DisclosureGuide.objects.filter(body=body).first()


# --- staff ---------------------------------------------------------------------------------------------


def items_for_staff(user: User, *, status: str = "") -> QuerySet[ProactiveItem]:
    items = scope_filter(
        ProactiveItem.objects.select_related("body", "category"),
        user,
        READER_ROLES,
        department_field="body",
        region_field="body__region",
    )
    if status:
        items = items.filter(status=status)
    return items.order_by("due_on" if status and status != ItemStatus.PUBLISHED else "-created_at", "-pk")


def item_for_staff(user: User, *, pk: int) -> ProactiveItem | None:
    return items_for_staff(user).prefetch_related("attachments", "channels", "reviews__reviewer").filter(pk=pk).first()


def requests_for_staff(user: User, *, open_only: bool = True, query: str = "") -> QuerySet[DisclosureRequest]:
    requests = scope_filter(
        DisclosureRequest.objects.select_related("body"),
        user,
        READER_ROLES,
        department_field="body",
        region_field="body__region",
    )
    if open_only:
        requests = requests.filter(status__in=OPEN_STATUSES)
    if query.strip():
        requests = requests.filter(
            Q(number__icontains=query.strip()[:40]) | Q(description__icontains=query.strip()[:40])
        )
    return requests.order_by("due_on", "received_on", "pk") if open_only else requests.order_by("-received_on", "-pk")


def request_for_staff(user: User, *, pk: int) -> DisclosureRequest | None:
    return requests_for_staff(user, open_only=False).filter(pk=pk).first()


def requests_of(user: User | AnonymousUser) -> QuerySet[DisclosureRequest]:
    """我的申请: the requests made in this account's name."""
    if not user.is_authenticated:
        return DisclosureRequest.objects.none()
    return DisclosureRequest.objects.filter(requester=user).select_related("body").order_by("-received_on", "-pk")


def request_of(user: User | AnonymousUser, *, pk: int) -> DisclosureRequest | None:
    return requests_of(user).filter(pk=pk).first()


def request_followed(*, number: str, code: str) -> DisclosureRequest | None:
    """An account-less request found by its number and follow-up code, or None (either wrong)."""
    number = (number or "").strip().upper()[:40]
    if not number:
        return None
    made = (
        DisclosureRequest.objects.filter(number=number, requester__isnull=True)
        .exclude(follow_digest="")
        .select_related("body")
        .first()
    )
    return made if made is not None and follow.matches(made, code) else None


def request_anonymous(*, pk: int) -> DisclosureRequest | None:
    """An account-less request by key, for a session that has already shown its follow-up code."""
    return (
        DisclosureRequest.objects.filter(pk=pk, requester__isnull=True)
        .exclude(follow_digest="")
        .select_related("body")
        .first()
    )


def is_author(item: ProactiveItem, user: User) -> bool:
    """Drafted, edited or attached a file to the item: the confidentiality review is someone else's (§17)."""
    return item.drafted_by_id == user.pk or item.authors.filter(pk=user.pk).exists()


def may_handle(user: User, request: DisclosureRequest) -> bool:
    from yiwang.accounts.authz import can
    from yiwang.disclosure.services._common import OFFICER_ROLES

    return can(user, OFFICER_ROLES, department=request.body)


def events_of(request: DisclosureRequest) -> list[ClockEvent]:
    return list(request.events.select_related("actor", "approver").order_by("on", "at", "pk"))


def clock_of(request: DisclosureRequest, *, events: list[ClockEvent] | None = None) -> clock.Clock:
    """The clock with every day of its computation, as it stands today."""
    return clock.compute(events if events is not None else events_of(request), today=today())


def reply_of(request: DisclosureRequest) -> Reply | None:
    return Reply.objects.filter(request=request).select_related("public_item").first()


def documents_of(request: DisclosureRequest) -> list[ReleasedDocument]:
    return list(request.documents.prefetch_related("areas").order_by("pk"))


def appeals_of(request: DisclosureRequest) -> list[Appeal]:
    return list(request.appeals.all())


def lapsing() -> QuerySet[DisclosureRequest]:
    """Requests waiting on the requester whose period may have ended: the nightly lapse looks at each."""
    return DisclosureRequest.objects.filter(status__in=[RequestStatus.CORRECTION, RequestStatus.FEE_NOTICE])
