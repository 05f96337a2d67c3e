"""API: 12345 tickets under /api/v1/hotline/ — intake from every channel (staff, or another system with
an API key of scope hotline:submit), reading, the category tree, and the handling steps so far built."""

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.accounts.api_keys import ScopedApiKey
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.core.api_support import ErrorOut, Pagination
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.idempotency import idempotency_key_of
from yiwang.core.shell import acting_user
from yiwang.hotline import selectors, services, supervision
from yiwang.hotline.models import Article, Category, Ticket, TicketChannel, TicketStatus
from yiwang.hotline.schemas import (
    AttachmentOut,
    CategoryOut,
    TicketAnswerSupervisionIn,
    TicketDecideExtensionIn,
    TicketDetail,
    TicketDispatchIn,
    TicketExtendIn,
    TicketFollowUpIn,
    TicketIn,
    TicketMergeIn,
    TicketReplyIn,
    TicketResolveIn,
    TicketReturnIn,
    TicketReviewReturnIn,
    TicketSignIn,
    TicketSummary,
    TicketSuperviseIn,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

router = Router(tags=["hotline"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


@router.get("/categories", response=list[CategoryOut], auth=None, summary="The category tree (public)")
def categories(request: HttpRequest) -> list[Category]:
    return list(selectors.categories_active())


class ArticleOut(Schema):
    id: int
    title: str
    body: str
    category: str | None = Field(None, alias="category.name")
    department: str = Field(..., alias="department.name")
    valid_until: date | None
    uses: int


class HotlineKpiOut(Schema):
    group: str
    accepted: int
    direct_rate: float | None = Field(None, description="直办率 %")
    conclusion_rate: float | None = Field(None, description="办结率 %")
    on_time_rate: float | None = Field(None, description="按时办结率 %")
    follow_up_rate: float | None = Field(None, description="回访率 %")
    satisfaction_rate: float | None = Field(None, description="满意率 %")
    average_hours: float | None = Field(None, description="average hours from dispatch to reply")
    extensions_requested: int
    extensions_approved: int
    extensions_refused: int
    returns: int


class HotlineKpiQuery(Schema):
    start: date
    end: date
    group: str = Field("", pattern="^(|unit|category|area|month)$", description="unit, category, area or month")


@router.get("/kpis", response={200: list[HotlineKpiOut], **ERRORS}, summary="KPIs of a period (formulas: hotline.kpis)")
def kpi_table(request: HttpRequest, query: Query[HotlineKpiQuery]) -> list[HotlineKpiOut]:
    from yiwang.hotline.aggregates import kpis_summed

    user = acting_user(request)
    if not user_has_role(user=user, roles={Role.SUPERVISOR, Role.DISPATCHER, Role.CENTRE_ADMIN}):
        raise PermissionDenied()
    if query.end < query.start:
        raise_problems([("end", _("The end of the period is before its start."))])
    return [
        HotlineKpiOut(**row.as_dict()) for row in kpis_summed(user, start=query.start, end=query.end, group=query.group)
    ]


@router.get("/knowledge", response={200: list[ArticleOut], **ERRORS}, summary="Search the knowledge base")
def knowledge(request: HttpRequest, q: str = "") -> list[Article]:
    from yiwang.hotline.knowledge import articles_search

    return articles_search(q)


@router.post(
    "/tickets",
    response={201: TicketDetail, 200: TicketDetail, **ERRORS},
    auth=[ScopedApiKey("hotline:submit"), *api_auth],
    summary="Create a ticket (agents, or a channel's system with an API key)",
)
def ticket_create(request: HttpRequest, payload: TicketIn) -> Status[Ticket]:
    api_key = getattr(request, "api_key", None)
    channel = payload.channel
    if api_key is not None and channel == TicketChannel.PHONE:
        channel = TicketChannel.APP  # phone calls are entered by agents
    intake = services.Intake(
        channel=channel,
        kind=payload.kind,
        category_code=payload.category,
        description=payload.description,
        address=payload.address,
        region_code=payload.region,
        latitude=payload.latitude,
        longitude=payload.longitude,
        urgency=payload.urgency,
        caller_name=payload.caller_name,
        caller_phone=payload.caller_phone,
        anonymous=payload.anonymous,
        wants_reply=payload.wants_reply,
    )
    ticket, created = services.ticket_create_keyed(
        actor=None if api_key is not None else acting_user(request),
        intake=intake,
        idempotency_key=idempotency_key_of(request),
        api_key=api_key,
    )
    return Status(201 if created else 200, ticket)


@router.get("/tickets", response={200: list[TicketSummary], **ERRORS}, summary="Tickets I may see, newest first")
@paginate(Pagination)
def ticket_index(request: HttpRequest, status: TicketStatus | None = None) -> QuerySet[Ticket]:
    tickets = selectors.tickets_visible(acting_user(request))
    return tickets.filter(status=status) if status else tickets


@router.get("/tickets/{number}", response={200: TicketDetail, **ERRORS}, summary="One ticket")
def ticket_detail(request: HttpRequest, number: str) -> Ticket:
    ticket = selectors.ticket_for(acting_user(request), number)
    if ticket is None:
        raise NotFound(code="not_found")
    return ticket


# The address of each step → the actions of the table (hotline.workflow) it may take; a test holds every
# action of the table reachable through the API.
STEPS: dict[str, tuple[str, ...]] = {}

TCallable = TypeVar("TCallable", bound=Callable[..., Any])


def _step(name: str, *takes: str, summary: str) -> Callable[[TCallable], TCallable]:
    STEPS[name] = takes
    return router.post(f"/tickets/{{number}}/actions/{name}", response={200: TicketDetail, **ERRORS}, summary=summary)


def _acting_on(request: HttpRequest, number: str) -> tuple["User", Ticket]:
    user = acting_user(request)
    ticket = selectors.ticket_for(user, number)
    if ticket is None:
        raise NotFound(code="not_found")
    return user, ticket


@_step("dispatch", "dispatch", summary="派单: to the unit named, or the dispatch catalogue's")
def ticket_dispatch(request: HttpRequest, number: str, payload: TicketDispatchIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    return services.ticket_dispatch(actor=user, ticket=ticket, unit=_unit(payload.unit), note=payload.note)


@_step("resolve", "resolve", summary="直接办结: answered at first contact")
def ticket_resolve(request: HttpRequest, number: str, payload: TicketResolveIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    return services.ticket_resolve(actor=user, ticket=ticket, answer=payload.answer, article=payload.article)


@_step("merge", "merge", summary="并单: a duplicate joins the ticket being handled")
def ticket_merge(request: HttpRequest, number: str, payload: TicketMergeIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    into = selectors.ticket_for(user, payload.into.strip())
    if into is None:
        raise NotFound(_("No ticket has this number."), code="not_found")
    return services.ticket_merge(actor=user, ticket=ticket, into=into)


@_step("sign", "sign", summary="签收 by the handling unit")
def ticket_sign(request: HttpRequest, number: str, payload: TicketSignIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    return services.ticket_sign(actor=user, ticket=ticket)


@_step("return", "return_request", summary="退单: not the unit's duty, within the window after dispatch")
def ticket_return(request: HttpRequest, number: str, payload: TicketReturnIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    return services.ticket_return_request(actor=user, ticket=ticket, reason=payload.reason)


@_step("review_return", "return_review", summary="The dispatcher reviews a return")
def ticket_review_return(request: HttpRequest, number: str, payload: TicketReviewReturnIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    unit = _unit(payload.unit)
    return services.ticket_return_review(
        actor=user, ticket=ticket, approve=payload.approve, note=payload.note, unit=unit
    )


@_step("reply", "reply", summary="答复: the unit's result")
def ticket_reply(request: HttpRequest, number: str, payload: TicketReplyIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    return services.ticket_reply(actor=user, ticket=ticket, answer=payload.answer)


@_step("extend", "extension_request", summary="延期申请 by the unit")
def ticket_extend(request: HttpRequest, number: str, payload: TicketExtendIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    services.extension_request(actor=user, ticket=ticket, days=payload.days, reason=payload.reason)
    return selectors.ticket_for(user, number) or ticket


@_step("decide_extension", "extension_decide", summary="The supervisor decides the waiting extension request")
def ticket_decide_extension(request: HttpRequest, number: str, payload: TicketDecideExtensionIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    pending = ticket.extensions.filter(approved__isnull=True).first()
    if pending is None:
        raise Conflict(_("No extension request of this ticket waits for a decision."), code="no_extension")
    services.extension_decide(actor=user, request=pending, approve=payload.approve, note=payload.note)
    return selectors.ticket_for(user, number) or ticket


@_step("follow_up", "follow_up", "redo", summary="回访: closes the ticket, or sends it back to be redone")
def ticket_follow_up(request: HttpRequest, number: str, payload: TicketFollowUpIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    return services.ticket_follow_up(
        actor=user, ticket=ticket, satisfaction=payload.satisfaction, solved=payload.solved,
        reached=payload.reached, redo=payload.redo, note=payload.note,
    )  # fmt: skip


@_step("supervise", "supervise", summary="督办 by the supervisor")
def ticket_supervise(request: HttpRequest, number: str, payload: TicketSuperviseIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    supervision.supervision_order_issue(actor=user, ticket=ticket, note=payload.note)
    return selectors.ticket_for(user, number) or ticket


@_step("answer_supervision", summary="The unit's answer to the open supervision order")
def ticket_answer_supervision(request: HttpRequest, number: str, payload: TicketAnswerSupervisionIn) -> Ticket:
    user, ticket = _acting_on(request, number)
    order = ticket.supervision_orders.filter(answered_at__isnull=True).first()
    if order is None:
        raise Conflict(_("No supervision order is waiting for an answer."), code="no_supervision_order")
    supervision.supervision_order_answer(actor=user, order=order, answer=payload.answer)
    return selectors.ticket_for(user, number) or ticket


@router.post("/tickets/{number}/actions/{action}", response={200: TicketDetail, **ERRORS}, include_in_schema=False)
def ticket_action_unknown(request: HttpRequest, number: str, action: str) -> Ticket:
    """Any other step: registered after the steps above, so it only answers names that are none of them."""
    _acting_on(request, number)
    raise NotFound(_("Unknown step."), code="unknown_action")


@router.post(
    "/tickets/{number}/attachments",
    response={201: list[AttachmentOut], **ERRORS},
    auth=[ScopedApiKey("hotline:submit"), *api_auth],
    summary="Attach photos or documents (multipart, field 'file', PDF/JPG/PNG/OFD, at most 9 a ticket)",
)
def ticket_attachments_add(request: HttpRequest, number: str) -> Status[list[Any]]:
    api_key = getattr(request, "api_key", None)
    actor = None if api_key is not None else acting_user(request)
    ticket = Ticket.objects.filter(number=number).first() if actor is None else selectors.ticket_for(actor, number)
    if ticket is None:
        raise NotFound(code="not_found")
    made = services.ticket_attach(actor=actor, ticket=ticket, uploads=request.FILES.getlist("file"), api_key=api_key)
    return Status(201, made)


@router.get(
    "/tickets/{number}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    summary="An attachment: only for those who may see the ticket; every download audited",
)
def ticket_attachment_file(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    from yiwang.audit.services import audit_record

    actor = acting_user(request)
    ticket = selectors.ticket_for(actor, number)
    attachment = ticket.attachments.filter(pk=attachment_id).first() if ticket else None
    if ticket is None or attachment is None:
        raise NotFound(code="not_found")
    audit_record(
        actor=actor, action="hotline.attachment_download", target=ticket,
        changes={"attachment": [None, attachment.name], "digest": [None, attachment.digest]},
    )  # fmt: skip
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


class CallIn(Schema):
    call_id: str = Field(..., max_length=64)
    arrived_at: str = Field(..., max_length=40, description="ISO 8601; local time if no offset")
    answered_at: str = Field("", max_length=40, description="empty when nobody answered")
    ended_at: str = Field("", max_length=40)
    agent: str = Field("", max_length=40)


class CallsIn(Schema):
    calls: list[CallIn] = Field(..., max_length=10000)


class CallsOut(Schema):
    rows: int
    imported: int
    skipped: int


@router.post(
    "/calls",
    response={200: CallsOut, **ERRORS},
    auth=[ScopedApiKey("hotline:calls"), *api_auth],
    summary="Record calls from the telephone system (a batch; all or nothing; known calls skipped)",
)
def calls_record(request: HttpRequest, payload: CallsIn) -> CallsOut:
    from yiwang.hotline.calls import calls_import

    api_key = getattr(request, "api_key", None)
    report = calls_import(
        actor=None if api_key is not None else acting_user(request), rows=[c.dict() for c in payload.calls]
    )
    if report.errors:
        errors = [{"field": f"calls[{e['row'] - 2}].{e['column']}", "message": e["message"]} for e in report.errors]
        raise ValidationFailed(errors[0]["message"], details={"errors": errors})
    return CallsOut(rows=report.rows, imported=report.imported, skipped=report.skipped)


class CallKpiOut(Schema):
    group: str
    incoming: int
    answered: int
    within_15s: int
    answer_rate: float | None = Field(None, description="接通率 % = answered / incoming")
    rate_15s: float | None = Field(None, description="15秒应答率 % = answered within 15 s / answered")
    average_wait: float | None = Field(None, description="seconds from arrival to answer")


class CallKpisOut(Schema):
    rows: list[CallKpiOut]


class CallKpiQuery(Schema):
    start: date
    end: date
    group: str = Field("", pattern="^(|day|month)$")


def _supervising(request: HttpRequest) -> "User":
    user = acting_user(request)
    if not user_has_role(user=user, roles={Role.SUPERVISOR, Role.DISPATCHER, Role.CENTRE_ADMIN}):
        raise PermissionDenied()
    return user


@router.get("/calls/kpis", response={200: CallKpisOut, **ERRORS}, summary="接通率 and 15秒应答率 of a period")
def call_kpi_table(request: HttpRequest, query: Query[CallKpiQuery]) -> CallKpisOut:
    from yiwang.hotline.calls import call_kpis

    _supervising(request)
    if query.end < query.start:
        raise_problems([("end", _("The end of the period is before its start."))])
    return CallKpisOut(
        rows=[CallKpiOut(**r.as_dict()) for r in call_kpis(start=query.start, end=query.end, group=query.group)]
    )


class HotspotQuery(Schema):
    end: date
    days: int = Field(7, ge=1, le=92)


@router.get("/hotspots", response={200: dict[str, Any], **ERRORS}, summary="Rising categories, areas, keywords")
def hotspot_table(request: HttpRequest, query: Query[HotspotQuery]) -> dict[str, Any]:
    from yiwang.hotline.hotspots import hotspots

    user = _supervising(request)
    return hotspots(selectors.tickets_visible(user), end=query.end, days=query.days).as_dict()


class CardsQuery(Schema):
    start: date
    end: date


@router.get("/cards", response={200: list[dict[str, Any]], **ERRORS}, summary="Yellow and red cards per unit")
def card_table(request: HttpRequest, query: Query[CardsQuery]) -> list[dict[str, object]]:
    from datetime import time, timedelta

    from django.utils import timezone

    _supervising(request)
    tz = timezone.get_current_timezone()
    return supervision.cards_by_unit(
        start=datetime.combine(query.start, time.min, tz),
        end=datetime.combine(query.end + timedelta(days=1), time.min, tz),
    )


def _unit(pk: int | None) -> "Department | None":
    if pk is None:
        return None
    from yiwang.organisation.selectors import department_get

    unit = department_get(pk=pk, active_only=True)
    if unit is None:
        raise NotFound(_("No handling unit has this id."), code="not_found")
    return unit
