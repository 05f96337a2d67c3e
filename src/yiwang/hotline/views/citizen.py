"""12345 on the portal (docs/hotline.md, "The citizen's side"): raise a request (logged in, or with a phone
proved by an SMS code), follow it on 我的诉求, rate it or say it is not solved; find published replies
and public answers before calling. Thin: every write is a service call, identity from the session."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.middleware import client_ip
from yiwang.core.ratelimit import over_limit
from yiwang.hotline import citizen, services
from yiwang.hotline.learning import category_suggestions
from yiwang.hotline.models import Satisfaction, TicketStatus
from yiwang.hotline.selectors import category_leaves
from yiwang.organisation.selectors import region_list

PROVED = "hotline_phone_proved"  # session: the digest of the phone proved by a code (我的诉求 without an account)
PROVED_AT = "hotline_phone_proved_at"
PROVED_MINUTES = 30
CODES_PER_ADDRESS_HOUR = 20
# Tries at a code per address (the code's own five tries are per phone): a stranger cannot use up
# someone's codes from one address, nor keep a server decoding photos.
POSTS_PER_ADDRESS_TEN_MINUTES = 30


def _over(request: HttpRequest, what: str) -> bool:
    return over_limit(f"hotline:{what}:{client_ip(request) or 'unknown'}", POSTS_PER_ADDRESS_TEN_MINUTES, 600)


def _prove(request: HttpRequest, digest: str) -> None:
    """The phone proved: a new session key first, so a session planted before cannot ride on the proof."""
    request.session.cycle_key()
    request.session[PROVED] = digest
    request.session[PROVED_AT] = int(timezone.now().timestamp())


def _errors(failed: ValidationFailed) -> dict[str, str]:
    found: dict[str, str] = {}
    for e in (failed.details or {}).get("errors", []):
        found.setdefault(e["field"], str(e["message"]))
    return found


def _proved(request: HttpRequest) -> str:
    """The phone digest this session proved within the last half hour, else ''."""
    digest = request.session.get(PROVED, "")
    at = request.session.get(PROVED_AT, 0)
    if not isinstance(digest, str) or not isinstance(at, int | float):
        return ""
    if timezone.now().timestamp() - at > PROVED_MINUTES * 60:
        return ""
    return digest


def _place_choices() -> tuple[list[Any], dict[str, list[Any]]]:
    """The district/street picker: districts and, per district, its townships and streets."""
    districts = list(region_list(level="district"))
    streets: dict[str, list[Any]] = {}
    for street in region_list(level="township"):
        if street.parent is not None:
            streets.setdefault(street.parent.code, []).append(street)
    return districts, streets


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The web channel's front page: raise, follow, and the answers people found before calling."""
    context = {
        "recent": citizen.replies_published()[:5],
        "articles": citizen.articles_public(limit=5),
        "nav": "12345",
    }
    return render(request, "hotline/citizen/home.html", context)


