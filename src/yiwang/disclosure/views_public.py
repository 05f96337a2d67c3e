"""政府信息公开 on the portal: the catalogue of published items searchable in Chinese, each body's
catalogue and guide, the request form (in the account's own name), and 我的申请 with each due date's
computation. Thin: every write is a service call; identity comes from the session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.files.base import File
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.choices import AccountKind
from yiwang.audit.choices import AuditResult
from yiwang.audit.services import audit_record
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.masking import mask_id_number, mask_phone
from yiwang.core.middleware import client_ip
from yiwang.core.ratelimit import over_limit
from yiwang.disclosure import exports, selectors, services
from yiwang.disclosure.choices import (
    DOCUMENT_KINDS,
    ORGANISATION_KINDS,
    Delivery,
    ItemKind,
    Outcome,
    RequesterKind,
    RequestStatus,
)
from yiwang.disclosure.follow import normalised as follow_normalised
from yiwang.organisation.selectors import department_get, department_list

PK_MAX = 2**31 - 1  # the largest key the databases hold; a larger number names nothing


def int_or(text: str | None, default: int = 0) -> int:
    try:
        value = int((text or "").strip()[:12] or default)
    except ValueError:
        return default
    return value if -PK_MAX <= value <= PK_MAX else default


def file_response(stored: File[bytes], name: str, content_type: str) -> HttpResponse:
    """A stored file as a download, its Chinese name kept (RFC 6266 with RFC 5987 encoding)."""
    with stored.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def errors_of(failed: ValidationFailed) -> dict[str, str]:
    return {e["field"]: str(e["message"]) for e in (failed.details or {}).get("errors", [])}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """政府信息公开: search, the bodies' catalogues, the newest items, how to apply, the annual reports."""
    context = {
        "bodies": selectors.bodies_publishing(),
        "latest": list(selectors.items_public()[:10]),
        "kinds": ItemKind.choices,
    }
    return render(request, "disclosure/home.html", context)


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: selectors.QUERY_MAX]
    kind = request.GET.get("kind", "")
    kind = kind if kind in ItemKind.values else ""
    body_id = int_or(request.GET.get("body"))
    category_id = int_or(request.GET.get("category"))
    year = int_or(request.GET.get("year"))
    items = selectors.items_public(
        body_id=body_id or None,
        category_id=category_id or None,
        query=query,
        kind=kind,
        year=year if 2000 <= year <= 2100 else None,
    )
    page = Paginator(items, 20).get_page(int_or(request.GET.get("page"), 1))
    context = {
        "page": page,
        "q": query,
        "kind": kind,
        "kinds": ItemKind.choices,
        "body_id": body_id,
        "category_id": category_id,
        "year": year or "",
        "bodies": selectors.bodies_publishing(),
    }
    return render(request, "disclosure/items.html", context)


@require_GET
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_public(pk=pk)
    if item is None:
        raise Http404
    context = {"item": item, "document": item.kind in DOCUMENT_KINDS}
    return render(request, "disclosure/item.html", context)


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    item = selectors.item_public(pk=pk)
    attachment = next((a for a in item.attachments.all() if a.pk == attachment_id), None) if item else None
    if attachment is None:
        raise Http404
    return file_response(attachment.file, attachment.name, attachment.content_type)


