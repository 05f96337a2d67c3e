"""A ticket's page — duplicates, the catalogue's and the learned suggestions, the steps the viewer
may take — the steps themselves, and the person's work queues."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from yiwang.core.masking import mask_phone
from yiwang.core.shell import acting_user, staff_required
from yiwang.hotline import selectors, services, supervision
from yiwang.hotline.knowledge import articles_search
from yiwang.hotline.models import Satisfaction, Ticket, TicketStatus

if TYPE_CHECKING:
    from yiwang.accounts.models import User

ACTION_LABELS = {
    "create": gettext_lazy("Received"),
    "resolve": gettext_lazy("Resolved at first contact"),
    "dispatch": gettext_lazy("Dispatched"),
    "merge": gettext_lazy("Merged into another ticket"),
    "merged_in": gettext_lazy("A duplicate was merged in"),
    "sign": gettext_lazy("Signed for by the unit"),
    "return_request": gettext_lazy("Return requested"),
    "return_review": gettext_lazy("Return reviewed"),
    "reply": gettext_lazy("Replied"),
    "extension_request": gettext_lazy("Extension requested"),
    "extension_decide": gettext_lazy("Extension decided"),
    "follow_up": gettext_lazy("Followed up and closed"),
    "redo": gettext_lazy("Sent back to be redone"),
    "remind": gettext_lazy("Reminded: the reply is due soon (yellow card)"),
    "overdue": gettext_lazy("Overdue (red card)"),
    "supervise": gettext_lazy("Supervision order issued"),
    "supervision_answer": gettext_lazy("Supervision order answered"),
    "attach": gettext_lazy("Files attached"),
}


@require_GET
@staff_required
def ticket_page(request: HttpRequest, number: str) -> HttpResponse:
    user = acting_user(request)
    ticket = selectors.ticket_for(user, number)
    if ticket is None:
        raise NotFound(code="not_found")
    is_new = ticket.status == TicketStatus.NEW
    learned: list[Any] = []
    if is_new:
        from yiwang.hotline.learning import suggestions_for

        learned = suggestions_for(ticket)
    return render(
        request,
        "hotline/ticket.html",
        {
            "ticket": ticket,
            "phone": mask_phone(ticket.caller_phone) if ticket.caller_phone else "",
            "events": [
                (e, ACTION_LABELS.get(e.action, e.action)) for e in ticket.events.select_related("actor", "unit")
            ],
            "duplicates": selectors.duplicates_of(ticket, user) if is_new else [],
            "catalogue_unit": selectors.dispatch_suggestion(ticket) if is_new else None,
            "learned": learned,
            "articles": articles_search(ticket.description)[:3] if is_new else [],
            "may_intake": user_has_role(user=user, roles=services.INTAKE_ROLES),
            "may_dispatch": user_has_role(user=user, roles={Role.DISPATCHER}),
            "may_unit": ticket.unit_id is not None and _is_unit_officer(user, ticket),
            "may_supervise": user_has_role(user=user, roles=services.SUPERVISE_ROLES),
            "may_follow_up": user_has_role(user=user, roles=services.FOLLOW_UP_ROLES),
            "units": selectors.units_for_dispatch() if ticket.status == TicketStatus.RETURN_REQUESTED else [],
            "open_extension": ticket.extensions.filter(approved__isnull=True).first(),
            "extensions": list(ticket.extensions.all()),
            "orders": list(ticket.supervision_orders.all()),
            "follow_ups": list(ticket.follow_ups.all()),
            "attachments": list(ticket.attachments.all()),
            "may_attach": ticket.status not in (TicketStatus.MERGED, TicketStatus.CLOSED)
            and user_has_role(user=user, roles=services.INTAKE_ROLES | services.UNIT_ROLES | services.SUPERVISE_ROLES),
            "cards": list(ticket.cards.all()),
            "satisfactions": Satisfaction.choices,
            "return_hours": services.return_window_hours(),
        },
    )


def _is_unit_officer(user: Any, ticket: Ticket) -> bool:
    return selectors.unit_tickets(user).filter(pk=ticket.pk).exists()


def _flag(post: Any, name: str) -> bool | None:
    value = post.get(name, "")
    return True if value == "yes" else False if value == "no" else None


def _unit_posted(post: Any) -> Any:
    from yiwang.organisation.selectors import department_get

    unit_id = post.get("unit", "")
    return department_get(pk=int(unit_id)) if unit_id.isdigit() else None


def _resolve(request: HttpRequest, user: User, ticket: Ticket) -> object:
    article = request.POST.get("article", "")
    return services.ticket_resolve(
        actor=user, ticket=ticket, answer=request.POST.get("answer", ""),
        article=int(article) if article.isdigit() else None,
    )  # fmt: skip


def _dispatch(request: HttpRequest, user: User, ticket: Ticket) -> object:
    unit = _unit_posted(request.POST)
    return services.ticket_dispatch(actor=user, ticket=ticket, unit=unit, note=request.POST.get("note", ""))


def _merge(request: HttpRequest, user: User, ticket: Ticket) -> object:
    into = selectors.ticket_for(user, request.POST.get("into", ""))
    if into is None:
        raise NotFound(_("No ticket has this number."), code="not_found")
    return services.ticket_merge(actor=user, ticket=ticket, into=into)


def _review_return(request: HttpRequest, user: User, ticket: Ticket) -> object:
    post = request.POST
    unit = _unit_posted(post)
    approve = post.get("decision") == "approve"
    return services.ticket_return_review(
        actor=user, ticket=ticket, approve=approve, note=post.get("note", ""), unit=unit if approve else None
    )


def _extend(request: HttpRequest, user: User, ticket: Ticket) -> object:
    days = request.POST.get("days", "")
    return services.extension_request(
        actor=user, ticket=ticket, days=int(days) if days.isdigit() else 0, reason=request.POST.get("reason", "")
    )


def _decide_extension(request: HttpRequest, user: User, ticket: Ticket) -> object:
    waiting = ticket.extensions.filter(approved__isnull=True).first()
    if waiting is None:
        raise NotFound(_("No extension request is waiting."), code="not_found")
    post = request.POST
    return services.extension_decide(
        actor=user, request=waiting, approve=post.get("decision") == "approve", note=post.get("note", "")
    )


def _follow_up(request: HttpRequest, user: User, ticket: Ticket) -> object:
    post = request.POST
    return services.ticket_follow_up(
        actor=user, ticket=ticket, satisfaction=post.get("satisfaction", ""), solved=_flag(post, "solved"),
        note=post.get("note", ""), reached=post.get("reached", "yes") != "no", redo=post.get("redo") == "on",
    )  # fmt: skip


def _answer_order(request: HttpRequest, user: User, ticket: Ticket) -> object:
    order = ticket.supervision_orders.filter(answered_at__isnull=True).first()
    if order is None:
        raise NotFound(_("No supervision order is waiting for an answer."), code="not_found")
    return supervision.supervision_order_answer(actor=user, order=order, answer=request.POST.get("answer", ""))


@dataclass(frozen=True)
class Step:
    """A step a ticket's page posts: what it runs, and which actions of the table (hotline.workflow) it
    may take — none for the two that change no status (files, the answer to a supervision order)."""

    run: Callable[[HttpRequest, User, Ticket], object]
    takes: tuple[str, ...] = ()


# The steps by the name in the page's address (/workbench/hotline/tickets/<number>/<step>/).
STEPS: dict[str, Step] = {
    "resolve": Step(_resolve, ("resolve",)),
    "dispatch": Step(_dispatch, ("dispatch",)),
    "merge": Step(_merge, ("merge",)),
    "sign": Step(lambda request, user, ticket: services.ticket_sign(actor=user, ticket=ticket), ("sign",)),
    "return": Step(
        lambda request, user, ticket: services.ticket_return_request(
            actor=user, ticket=ticket, reason=request.POST.get("reason", "")
        ),
        ("return_request",),
    ),
    "review-return": Step(_review_return, ("return_review",)),
    "extend": Step(_extend, ("extension_request",)),
    "decide-extension": Step(_decide_extension, ("extension_decide",)),
    "reply": Step(
        lambda request, user, ticket: services.ticket_reply(
            actor=user, ticket=ticket, answer=request.POST.get("answer", "")
        ),
        ("reply",),
    ),
    "follow-up": Step(_follow_up, ("follow_up", "redo")),
    "attach": Step(
        lambda request, user, ticket: services.ticket_attach(
            actor=user, ticket=ticket, uploads=request.FILES.getlist("file")
        )
    ),
    "supervise": Step(
        lambda request, user, ticket: supervision.supervision_order_issue(
            actor=user, ticket=ticket, note=request.POST.get("note", "")
        ),
        ("supervise",),
    ),
    "answer-order": Step(_answer_order),
}


@require_POST
@staff_required
def ticket_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    user = acting_user(request)
    ticket = selectors.ticket_for(user, number)
    if ticket is None:
        raise NotFound(code="not_found")
    try:
        step = STEPS.get(action)
        if step is None:
            raise NotFound(_("Unknown step."), code="unknown_action")
        step.run(request, user, ticket)
    except ValidationFailed as failed:
        problems = [str(e["message"]) for e in (failed.details or {}).get("errors", [])]
        messages.error(request, "；".join(problems) or str(failed.message))
    except DomainError as failed:
        messages.error(request, str(failed.message))
    else:
        messages.success(request, _("Done."))
    if selectors.ticket_for(user, number) is None:  # e.g. returned: no longer the unit's
        return redirect("hotline:work")
    return redirect("hotline:ticket", number=number)


PAGE = 50


@require_GET
@staff_required
def work(request: HttpRequest) -> HttpResponse:
    """The person's queues (dispatch, returns, signing, handling, orders, extensions, overdue,
    follow-up), each with its count; the chosen one listed 50 at a time, most urgent first."""
    user = acting_user(request)
    queues = selectors.work_queues(user)
    if not queues:
        raise PermissionDenied()
    chosen = request.GET.get("queue") or queues[0][0]
    current = next((q for q in queues if q[0] == chosen), queues[0])
    page = max(int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdigit() else 1, 1)
    tickets = list(current[2][(page - 1) * PAGE : page * PAGE + 1])
    return render(
        request,
        "hotline/work.html",
        {
            "queues": [(key, label, qs.count()) for key, label, qs in queues],
            "current": current[0],
            "current_label": current[1],
            "tickets": tickets[:PAGE],
            "page": page,
            "more": len(tickets) > PAGE,
            "now": timezone.now(),
        },
    )
