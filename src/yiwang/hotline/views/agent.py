"""The agent's intake workbench: the call form, and beside it the caller's earlier tickets and the
knowledge base (htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.selectors import user_has_role
from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.core.identifiers import normalise_phone
from yiwang.core.masking import mask_phone
from yiwang.core.personal_data import lookup_digest
from yiwang.core.shell import acting_user, staff_required
from yiwang.hotline import selectors, services
from yiwang.hotline.knowledge import articles_search
from yiwang.hotline.models import Ticket, TicketKind, Urgency
from yiwang.organisation.selectors import region_list


def _agent(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not user_has_role(user=user, roles=services.INTAKE_ROLES):
        raise PermissionDenied()
    return user


def _form_context(post: Any, errors: dict[str, str]) -> dict[str, Any]:
    leaves = selectors.category_leaves()
    return {
        "post": post,
        "errors": errors,
        "kinds": TicketKind.choices,
        "urgencies": Urgency.choices,
        "leaves": leaves,
        "areas": region_list(code_prefix="99"),
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
