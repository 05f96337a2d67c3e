"""The hotline's staff pages: the agent's intake workbench (the caller's earlier tickets and the
knowledge base beside the form, resolve at first contact or pass on), and a ticket's page with
duplicates, the catalogue's and the learned suggestions, and the steps the viewer may take."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import acting_user, user_has_role
from yiwang.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from yiwang.core.identifiers import normalise_phone
from yiwang.core.masking import mask_phone
from yiwang.core.personal_data import lookup_digest
from yiwang.hotline import selectors, services
from yiwang.hotline.knowledge import articles_search
from yiwang.hotline.models import Ticket, TicketKind, TicketStatus, Urgency
from yiwang.organisation.models import Region
from yiwang.workbench.views import staff_required

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
}


def _agent(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not user_has_role(user=user, roles=services.INTAKE_ROLES):
        raise PermissionDenied()
    return user


def _form_context(post: Any, errors: dict[str, str]) -> dict[str, Any]:
    leaves = [c for c in selectors.categories_active() if not c.children.exists()]
    return {
        "post": post,
        "errors": errors,
        "kinds": TicketKind.choices,
        "urgencies": Urgency.choices,
        "leaves": leaves,
        "areas": Region.objects.filter(code__startswith="99").order_by("code"),
    }


@require_http_methods(["GET", "POST"])
@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    """Keyboard first: the phone number has the focus, Tab walks the form, Ctrl+Enter takes the call."""
    user = _agent(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        post = request.POST
        intake = services.Intake(
            channel="phone",
            kind=post.get("kind", ""),
            category_code=post.get("category", ""),
            description=post.get("description", ""),
            address=post.get("address", ""),
            region_code=post.get("region", ""),
            urgency=post.get("urgency", Urgency.NORMAL),
            caller_name=post.get("caller_name", ""),
            caller_phone=post.get("caller_phone", ""),
            anonymous=post.get("anonymous") == "on",
        )
        try:
            ticket = services.ticket_create(
                actor=user, intake=intake, idempotency_key=post.get("idempotency_key") or None
            )
        except ValidationFailed as failed:
            errors = {e["field"]: str(e["message"]) for e in (failed.details or {}).get("errors", [])}
        else:
            messages.success(request, _("Ticket %(number)s taken.") % {"number": ticket.number})
            return redirect("hotline:ticket", number=ticket.number)
    import uuid

    context = _form_context(request.POST, errors)
    context["idempotency_key"] = request.POST.get("idempotency_key") or uuid.uuid4().hex
    return render(request, "hotline/intake.html", context, status=422 if errors else 200)


@require_GET
@staff_required
def caller_history(request: HttpRequest) -> HttpResponse:
    """htmx: the caller's earlier tickets, by phone number (the number itself is shown masked)."""
    user = _agent(request)
    phone = normalise_phone(request.GET.get("caller_phone", ""))[:20]
    tickets: list[Ticket] = []
    if len(phone) >= 7:
        tickets = list(
            selectors.tickets_visible(user)
            .filter(caller_phone_digest=lookup_digest(phone))
            .order_by("-created_at")[:10]
        )
    return render(request, "hotline/_caller.html", {"tickets": tickets, "masked": mask_phone(phone) if phone else ""})


@require_GET
@staff_required
def knowledge(request: HttpRequest) -> HttpResponse:
    """htmx: knowledge-base articles for what the caller is saying."""
    _agent(request)
    query = request.GET.get("description", "") or request.GET.get("q", "")
    return render(request, "hotline/_knowledge.html", {"articles": articles_search(query)[:5], "query": query})


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
            "duplicates": selectors.duplicates_of(ticket) if is_new else [],
            "catalogue_unit": selectors.dispatch_suggestion(ticket) if is_new else None,
            "learned": learned,
            "articles": articles_search(ticket.description)[:3] if is_new else [],
            "may_intake": user_has_role(user=user, roles=services.INTAKE_ROLES),
            "may_dispatch": user_has_role(user=user, roles={Role.DISPATCHER}),
        },
    )


@require_POST
@staff_required
def ticket_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    user = acting_user(request)
    ticket = selectors.ticket_for(user, number)
    if ticket is None:
        raise NotFound(code="not_found")
    post = request.POST
    try:
        if action == "resolve":
            article = post.get("article", "")
            services.ticket_resolve(
                actor=user,
                ticket=ticket,
                answer=post.get("answer", ""),
                article=int(article) if article.isdigit() else None,
            )
        elif action == "dispatch":
            from yiwang.organisation.models import Department

            unit_id = post.get("unit", "")
            unit = Department.objects.filter(pk=unit_id).first() if unit_id.isdigit() else None
            services.ticket_dispatch(actor=user, ticket=ticket, unit=unit, note=post.get("note", ""))
        elif action == "merge":
            into = selectors.ticket_for(user, post.get("into", ""))
            if into is None:
                raise NotFound(_("No ticket has this number."), code="not_found")
            services.ticket_merge(actor=user, ticket=ticket, into=into)
        else:
            raise NotFound(_("Unknown step."), code="unknown_action")
    except DomainError as failed:
        messages.error(request, str(failed.message))
    else:
        messages.success(request, _("Done."))
    return redirect("hotline:ticket", number=number)
