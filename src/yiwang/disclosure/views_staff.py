"""The body's disclosure office in the workbench: the queue of requests by due date, a request with every
step its clock allows, paper requests, the items from draft through confidentiality review to
publication, the catalogue and guide, and what the 2016 report also counts. Thin: every step is a
service call; the services check who may."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.authz import can, grants_of
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.shell import acting_user, staff_required
from yiwang.disclosure import selectors, services
from yiwang.disclosure.choices import (
    GROUNDS,
    LAPSE_GROUNDS,
    REFUSAL_GROUNDS,
    Channel,
    ConsultedParty,
    DataKind,
    Delivery,
    FeeMethod,
    Ground,
    ItemKind,
    ItemStatus,
    MeetingKind,
    Outcome,
    RequestChannel,
    RequesterKind,
    ResponseKind,
)
from yiwang.disclosure.models import ProactiveItem
from yiwang.disclosure.services._common import may_read_files
from yiwang.disclosure.views_public import errors_of, file_response, int_or
from yiwang.organisation.selectors import department_get


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _bodies(request: HttpRequest) -> list[Any]:
    """The bodies whose office the user works in (their disclosure-officer grants' departments)."""
    ids = {g.department_id for g in grants_of(acting_user(request), {Role.DISCLOSURE_OFFICER}) if g.department_id}
    return [body for body in (department_get(pk=pk, active_only=True) for pk in sorted(ids)) if body is not None]


def _refused(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error.message))


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """依申请公开 by due date, and the items waiting for review or publication."""
    user = acting_user(request)
    query = request.GET.get("q", "")[:40]
    open_only = request.GET.get("all") != "1"
    requests = list(selectors.requests_for_staff(user, open_only=open_only, query=query)[:200])
    context = {
        "requests": requests,
        "open_only": open_only,
        "q": query,
        "review": list(selectors.items_for_staff(user, status=ItemStatus.IN_REVIEW)[:50]),
        "approved": list(selectors.items_for_staff(user, status=ItemStatus.APPROVED)[:50]),
        "drafts": list(selectors.items_for_staff(user, status=ItemStatus.DRAFT)[:50]),
        "officer": bool(_bodies(request)),
        "today": services._common.today(),
    }
    return render(request, "disclosure/staff_queue.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def request_new(request: HttpRequest) -> HttpResponse:
    """A request on paper: in person, by letter or by fax (§29), with the scan of what arrived."""
    user = acting_user(request)
    bodies = _bodies(request)
    errors: dict[str, str] = {}
    post = request.POST
    if request.method == "POST":
        try:
            made = services.request_enter(
                actor=user,
                body=department_get(pk=int_or(post.get("body")), active_only=True),
                channel=post.get("channel", ""),
                requester_kind=post.get("requester_kind", ""),
                requester_name=post.get("requester_name", ""),
                identity_number=post.get("identity_number", ""),
                phone=post.get("phone", ""),
                address=post.get("address", ""),
                description=post.get("description", ""),
                purpose=post.get("purpose", ""),
                form=post.get("form", ""),
                delivery=post.get("delivery", ""),
                received_on=_date(post.get("received_on")),
                letter=request.FILES.get("letter"),
            )
        except ValidationFailed as failed:
            errors = errors_of(failed)
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Request %(number)s entered.") % {"number": made.number})
            return redirect("disclosure_staff:request", pk=made.pk)
    context = {
        "bodies": bodies,
        "errors": errors,
        "post": post,
        "channels": [(c.value, c.label) for c in RequestChannel if c != RequestChannel.ONLINE],
        "kinds": RequesterKind.choices,
        "deliveries": Delivery.choices,
        "today": services._common.today(),
    }
    return render(request, "disclosure/staff_request_new.html", context, status=422 if errors else 200)


def _request_or_404(request: HttpRequest, pk: int) -> Any:
    made = selectors.request_for_staff(acting_user(request), pk=pk)
    if made is None:
        raise Http404
    return made


def _reply_grounds() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (outcome, [(g, str(Ground(g).label)) for g in grounds if g not in LAPSE_GROUNDS])
        for outcome, grounds in GROUNDS.items()
    ]


@require_GET
@staff_required
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    made = _request_or_404(request, pk)
    events = selectors.events_of(made)
    outcome = request.GET.get("outcome", Outcome.PROVIDED)
    outcome = outcome if outcome in Outcome.values else Outcome.PROVIDED
    ground = request.GET.get("ground", "")
    context = {
        "made": made,
        "events": events,
        "clock": selectors.clock_of(made, events=events),
        "open_computation": True,
        "reply": selectors.reply_of(made),
        "documents": _with_pages(selectors.documents_of(made)),
        "appeals": selectors.appeals_of(made),
        "refusal_grounds": [(str(g), str(Ground(g).label)) for g in REFUSAL_GROUNDS],
        "data_kinds": DataKind.choices,
        "box_keys": ("x0", "y0", "x1", "y1"),
        "handles": selectors.may_handle(user, made),
        "head": can(user, {Role.DEPT_HEAD}, department=made.body),
        "files": may_read_files(user, made.body),
        "outcomes": Outcome.choices,
        "grounds": _reply_grounds(),
        "outcome": outcome,
        "ground": ground,
        "template_text": services.reply_template(made, outcome, ground),
        "deliveries": Delivery.choices,
        "parties": ConsultedParty.choices,
        "fee_methods": [(m.value, m.label) for m in FeeMethod if m != FeeMethod.NONE],
        "rank": services.month_rank(made),
        "pages": services.released_pages(made),
        "published": list(selectors.items_public(body_id=made.body_id)[:50]),
        "identity": made.identity_number,
    }
    return render(request, "disclosure/staff_request.html", context)


