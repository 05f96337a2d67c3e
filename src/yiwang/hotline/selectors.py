"""Reads of the hotline: the category tree, the dispatch catalogue's answer, possible duplicates, and
the tickets a person may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.accounts.authz import scope_filter
from yiwang.accounts.roles import Role
from yiwang.hotline.models import Category, DispatchRule, Ticket, TicketStatus, TimeLimit
from yiwang.hotline.rules import Limit, duplicate_window, limit_for
from yiwang.hotline.workflow import OPEN

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

# The hotline centre sees every ticket of its region; a handling unit only its own.
CENTRE_ROLES = {Role.HOTLINE_AGENT, Role.DISPATCHER, Role.SUPERVISOR}
CLOSED_STATUSES = (TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.MERGED)


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(active=True).select_related("parent").order_by("parent_id", "order", "code")


def category_leaves() -> list[Category]:
    """The categories in use that have none below them (what a ticket is filed under), in one query."""
    categories = list(categories_active())
    parents = {c.parent_id for c in categories}
    return [c for c in categories if c.pk not in parents]


def category_path(category: Category) -> list[Category]:
    """From the root down to ``category`` (the tree is shallow: three or four levels)."""
    path = [category]
    while path[0].parent_id is not None:
        parent = path[0].parent
        assert parent is not None
        path.insert(0, parent)
    return path


def ticket_limit(ticket: Ticket) -> Limit:
    stored = TimeLimit.objects.filter(kind=ticket.kind, urgency=ticket.urgency).first()
    hours = next((c.time_limit_hours for c in reversed(category_path(ticket.category)) if c.time_limit_hours), None)
    return limit_for(
        ticket.kind,
        ticket.urgency,
        category_hours=hours,
        stored=Limit(stored.amount, stored.unit, stored.basis) if stored else None,
    )


def dispatch_suggestion(ticket: Ticket) -> Department | None:
    """The dispatch catalogue's unit for the ticket: rules of its category or, failing that, of each
    parent category up the tree; among them the most specific that matches — an area that contains
    the ticket's area over none, keywords found in the text over none — then the lowest priority."""
    text = f"{ticket.description} {ticket.address}"
    region_path = ticket.region.path if ticket.region_id and ticket.region else ""
    for category in reversed(category_path(ticket.category)):
        best: tuple[tuple[int, int, int, int], DispatchRule] | None = None
        for rule in DispatchRule.objects.filter(category=category, active=True).select_related("region", "unit"):
            if rule.region_id is not None:
                assert rule.region is not None
                if not region_path.startswith(rule.region.path):
                    continue
            if rule.keywords and not any(k and k in text for k in rule.keywords):
                continue
            rank = (
                -len(rule.region.path) if rule.region else 0,
                0 if rule.keywords else 1,
                rule.priority,
                rule.pk,
            )
            if best is None or rank < best[0]:
                best = (rank, rule)
        if best is not None:
            return best[1].unit
    return None


def duplicates_of(ticket: Ticket, viewer: User | None, *, limit: int = 10) -> list[Ticket]:
    """Possible duplicates within the window: the same caller, or the same category at the same place,
    not yet merged away — shown to the agent, who decides whether to merge (并单). Only among the tickets
    ``viewer`` may see: which tickets a phone number made elsewhere is not theirs to learn (a channel's
    system, ``None``, sees none)."""
    if viewer is None:
        return []
    since = timezone.now() - duplicate_window()
    same = Q(pk__in=[])
    if ticket.caller_phone_digest:
        same |= Q(caller_phone_digest=ticket.caller_phone_digest)
    if ticket.region_id:
        same |= Q(category_id=ticket.category_id, region_id=ticket.region_id)
    return list(
        tickets_visible(viewer)
        .filter(same, created_at__gte=since)
        .exclude(pk=ticket.pk)
        .exclude(status=TicketStatus.MERGED)
        .select_related("category", "unit")
        .order_by("-created_at")[:limit]
    )


def tickets_visible(user: User) -> QuerySet[Ticket]:
    """The centre's staff see their region's tickets; a handling unit's officers see the tickets sent to it."""
    centre = scope_filter(
        Ticket.objects.all(), user, CENTRE_ROLES, department_field=None, region_field="region"
    ) | scope_filter(
        Ticket.objects.filter(region__isnull=True), user, CENTRE_ROLES, department_field=None, region_field=None
    )
    units = scope_filter(Ticket.objects.all(), user, {Role.HANDLER}, department_field="unit", region_field=None)
    return (centre | units).select_related("category", "unit", "region").distinct()


def ticket_for(user: User, number: str) -> Ticket | None:
    return tickets_visible(user).filter(number=number).first()


def _roles_of(user: User) -> frozenset[Role]:
    from yiwang.accounts.selectors import user_roles

    return user_roles(user=user)


def unit_tickets(user: User) -> QuerySet[Ticket]:
    """The tickets sent to the units the person is a handling officer of."""
    return scope_filter(Ticket.objects.all(), user, {Role.HANDLER}, department_field="unit", region_field=None)


def work_queues(user: User) -> list[tuple[str, str, QuerySet[Ticket]]]:
    """The queues of work the person's roles give, each as (key, label, tickets), oldest first."""
    from django.utils.translation import gettext as _

    from yiwang.hotline.models import ExtensionRequest, SupervisionOrder

    roles = _roles_of(user)
    tickets = tickets_visible(user)
    now = timezone.now()
    queues: list[tuple[str, str, QuerySet[Ticket]]] = []
    if Role.DISPATCHER in roles:
        queues.append(("dispatch", _("Waiting for dispatch"), tickets.filter(status=TicketStatus.NEW)))
        queues.append(("returns", _("Returns to review"), tickets.filter(status=TicketStatus.RETURN_REQUESTED)))
    if Role.HANDLER in roles:
        mine = Ticket.objects.filter(pk__in=unit_tickets(user).values("pk")).select_related(
            "category", "unit", "region"
        )
        queues.append(("sign", _("To sign for"), mine.filter(status=TicketStatus.DISPATCHED)))
        queues.append(("handle", _("Being handled"), mine.filter(status=TicketStatus.SIGNED)))
        queues.append(
            (
                "orders",
                _("Supervision orders to answer"),
                mine.filter(pk__in=SupervisionOrder.objects.filter(answered_at__isnull=True).values("ticket")),
            )
        )
    if Role.SUPERVISOR in roles:
        queues.append(
            (
                "extensions",
                _("Extension requests"),
                tickets.filter(pk__in=ExtensionRequest.objects.filter(approved__isnull=True).values("ticket")),
            )
        )
        queues.append(
            (
                "overdue",
                _("Overdue"),
                tickets.filter(status__in=OPEN, due_at__lt=now),
            )
        )
    if roles & {Role.HOTLINE_AGENT, Role.SUPERVISOR}:
        queues.append(("follow_up", _("To follow up"), tickets.filter(status=TicketStatus.REPLIED)))
    return [(key, label, qs.order_by("due_at", "created_at", "pk")) for key, label, qs in queues]


def units_for_dispatch() -> QuerySet[Department]:
    """Every unit a dispatcher may send a ticket to: the units of the dispatch catalogue and the rest."""
    from yiwang.organisation.selectors import department_all

    return department_all(active_only=True).order_by("name")


def bulletins_made(*, limit: int = 200) -> QuerySet[Any]:
    """The weekly bulletins kept (热线热点聚焦), newest first: the disclosure catalogue publishes them."""
    from yiwang.hotline.models import Bulletin

    return Bulletin.objects.order_by("-end", "-pk")[:limit]
