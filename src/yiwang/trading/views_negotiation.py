"""Pages of the non-tender procurement methods (docs/trading.md §4a): the centre names a single source,
records negotiations, calls and concludes rounds of final quotes, and delivers the report to the
purchaser; a supplier seals and opens its final quote. Thin: each form is one service call."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yiwang.core.shell import acting_user, staff_required
from yiwang.trading import selectors, services
from yiwang.trading.services.negotiation import QUOTE_MAX_BYTES
from yiwang.trading.views import _act, _int

# --- the centre ---------------------------------------------------------------------------------------


@require_POST
@staff_required
def single_source_publish(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_for_staff(acting_user(request), code)
    supplier = selectors.company_by_credit_code(request.POST.get("credit_code", "")[:18])
    if supplier is None:
        messages.error(request, _("No registered company has this unified social credit code."))
        return redirect("trading_staff:project", code=code)
    return _act(
        request,
        lambda u: services.single_source_publish(
            actor=u,
            project=project,
            supplier=supplier,
            ground=request.POST.get("ground", "")[:16],
            reason=request.POST.get("reason", "")[:6000],
        ),
        _("The single source is published; the notice may follow when its publicity is over."),
        "trading_staff:project",
        code,
    )


@require_POST
@staff_required
def negotiation_record(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    project = selectors.project_for_staff(user, code)
    bid = selectors.bids_opened(project).filter(pk=_int(request.POST.get("bid"), 0)).first()
    if bid is None:
        messages.error(request, _("Choose the supplier the panel negotiated with."))
        return redirect("trading_staff:project", code=code)
    return _act(
        request,
        lambda u: services.negotiation_record(actor=u, bid=bid, minutes=request.POST.get("minutes", "")[:21000]),
        _("The minutes are recorded; only that supplier, the panel and the supervisor read them."),
        "trading_staff:project",
        code,
    )


def _deadline(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip()[:40])
    except ValueError:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@require_POST
@staff_required
def quote_round_call(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_for_staff(acting_user(request), code)
    deadline = _deadline(request.POST.get("deadline", ""))
    if deadline is None:
        messages.error(request, _("Enter the deadline as a date and time."))
        return redirect("trading_staff:project", code=code)
    return _act(
        request,
        lambda u: services.quote_round_call(
            actor=u, project=project, deadline=deadline, note=request.POST.get("note", "")[:6000]
        ),
        _("Final quotes are called; every supplier still in the procedure sees the round on its page."),
        "trading_staff:project",
        code,
    )


@require_POST
@staff_required
def quote_round_conclude(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_for_staff(acting_user(request), code)
    return _act(
        request,
        lambda u: services.quote_round_conclude(actor=u, project=project),
        _("The round is concluded; quotes not opened have lapsed."),
        "trading_staff:project",
        code,
    )


@require_POST
@staff_required
def report_deliver(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_for_staff(acting_user(request), code)
    return _act(
        request,
        lambda u: services.report_deliver(actor=u, project=project),
        _("The report is with the purchaser, who decides within 5 working days (政府采购法实施条例 §43)."),
        "trading_staff:project",
        code,
    )


# --- the supplier -------------------------------------------------------------------------------------


@require_GET
def quote_key(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The round's public key, as ``yiwang-seal seal --opening-key`` reads it (its private half was never
    kept)."""
    project = selectors.project_published(code)
    quote_round = next((r for r in selectors.quote_rounds_of(project) if r.number == number), None)
    if quote_round is None:
        raise Http404
    response = HttpResponse(quote_round.public_key + "\n", content_type="text/plain; charset=ascii")
    response["Content-Disposition"] = f'attachment; filename="{project.code}-round-{number}.pub"'
    return response


@require_POST
@login_required
def final_quote_submit(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_published(code)
    user = acting_user(request)
    bid = next((b for b in selectors.quoting_bids_of(user, project) if b.pk == _int(request.POST.get("bid"), 0)), None)
    upload = request.FILES.get("envelope")
    if bid is None or upload is None or (upload.size or 0) > QUOTE_MAX_BYTES:
        messages.error(request, _("Choose your response and a sealed quote file made by yiwang-seal (at most 64 KB)."))
        return redirect("trading:project", code=code)
    data = b"".join(upload.chunks())
    return _act(
        request,
        lambda u: services.final_quote_submit(actor=u, bid=bid, data=data),
        _("Your sealed final quote is received; open it with your content key after the round's deadline."),
        "trading:project",
        code,
    )


@require_POST
@login_required
def final_quote_decrypt(request: HttpRequest, quote_id: int) -> HttpResponse:
    user = acting_user(request)
    quote = selectors.final_quote_of_bidder(user, quote_id)
    code = quote.bid.project.code
    return _act(
        request,
        lambda u: services.final_quote_decrypt(
            actor=u, quote=quote, content_key=request.POST.get("content_key", "")[:100]
        ),
        _("Your final quote is opened."),
        "trading:project",
        code,
    )
