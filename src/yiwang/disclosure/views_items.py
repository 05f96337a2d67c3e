"""The disclosure office's pages for proactive items (draft, confidentiality review, publication), the
body's catalogue and guide, and the year's records the annual report counts (meetings, complaints, staff).
Thin: every write is a service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.shell import acting_user, staff_required
from yiwang.disclosure import selectors, services
from yiwang.disclosure.choices import (
    Channel,
    ItemKind,
    ItemStatus,
    MeetingKind,
    ResponseKind,
)
from yiwang.disclosure.models import ProactiveItem
from yiwang.disclosure.views_public import errors_of, int_or
from yiwang.disclosure.views_staff import _bodies, _date, _refused

# --- items ----------------------------------------------------------------------------------------------


def _item_fields(post: Any, body: Any) -> dict[str, Any]:
    categories = {c.pk: c for c in selectors.categories_of(body=body)} if body is not None else {}
    return {
        "category": categories.get(int_or(post.get("category"))),
        "kind": post.get("kind", ""),
        "title": post.get("title", ""),
        "text": post.get("text", ""),
        "document_number": post.get("document_number", ""),
        "formed_on": _date(post.get("formed_on")),
        "issued_on": _date(post.get("issued_on")),
        "channels": post.getlist("channels"),
    }


@require_http_methods(["GET", "POST"])
@staff_required
def item_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    bodies = _bodies(request)
    post = request.POST
    body = next((b for b in bodies if b.pk == int_or(post.get("body") or request.GET.get("body"))), None) or (
        bodies[0] if bodies else None
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            item = services.item_create(actor=user, body=body, **_item_fields(post, body))  # type: ignore[arg-type]
        except ValidationFailed as failed:
            errors = errors_of(failed)
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The draft was saved; submit it for the confidentiality review."))
            return redirect("disclosure_staff:item", pk=item.pk)
    context = _item_form_context(body, bodies, post, errors)
    return render(request, "disclosure/staff_item_new.html", context, status=422 if errors else 200)


def _item_form_context(body: Any, bodies: list[Any], post: Any, errors: dict[str, str]) -> dict[str, Any]:
    return {
        "body": body,
        "bodies": bodies,
        "categories": selectors.categories_of(body=body) if body is not None else [],
        "kinds": ItemKind.choices,
        "channels": Channel.choices,
        "post": post,
        "chosen_channels": post.getlist("channels") if hasattr(post, "getlist") else [],
        "errors": errors,
        "today": services._common.today(),
    }


@require_GET
@staff_required
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.item_for_staff(user, pk=pk)
    if item is None:
        raise Http404
    context = {
        "item": item,
        "reviews": list(item.reviews.all()),
        "officer": any(b.pk == item.body_id for b in _bodies(request)),
        "reviewer": not selectors.is_author(item, user),
        "documents": item.kind in ("regulation", "normative"),
    }
    return render(request, "disclosure/staff_item.html", context)


@require_POST
@staff_required
def item_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    item = selectors.item_for_staff(user, pk=pk)
    if item is None:
        raise Http404
    post = request.POST
    steps: dict[str, tuple[Callable[[], object], str]] = {
        "submit": (lambda: services.item_review_submit(actor=user, item=item), _("Submitted for review.")),
        "review": (
            lambda: services.item_review(
                actor=user, item=item, decision=post.get("decision", ""), note=post.get("note", "")
            ),
            _("The review was recorded."),
        ),
        "publish": (lambda: services.item_publish(actor=user, item=item), _("Published.")),
        "repeal": (
            lambda: services.item_repeal(actor=user, item=item, repealed_on=_date(post.get("repealed_on"))),
            _("The document is marked repealed."),
        ),
        "withdraw": (
            lambda: services.item_withdraw(actor=user, item=item, reason=post.get("reason", "")),
            _("The item was withdrawn."),
        ),
        "attach": (
            lambda: _attach(user, item, request),
            _("The file was attached."),
        ),
    }
    step = steps.get(action)
    if step is None:
        raise Http404
    try:
        step[0]()
    except DomainError as error:
        _refused(request, error)
        if isinstance(error, ValidationFailed):
            for problem in errors_of(error).values():
                messages.error(request, problem)
    else:
        messages.success(request, step[1])
    return redirect("disclosure_staff:item", pk=item.pk)


def _attach(user: Any, item: ProactiveItem, request: HttpRequest) -> object:
    upload = request.FILES.get("file")
    if upload is None or isinstance(upload, list):
        raise ValidationFailed(
            _("Choose a file."), details={"errors": [{"field": "file", "message": _("Choose a file.")}]}
        )
    return services.item_attach(actor=user, item=item, upload=upload)


@require_GET
@staff_required
def item_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    status = request.GET.get("status", "")
    items = list(selectors.items_for_staff(user, status=status if status in ItemStatus.values else "")[:200])
    context = {"items": items, "statuses": ItemStatus.choices, "status": status, "today": services._common.today()}
    return render(request, "disclosure/staff_items.html", context)


# --- the catalogue, the guide and the year's records ------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def catalogue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    bodies = _bodies(request)
    body = next((b for b in bodies if b.pk == int_or(request.POST.get("body") or request.GET.get("body"))), None) or (
        bodies[0] if bodies else None
    )
    if body is None:
        raise Http404
    errors: dict[str, str] = {}
    post = request.POST
    if request.method == "POST":
        categories = {c.pk: c for c in selectors.categories_of(body=body, active_only=False)}
        try:
            if post.get("what") == "category":
                services.category_create(
                    actor=user,
                    body=body,
                    name=post.get("name", ""),
                    parent=categories.get(int_or(post.get("parent"))),
                    position=int_or(post.get("position")),
                )
                messages.success(request, _("The category was added."))
            elif post.get("what") == "retire" and int_or(post.get("category")) in categories:
                services.category_retire(actor=user, category=categories[int_or(post.get("category"))])
                messages.success(request, _("The category takes no new items."))
            elif post.get("what") == "guide":
                services.guide_save(
                    actor=user,
                    body=body,
                    office=post.get("office", ""),
                    address=post.get("address", ""),
                    hours=post.get("hours", ""),
                    phone=post.get("phone", ""),
                    text=post.get("text", ""),
                )
                messages.success(request, _("The guide was saved."))
            else:
                raise Http404
        except ValidationFailed as failed:
            errors = errors_of(failed)
        except DomainError as error:
            _refused(request, error)
        else:
            return redirect(f"{request.path}?body={body.pk}")
    context = {
        "body": body,
        "bodies": bodies,
        "categories": selectors.categories_of(body=body, active_only=False),
        "guide": _guide_values(post, selectors.guide_of(body=body)),
        "errors": errors,
    }
    return render(request, "disclosure/staff_catalogue.html", context, status=422 if errors else 200)


def _guide_values(post: Any, guide: Any) -> dict[str, str]:
    fields = ("office", "address", "hours", "phone", "text")
    if post.get("what") == "guide":
        return {f: post.get(f, "") for f in fields}
    return {f: getattr(guide, f) if guide is not None else "" for f in fields}


@require_http_methods(["GET", "POST"])
@staff_required
def activity(request: HttpRequest) -> HttpResponse:
    """回应解读, meetings and training, complaints and the office's year: what the 2016 report counts."""
    user = acting_user(request)
    bodies = _bodies(request)
    body = next((b for b in bodies if b.pk == int_or(request.POST.get("body") or request.GET.get("body"))), None) or (
        bodies[0] if bodies else None
    )
    if body is None:
        raise Http404
    post = request.POST
    errors: dict[str, str] = {}
    if request.method == "POST":
        what = post.get("what")
        try:
            if what == "response":
                services.response_record(
                    actor=user,
                    body=body,
                    kind=post.get("kind", ""),
                    topic=post.get("topic", ""),
                    on=_date(post.get("on")),
                    principal_attended=post.get("principal") == "on",
                )
            elif what == "meeting":
                services.meeting_record(
                    actor=user,
                    body=body,
                    kind=post.get("kind", ""),
                    title=post.get("title", ""),
                    on=_date(post.get("on")),
                    attendees=int_or(post.get("attendees"), -1),
                )
            elif what == "complaint":
                services.complaint_record(
                    actor=user, body=body, summary=post.get("summary", ""), received_on=_date(post.get("on"))
                )
            elif what == "office":
                services.office_year_save(
                    actor=user,
                    body=body,
                    year=int_or(post.get("year")),
                    offices=int_or(post.get("offices"), -1),
                    reading_points=int_or(post.get("reading_points"), -1),
                    full_time_staff=int_or(post.get("full_time_staff"), -1),
                    part_time_staff=int_or(post.get("part_time_staff"), -1),
                    budget=post.get("budget", ""),
                )
            else:
                raise Http404
        except ValidationFailed as failed:
            errors = errors_of(failed)
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect(f"{request.path}?body={body.pk}")
    context = {
        "body": body,
        "bodies": bodies,
        "response_kinds": ResponseKind.choices,
        "meeting_kinds": MeetingKind.choices,
        "errors": errors,
        "post": post,
        "what": post.get("what", ""),
        "today": services._common.today(),
    }
    return render(request, "disclosure/staff_activity.html", context, status=422 if errors else 200)
