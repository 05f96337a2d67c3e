"""The hotline's staff pages: the agent's intake workbench (the caller's earlier tickets and the
knowledge base beside the form, resolve at first contact or pass on), and a ticket's page with
duplicates, the catalogue's and the learned suggestions, and the steps the viewer may take."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import acting_user, user_has_role
from yiwang.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from yiwang.core.identifiers import normalise_phone
from yiwang.core.masking import mask_phone
from yiwang.core.periods import period_from
from yiwang.core.personal_data import lookup_digest
from yiwang.hotline import selectors, services, supervision
from yiwang.hotline.knowledge import articles_search
from yiwang.hotline.models import Bulletin, Satisfaction, Ticket, TicketKind, TicketStatus, Urgency
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
    "remind": gettext_lazy("Reminded: the reply is due soon (yellow card)"),
    "overdue": gettext_lazy("Overdue (red card)"),
    "supervise": gettext_lazy("Supervision order issued"),
    "supervision_answer": gettext_lazy("Supervision order answered"),
    "attach": gettext_lazy("Files attached"),
}


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
        elif action == "sign":
            services.ticket_sign(actor=user, ticket=ticket)
        elif action == "return":
            services.ticket_return_request(actor=user, ticket=ticket, reason=post.get("reason", ""))
        elif action == "review-return":
            from yiwang.organisation.models import Department

            unit_id = post.get("unit", "")
            unit = Department.objects.filter(pk=unit_id).first() if unit_id.isdigit() else None
            approve = post.get("decision") == "approve"
            services.ticket_return_review(
                actor=user, ticket=ticket, approve=approve, note=post.get("note", ""), unit=unit if approve else None
            )
        elif action == "extend":
            days = post.get("days", "")
            services.extension_request(
                actor=user, ticket=ticket, days=int(days) if days.isdigit() else 0, reason=post.get("reason", "")
            )
        elif action == "decide-extension":
            request_ = ticket.extensions.filter(approved__isnull=True).first()
            if request_ is None:
                raise NotFound(_("No extension request is waiting."), code="not_found")
            services.extension_decide(
                actor=user, request=request_, approve=post.get("decision") == "approve", note=post.get("note", "")
            )
        elif action == "reply":
            services.ticket_reply(actor=user, ticket=ticket, answer=post.get("answer", ""))
        elif action == "follow-up":
            reached = post.get("reached", "yes") != "no"
            services.ticket_follow_up(
                actor=user, ticket=ticket, satisfaction=post.get("satisfaction", ""), solved=_flag(post, "solved"),
                note=post.get("note", ""), reached=reached, redo=post.get("redo") == "on",
            )  # fmt: skip
        elif action == "attach":
            services.ticket_attach(actor=user, ticket=ticket, uploads=request.FILES.getlist("file"))
        elif action == "supervise":
            supervision.supervision_order_issue(actor=user, ticket=ticket, note=post.get("note", ""))
        elif action == "answer-order":
            order = ticket.supervision_orders.filter(answered_at__isnull=True).first()
            if order is None:
                raise NotFound(_("No supervision order is waiting for an answer."), code="not_found")
            supervision.supervision_order_answer(actor=user, order=order, answer=post.get("answer", ""))
        else:
            raise NotFound(_("Unknown step."), code="unknown_action")
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


def _period_from(request: HttpRequest) -> tuple[date, date, list[str]]:
    return period_from(request.GET)


def _supervisor(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not user_has_role(user=user, roles=services.SUPERVISE_ROLES | {Role.DISPATCHER}):
        raise PermissionDenied()
    return user


GROUP_LABELS = {
    "unit": gettext_lazy("Handling unit"),
    "category": gettext_lazy("Category"),
    "area": gettext_lazy("Area"),
    "month": gettext_lazy("Month"),
}


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor's KPIs for a period: tiles, the monthly trend, a ranking, the table by the chosen
    grouping, call KPIs and cards per unit; ``?format=xlsx`` gives the same as a workbook."""
    from yiwang.core.charts import bar_chart, line_chart
    from yiwang.hotline import calls, reports
    from yiwang.hotline.aggregates import kpis_summed

    user = _supervisor(request)
    start, end, problems = _period_from(request)
    group = request.GET.get("group", "unit")
    if group not in GROUP_LABELS:
        group = "unit"
    total = next(iter(kpis_summed(user, start=start, end=end)), None)
    grouped = kpis_summed(user, start=start, end=end, group=group)
    tz = timezone.get_current_timezone()
    low, high = datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)
    cards = supervision.cards_by_unit(start=low, end=high)
    call_total = next(iter(calls.call_kpis(start=start, end=end)), None)
    call_days = calls.call_kpis(start=start, end=end, group="day")
    title = _("12345 hotline KPIs %(start)s to %(end)s") % {"start": start, "end": end}
    if request.GET.get("format") == "xlsx":
        data = reports.dashboard_workbook(title=title, total=total, grouped=grouped, calls=call_days, cards=cards)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="hotline-kpis-{start}-{end}.xlsx"'
        return response
    # The trend runs over the twelve months up to the period's end, whatever the period.
    trend_start = (end.replace(day=1) - timedelta(days=335)).replace(day=1)
    months = kpis_summed(user, start=min(start, trend_start), end=end, group="month")
    months.sort(key=lambda r: r.group)
    ranked = sorted((r for r in grouped if r.on_time_rate is not None), key=lambda r: -(r.on_time_rate or 0))[:12]
    return render(
        request,
        "hotline/dashboard.html",
        {
            "start": start,
            "end": end,
            "problems": problems,
            "group": group,
            "groups": GROUP_LABELS.items(),
            "group_label": GROUP_LABELS[group],
            "total": total,
            "grouped": grouped,
            "cards": cards,
            "call_total": call_total,
            "trend": line_chart(
                str(_("Accepted and concluded tickets by month")),
                [r.group for r in months],
                [
                    (str(_("Accepted")), [r.accepted for r in months]),
                    (str(_("Concluded")), [r.concluded for r in months]),
                ],
            ),
            "ranking": bar_chart(
                str(_("On-time rate by %(group)s") % {"group": GROUP_LABELS[group]}),
                [(r.group, r.on_time_rate) for r in ranked],
                unit="%",
                maximum=100,
            ),
            "calls_chart": line_chart(
                str(_("Answer rate and 15-second rate by day")),
                [r.group[5:] for r in call_days],
                [
                    (str(_("Answer rate (%)")), [r.answer_rate for r in call_days]),
                    (str(_("15-second rate (%)")), [r.rate_15s for r in call_days]),
                ],
                unit="%",
            )
            if call_days
            else "",
        },
        status=422 if problems else 200,
    )