@require_http_methods(["GET", "POST"])
def raise_request(request: HttpRequest) -> HttpResponse:
    """网上诉求: the form; staff accounts are sent to the workbench."""
    user = request.user
    staff = user.is_authenticated and getattr(user, "kind", "") not in ("natural_person", "legal_person")
    if staff:
        messages.error(request, _("Staff accounts enter requests at the hotline workbench; log out to raise your own."))
        return redirect("hotline_public:home")
    errors: dict[str, str] = {}
    post = request.POST
    status = 200
    if request.method == "POST" and _over(request, "raise"):
        messages.error(request, _("Too many attempts from this address; please try again in ten minutes."))
        status = 429
    elif request.method == "POST":
        form = services.WebRequest(
            kind=post.get("kind", ""), category_code=post.get("category", ""), description=post.get("description", ""),
            address=post.get("address", ""), region_code=post.get("street", "") or post.get("district", ""),
            latitude=post.get("lat", ""), longitude=post.get("long", ""), caller_name=post.get("name", ""),
            phone=post.get("phone", ""), sms_code=post.get("sms_code", ""),
            publish_consent=post.get("publish") == "yes",
        )  # fmt: skip
        try:
            ticket = services.web_ticket_submit(
                actor=user,
                request=form,
                photos=request.FILES.getlist("photos"),
                idempotency_key=post.get("form_key") or None,
            )
        except ValidationFailed as failed:
            errors = _errors(failed)
        except DomainError as error:
            messages.error(request, str(error.message))
            status = error.status
        else:
            if not user.is_authenticated:
                _prove(request, services.phone_digest(form.phone))
            messages.success(
                request,
                _("Your request %(number)s was received. Follow it here; we reply by text message too.")
                % {"number": ticket.number},
            )
            return redirect("hotline_public:mine_ticket", number=ticket.number)
    districts, streets = _place_choices()
    chosen = post.get("district", "")
    context = {
        "errors": errors,
        "post": post,
        "kinds": services.web_kinds(),
        "categories": category_leaves(),
        "suggested": category_suggestions(post.get("description", "")) if post.get("description") else [],
        "districts": districts,
        "streets": streets.get(chosen, []),
        "form_key": post.get("form_key") or uuid.uuid4().hex,
        "account_phone": services.own_mobile(user),
        "nav": "12345",
    }
    return render(request, "hotline/citizen/raise.html", context, status=422 if errors else status)


@require_GET
def category_suggest(request: HttpRequest) -> HttpResponse:
    """As the citizen types: the categories tickets worded like it were filed under (htmx)."""
    if over_limit(f"hotline:suggest:{client_ip(request) or 'unknown'}", 120, 60):
        return HttpResponse(status=429)
    found = category_suggestions(request.GET.get("description", "")[:2000])
    context = {
        "suggested": found,
        "categories": category_leaves(),
        "chosen": request.GET.get("category", "")[:20],
        "errors": {},
    }
    return render(request, "hotline/citizen/_suggested.html", context)


@require_GET
def streets(request: HttpRequest) -> HttpResponse:
    """The streets of the chosen district (htmx)."""
    _districts, by_district = _place_choices()
    found = by_district.get(request.GET.get("district", "")[:12], [])
    return render(request, "hotline/citizen/_streets.html", {"streets": found, "post": {}})


@require_POST
def code_send(request: HttpRequest) -> HttpResponse:
    """Sends the SMS code (htmx): to raise a request, or to open 我的诉求, without an account."""
    status = 200
    if over_limit(f"hotline:code:{client_ip(request) or 'unknown'}", CODES_PER_ADDRESS_HOUR, 3600):
        message, ok, status = _("Too many codes from this address; please try again in an hour."), False, 429
    else:
        try:
            services.phone_code_send(phone=request.POST.get("phone", ""), purpose=request.POST.get("purpose", ""))
        except ValidationFailed as failed:
            message, ok, status = "；".join(_errors(failed).values()), False, 422
        except DomainError as error:
            message, ok, status = str(error.message), False, 429
        else:
            message, ok = _("The code was sent; it is valid for 5 minutes."), True
    if request.headers.get("HX-Request") == "true":
        status = 200  # htmx swaps only 2xx: the refusal is the fragment's message (and its role)
    return render(request, "hotline/citizen/_code_sent.html", {"message": message, "ok": ok}, status=status)


@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """我的诉求: the account's requests, or — without an account — those of a phone proved by its code."""
    proved = _proved(request)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and _over(request, "prove"):
        errors = {"code": _("Too many attempts from this address; please try again in ten minutes.")}
        status = 429
    elif request.method == "POST":
        try:
            digest = services.phone_prove(phone=request.POST.get("phone", ""), code=request.POST.get("sms_code", ""))
        except ValidationFailed as failed:
            errors = _errors(failed)
            status = 422
        else:
            _prove(request, digest)
            return redirect("hotline_public:mine")
    tickets = citizen.caller_tickets(request.user, proved)
    asked = request.user.is_authenticated or bool(proved)
    page = Paginator(tickets, citizen.PAGE_SIZE).get_page(request.GET.get("page")) if asked else None
    context = {"page": page, "asked": asked, "errors": errors, "post": request.POST, "nav": "12345"}
    return render(request, "hotline/citizen/mine.html", context, status=status)


