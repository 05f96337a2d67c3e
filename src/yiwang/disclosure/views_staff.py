"""The body's disclosure office in the workbench: the queue of requests by due date, a request with every
step its clock allows, paper requests and the files that came with them (items, the catalogue and the
year's records are ``views_items``'s). Thin: every step is a service call; the services check who may."""

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
    ConsultedParty,
    DataKind,
    Delivery,
    FeeMethod,
    Ground,
    ItemStatus,
    Outcome,
    RequestChannel,
    RequesterKind,
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