@require_GET
@staff_required
def hotspots_view(request: HttpRequest) -> HttpResponse:
    """Hotspot analysis for the ``days`` up to ``end``; ``?format=pdf`` or ``xlsx`` gives the bulletin."""
    from yiwang.core.charts import bar_chart
    from yiwang.hotline import reports
    from yiwang.hotline.aggregates import kpis_summed
    from yiwang.hotline.hotspots import hotspots

    user = _supervisor(request)
    _start, end, problems = _period_from(request)
    days_text = request.GET.get("days", "7")
    days = int(days_text) if days_text.isdigit() and 1 <= int(days_text) <= 92 else 7
    if days_text != str(days):
        problems.append(_("The period is 1 to 92 days."))
    visible = selectors.tickets_visible(user)
    spots = hotspots(visible, end=end, days=days)
    total = next(iter(kpis_summed(user, start=spots.start, end=spots.end)), None)
    fmt = request.GET.get("format")
    if fmt == "pdf":
        response = HttpResponse(reports.bulletin_pdf(spots, total), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="hotline-hotspots-{spots.start}-{spots.end}.pdf"'
        return response
    if fmt == "xlsx":
        data = reports.bulletin_workbook(spots, total)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="hotline-hotspots-{spots.start}-{spots.end}.xlsx"'
        return response
    return render(
        request,
        "hotline/hotspots.html",
        {
            "spots": spots,
            "days": days,
            "end": end,
            "problems": problems,
            "bulletins": Bulletin.objects.all()[:8],
            "chart": bar_chart(
                str(_("Rising categories: tickets in the period")), [(e.name, e.count) for e in spots.categories]
            )
            if spots.categories
            else "",
        },
        status=422 if problems else 200,
    )


@require_GET
@staff_required
def bulletin_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A kept weekly bulletin (PDF or Excel), for supervisors and dispatchers."""
    _supervisor(request)
    bulletin = Bulletin.objects.filter(pk=pk).first()
    if bulletin is None or kind not in ("pdf", "xlsx"):
        raise NotFound(code="not_found")
    stored = bulletin.pdf if kind == "pdf" else bulletin.xlsx
    name = f"hotline-hotspots-{bulletin.start}-{bulletin.end}.{kind}"
    with stored.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=REPORT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


REPORT_TYPES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@require_http_methods(["GET", "POST"])
@staff_required
def calls_import_view(request: HttpRequest) -> HttpResponse:
    """Upload the telephone system's call records (CSV); the import runs as a job with progress."""
    from yiwang.core.jobs import job_submit
    from yiwang.hotline.calls import CALL_ROLES
    from yiwang.hotline.jobs import CALLS_IMPORT

    user = acting_user(request)
    if not user_has_role(user=user, roles=CALL_ROLES):
        raise PermissionDenied()
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not (upload.name or "").lower().endswith(".csv"):
            error = _("Choose the CSV file of call records.")
        elif upload.size and upload.size > 100 * 1024 * 1024:
            error = _("The file may not exceed %(n)d MB.") % {"n": 100}
        else:
            job = job_submit(kind=CALLS_IMPORT, created_by=user, upload=upload, input_name=upload.name or "calls.csv")
            return redirect("workbench:job", job_id=job.pk)
    return render(request, "hotline/calls.html", {"error": error}, status=422 if error else 200)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The caller's rating page from the SMS link: no login, nothing personal shown."""
    ticket = services.ticket_by_rating_token(token)
    done = request.GET.get("done") == "1"
    if ticket is None and not done:
        return render(request, "hotline/rate.html", {"invalid": True}, status=404)
    errors: dict[str, str] = {}
    if request.method == "POST" and ticket is not None:
        try:
            services.ticket_rate_by_link(
                token=token, satisfaction=request.POST.get("satisfaction", ""),
                solved=_flag(request.POST, "solved"), note=request.POST.get("note", "")[:500],
            )  # fmt: skip
        except ValidationFailed as failed:
            errors = {e["field"]: str(e["message"]) for e in (failed.details or {}).get("errors", [])}
        else:
            return redirect(f"{request.path}?done=1")
    return render(
        request,
        "hotline/rate.html",
        {"ticket": ticket, "done": done and ticket is None, "errors": errors, "satisfactions": Satisfaction.choices},
        status=422 if errors else 200,
    )