def _with_pages(documents: list[Any]) -> list[Any]:
    for document in documents:
        document.page_numbers = range(1, min(document.pages, 50) + 1)
    return documents


@require_GET
@staff_required
def reply_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The template for the outcome and ground chosen (HTMX swaps it into the reply form)."""
    made = _request_or_404(request, pk)
    outcome = request.GET.get("outcome", "")
    ground = request.GET.get("ground", "")
    text = services.reply_template(made, outcome if outcome in Outcome.values else "", ground)
    return render(request, "disclosure/_reply_text.html", {"text": text})


@require_POST
@staff_required
def request_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the request from its page's forms; the service decides whether it may be taken."""
    user = acting_user(request)
    made = _request_or_404(request, pk)
    post = request.POST
    steps: dict[str, tuple[Callable[[], object], str]] = {
        "correction": (
            lambda: services.correction_request(
                actor=user, request=made, what=post.get("what", ""), period=int_or(post.get("period"), 15)
            ),
            _("The correction request was sent; the period stops until the correction arrives."),
        ),
        "corrected": (
            lambda: services.correction_receive(actor=user, request=made, text=post.get("text", "")),
            _("The correction was recorded; the period starts again today."),
        ),
        "consult": (
            lambda: services.consultation_start(
                actor=user,
                request=made,
                party=post.get("party", ""),
                party_name=post.get("party_name", ""),
                note=post.get("note", ""),
            ),
            _("The consultation was recorded; its days are not counted."),
        ),
        "consulted": (
            lambda: services.consultation_end(actor=user, request=made, note=post.get("note", "")),
            _("The answer was recorded; the period runs again."),
        ),
        "fee": (
            lambda: services.fee_notify(actor=user, request=made, method=post.get("method", "")),
            _("The fee notice was recorded."),
        ),
        "paid": (lambda: services.fee_pay(actor=user, request=made), _("The payment was recorded.")),
        "extend": (
            lambda: services.request_extend(
                actor=user, request=made, days=int_or(post.get("days")), reason=post.get("reason", "")
            ),
            _("The extension was granted."),
        ),
        "reply": (
            lambda: services.reply_make(
                actor=user,
                request=made,
                outcome=post.get("outcome", ""),
                ground=post.get("ground", ""),
                text=post.get("text", ""),
                delivery=post.get("delivery", ""),
                where_public=post.get("where_public", ""),
                public_item=ProactiveItem.objects.filter(pk=int_or(post.get("public_item"))).first()
                if post.get("public_item")
                else None,
                other_body=post.get("other_body", ""),
            ),
            _("The reply was made."),
        ),
        "appeal": (
            lambda: services.appeal_record(
                actor=user,
                request=made,
                kind=post.get("kind", ""),
                authority=post.get("authority", ""),
                filed_on=_date(post.get("filed_on")),
                case_number=post.get("case_number", ""),
                after_reconsideration=post.get("after_reconsideration") == "on",
            ),
            _("The appeal was recorded."),
        ),
    }
    if action == "appeal_decide":
        appeal = next((a for a in selectors.appeals_of(made) if a.pk == int_or(post.get("appeal"))), None)
        if appeal is None:
            raise Http404
        steps["appeal_decide"] = (
            lambda: services.appeal_decide(
                actor=user, appeal=appeal, outcome=post.get("outcome", ""), decided_on=_date(post.get("decided_on"))
            ),
            _("The appeal's outcome was recorded."),
        )
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
    return redirect("disclosure_staff:request", pk=made.pk)


@require_GET
@staff_required
def reply_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    made = _request_or_404(request, pk)
    reply = selectors.reply_of(made)
    if reply is None:
        raise Http404
    return file_response(reply.pdf, f"{made.number}.pdf", "application/pdf")


@require_GET
@staff_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    made = _request_or_404(request, pk)
    user = acting_user(request)
    if not made.letter or not may_read_files(user, made.body):
        raise Http404
    audit_record(actor=user, action="disclosure.letter_read", target=made)
    return _stored_file(made.letter)


@require_GET
@staff_required
def identity_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The identity document of a request made on the portal without an account: the body's office and
    head only, every reading audited."""
    made = _request_or_404(request, pk)
    user = acting_user(request)
    if not made.identity_document or not may_read_files(user, made.body):
        raise Http404
    audit_record(actor=user, action="disclosure.identity_document_read", target=made)
    return _stored_file(made.identity_document)


def _stored_file(stored: Any) -> HttpResponse:
    name = stored.name.rsplit("/", 1)[-1]
    lower = name.lower()
    content_type = (
        "application/pdf" if lower.endswith(".pdf")
        else "image/png" if lower.endswith(".png")
        else "image/jpeg" if lower.endswith((".jpg", ".jpeg"))
        else "application/octet-stream"
    )  # fmt: skip
    return file_response(stored, name, content_type)


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