@require_GET
def body_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A body's disclosure catalogue (公开目录) and guide (公开指南)."""
    body = department_get(pk=pk, active_only=True)
    if body is None:
        raise Http404
    categories = selectors.categories_of(body=body)
    tops = [c for c in categories if c.parent_id is None]
    children: dict[int, list[Any]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    context = {
        "body": body,
        "tree": [(top, children.get(top.pk, [])) for top in tops],
        "guide": selectors.guide_of(body=body),
        "latest": list(selectors.items_public(body_id=body.pk)[:10]),
    }
    return render(request, "disclosure/body.html", context)


FOLLOWED = "disclosure_followed"  # session: {request pk: follow-up code} of account-less requests shown here
NEW_CODE = "disclosure_new_code"  # session: the code to show once, on the page the submission leads to
FOLLOWED_MAX = 20
LOOKUPS_PER_MINUTE = 10
# Wrong codes for a number: five an hour from one address (a stranger's guesses lock out only the
# stranger), a hundred from all addresses together (against guessing spread over many).
WRONG_PER_HOUR = 5
WRONG_PER_NUMBER_HOUR = 100
ANONYMOUS_REQUESTS_PER_HOUR = 10


def _followed(request: HttpRequest) -> dict[str, str]:
    kept = request.session.get(FOLLOWED, {})
    return kept if isinstance(kept, dict) else {}


def _follow_remember(request: HttpRequest, pk: int, code: str) -> None:
    """The session may read the request from now on — under a new session key, so a session planted
    before cannot ride on the code."""
    request.session.cycle_key()
    kept = {k: v for k, v in _followed(request).items() if k != str(pk)}
    kept[str(pk)] = code
    request.session[FOLLOWED] = dict(list(kept.items())[-FOLLOWED_MAX:])


def _request_fields(post: Any) -> dict[str, Any]:
    """What every portal request form sends, as the services take it."""
    fields: dict[str, Any] = {
        k: post.get(k, "") for k in ("description", "purpose", "form", "delivery", "phone", "address")
    }
    fields["body"] = department_get(pk=int_or(post.get("body")), active_only=True)
    return fields


def _apply_anonymous(request: HttpRequest) -> HttpResponse:
    """Without an account (§29(2)(1)): the requester states who they are and sends their identity document;
    the request number and a follow-up code, shown once, lead back to it."""
    errors: dict[str, str] = {}
    post = request.POST
    status = 200
    if request.method == "POST":
        if over_limit(f"disclosure:apply:{client_ip(request) or 'unknown'}", ANONYMOUS_REQUESTS_PER_HOUR, 3600):
            messages.error(request, _("Too many requests from this address; please try again in an hour."))
            status = 429
        else:
            try:
                made, code = services.request_submit_anonymous(
                    **_request_fields(post),
                    requester_kind=post.get("requester_kind", ""),
                    requester_name=post.get("requester_name", ""),
                    identity_number=post.get("identity_number", ""),
                    identity_document=request.FILES.get("identity_document"),
                )
            except ValidationFailed as failed:
                errors = errors_of(failed)
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                _follow_remember(request, made.pk, code)
                request.session[NEW_CODE] = code
                return redirect("disclosure:mine_request", pk=made.pk)
    context = {
        "errors": errors,
        "post": post,
        "bodies": department_list(),
        "deliveries": Delivery.choices,
        "anonymous": True,
        "requester_kinds": RequesterKind.choices,
        "preselected": int_or(request.GET.get("body")),
    }
    return render(request, "disclosure/apply.html", context, status=422 if errors else status)


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """依申请公开 on the portal: in the account's own name (the name and ID number are the account's), or
    without an account with an identity document."""
    user = request.user
    if not user.is_authenticated:
        return _apply_anonymous(request)
    if getattr(user, "kind", "") not in (AccountKind.NATURAL_PERSON, AccountKind.LEGAL_PERSON):
        messages.error(request, _("Staff accounts cannot make requests; log in as a person or a company."))
        return redirect("disclosure:home")
    errors: dict[str, str] = {}
    post = request.POST
    if request.method == "POST":
        try:
            made = services.request_submit(
                actor=user,
                **_request_fields(post),
                requester_kind=post.get("requester_kind", ""),
            )
        except ValidationFailed as failed:
            errors = errors_of(failed)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("Your request %(number)s was received today; the reply is due by %(day)s.")
                % {"number": made.number, "day": made.due_on},
            )
            return redirect("disclosure:mine_request", pk=made.pk)
    context = {
        "errors": errors,
        "post": post,
        "bodies": department_list(),
        "deliveries": Delivery.choices,
        "company": getattr(user, "kind", "") == AccountKind.LEGAL_PERSON,
        "organisation_kinds": [(k.value, k.label) for k in RequesterKind if k in ORGANISATION_KINDS],
        "masked_identity": mask_id_number(getattr(user, "id_number", "") or getattr(user, "credit_code", "") or ""),
        "masked_phone": mask_phone(getattr(user, "phone", "") or ""),
        "preselected": int_or(request.GET.get("body")),
    }
    return render(request, "disclosure/apply.html", context, status=422 if errors else 200)


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """查询申请: a request made without an account, found by its number and follow-up code (POST, so the
    code never sits in a URL or a log); wrong guesses are limited per number, from one address and from all."""
    number = request.POST.get("number", "").strip()[:40]
    context: dict[str, Any] = {"number": number}
    status = 200
    if request.method == "POST":
        address = client_ip(request) or "unknown"
        if over_limit(f"disclosure:follow:ip:{address}", LOOKUPS_PER_MINUTE, 60) or (
            cache.get(f"disclosure:follow:wrong:{number.upper()}:{address}", 0) >= WRONG_PER_HOUR
            or cache.get(f"disclosure:follow:wrong:{number.upper()}", 0) >= WRONG_PER_NUMBER_HOUR
        ):
            context["limited"] = True
            status = 429
            audit_record(actor=None, action="disclosure.follow", object_type="request", result=AuditResult.DENIED)
        else:
            code = request.POST.get("code", "")
            made = selectors.request_followed(number=number, code=code)
            if made is None:
                over_limit(f"disclosure:follow:wrong:{number.upper()}:{address}", WRONG_PER_HOUR, 3600)
                over_limit(f"disclosure:follow:wrong:{number.upper()}", WRONG_PER_NUMBER_HOUR, 3600)
                context["not_found"] = True
                status = 404
                audit_record(actor=None, action="disclosure.follow", object_type="request", result=AuditResult.FAILED)
            else:
                audit_record(actor=None, action="disclosure.follow", target=made)
                _follow_remember(request, made.pk, follow_normalised(code))
                return redirect("disclosure:mine_request", pk=made.pk)
    return render(request, "disclosure/follow.html", context, status=status)


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.requests_of(request.user), 20).get_page(int_or(request.GET.get("page"), 1))
    return render(request, "disclosure/mine.html", {"page": page})