def _own(request: HttpRequest, number: str) -> Any:
    ticket = citizen.caller_ticket(request.user, _proved(request), number)
    if ticket is None:
        raise Http404
    return ticket


@require_http_methods(["GET", "POST"])
def mine_ticket(request: HttpRequest, number: str) -> HttpResponse:
    """One request: every step the public may see, the unit, the due time, the reply; rate it or say it
    is not solved (it is then redone)."""
    if not request.user.is_authenticated and not _proved(request):
        return redirect("hotline_public:mine")
    ticket = _own(request, number)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        solved = request.POST.get("solved") == "yes"
        try:
            services.web_ticket_rate(
                actor=request.user,
                phone_proved=_proved(request), ticket=ticket, solved=solved,
                satisfaction=request.POST.get("satisfaction", ""), note=request.POST.get("note", ""),
            )  # fmt: skip
        except ValidationFailed as failed:
            errors = _errors(failed)
        except DomainError as error:
            messages.error(request, str(error.message))
            status = error.status
        else:
            messages.success(
                request,
                _("Thank you: your rating was recorded.")
                if solved
                else _("The request goes back to the unit to be handled again; you will get a new reply."),
            )
            return redirect("hotline_public:mine_ticket", number=ticket.number)
        ticket = _own(request, number)
    context = {
        "ticket": ticket,
        "steps": citizen.public_steps(ticket),
        "photos": citizen.photos_of(ticket),
        "can_rate": ticket.status == TicketStatus.REPLIED,
        "satisfactions": [(v, label) for v, label in Satisfaction.choices if v != Satisfaction.DISSATISFIED],
        "errors": errors,
        "post": request.POST,
        "nav": "12345",
    }
    return render(request, "hotline/citizen/ticket.html", context, status=422 if errors else status)


@require_GET
def mine_photo(request: HttpRequest, number: str, photo_id: int) -> HttpResponse:
    if not request.user.is_authenticated and not _proved(request):
        raise Http404
    ticket = _own(request, number)
    photo = next((p for p in citizen.photos_of(ticket) if p.pk == photo_id), None)
    if photo is None:
        raise Http404
    with photo.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=photo.content_type)
    response["Content-Disposition"] = content_disposition_header(False, photo.name) or "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def answers(request: HttpRequest) -> HttpResponse:
    """回复公开: published replies and public answers, by category, district and words."""
    query = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "").strip()[:20]
    district = request.GET.get("district", "").strip()[:12]
    replies = citizen.replies_published(query=query, category_code=category, region_code=district)
    page = Paginator(replies, citizen.PAGE_SIZE).get_page(request.GET.get("page"))
    districts, _streets = _place_choices()
    context = {
        "page": page,
        "query": query,
        "category": category,
        "district": district,
        "articles": citizen.articles_public(query, limit=5) if not category and not district else [],
        "groups": _category_groups(),
        "districts": districts,
        "nav": "12345",
    }
    return render(request, "hotline/citizen/answers.html", context)


def _category_groups() -> list[Any]:
    from yiwang.hotline.selectors import categories_active

    return [c for c in categories_active() if c.parent_id is None]


@require_GET
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    reply = citizen.reply_published(pk)
    if reply is None:
        raise Http404
    return render(request, "hotline/citizen/answer.html", {"reply": reply, "nav": "12345"})


@require_GET
def article(request: HttpRequest, pk: int) -> HttpResponse:
    found = citizen.article_public(pk)
    if found is None:
        raise Http404
    return render(request, "hotline/citizen/article.html", {"article": found, "nav": "12345"})