def requester_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The request's own pages: for the account that made it, or for a session that has shown the
    follow-up code of a request made without an account; anyone else is asked to log in."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and str(pk) not in _followed(request):
            return redirect_to_login(request.get_full_path())
        return view(request, pk, *args, **kwargs)

    return wrapped


def _own(request: HttpRequest, pk: int) -> Any:
    made = selectors.request_of(request.user, pk=pk) if request.user.is_authenticated else None
    if made is None and str(pk) in _followed(request):
        made = selectors.request_anonymous(pk=pk)
    if made is None:
        raise Http404
    return made


@require_http_methods(["GET", "POST"])
@requester_only
def mine_request(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my requests: its status, the due date with how it was computed, what is asked of me (a
    correction), the reply and the documents released."""
    made = _own(request, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.correction_receive(
                actor=request.user,
                request=made,
                text=request.POST.get("text", ""),
                follow_code=_followed(request).get(str(pk), ""),
            )
        except ValidationFailed as failed:
            errors = errors_of(failed)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your correction was received; the reply period starts again today."))
            return redirect("disclosure:mine_request", pk=made.pk)
        made = _own(request, pk)
    events = selectors.events_of(made)
    asked = next((e for e in reversed(events) if e.kind == "correction_requested"), None)
    context = {
        "made": made,
        "events": [e for e in events if e.kind != "received"],
        "clock": selectors.clock_of(made, events=events),
        "reply": selectors.reply_of(made),
        "documents": selectors.documents_of(made),
        "asked": asked,
        "waiting": made.status == RequestStatus.CORRECTION,
        "errors": errors,
        "new_code": request.session.pop(NEW_CODE, "") if made.requester_id is None else "",
    }
    return render(request, "disclosure/mine_request.html", context, status=422 if errors else 200)


@require_GET
@requester_only
def mine_reply_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    made = _own(request, pk)
    reply = selectors.reply_of(made)
    if reply is None:
        raise Http404
    return file_response(reply.pdf, f"{made.number}.pdf", "application/pdf")


@require_GET
@requester_only
def mine_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """Only the released copy, and only once the reply is given: the original never leaves the body."""
    made = _own(request, pk)
    reply = selectors.reply_of(made)
    if reply is None or reply.outcome not in (Outcome.PROVIDED, Outcome.PARTLY):
        raise Http404
    documents = selectors.documents_of(made)
    document = next((d for d in documents if d.pk == document_id and d.released), None)
    if document is None:
        raise Http404
    # A neutral name: the original's may itself name a third party.
    return file_response(document.released, f"{made.number}-{documents.index(document) + 1}.pdf", "application/pdf")


def _year_and_body(request: HttpRequest) -> tuple[int, int]:
    year = int_or(request.GET.get("year"), timezone.localdate().year)
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return year, int_or(request.GET.get("body"))


@require_GET
def requests_csv(request: HttpRequest) -> HttpResponse:
    """One row per request received in the year, with its dates, pauses, extension and outcome; no
    personal data — for researchers and the press."""
    year, body_id = _year_and_body(request)
    response = HttpResponse(
        exports.csv_bytes(exports.rows(body_id=body_id or None, year=year)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"disclosure-requests-{year}.csv")
    return response


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Response times in working days, the paused days and the days waiting on the requester excluded."""
    year, body_id = _year_and_body(request)
    table = exports.rows(body_id=body_id or None, year=year)
    context = {
        "figures": exports.figures(table),
        "year": year,
        "body_id": body_id,
        "bodies": selectors.bodies_publishing(),
        "years": range(timezone.localdate().year, 2019, -1),
    }
    return render(request, "disclosure/figures.html", context)
