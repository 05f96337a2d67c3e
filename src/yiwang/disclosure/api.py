"""API: government information disclosure under /api/v1/disclosure/ — the same services and selectors as
the pages. The published catalogue is public; a request is made in the account's own name; the office's
steps are its officers' (the services check the scope)."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.core.api_support import ErrorOut, Pagination
from yiwang.core.errors import NotFound
from yiwang.core.shell import acting_user
from yiwang.disclosure import selectors, services
from yiwang.disclosure.models import DisclosureRequest, ProactiveItem
from yiwang.disclosure.schemas import (
    DisclosureAppealDecisionIn,
    DisclosureAppealIn,
    DisclosureAppealOut,
    DisclosureCatalogueOut,
    DisclosureConsultationIn,
    DisclosureCorrectionRequestIn,
    DisclosureExtensionIn,
    DisclosureFeeIn,
    DisclosureItemDetailOut,
    DisclosureItemIn,
    DisclosureItemOut,
    DisclosureNoteIn,
    DisclosureReasonIn,
    DisclosureRepealIn,
    DisclosureReplyIn,
    DisclosureRequestDetailOut,
    DisclosureRequestIn,
    DisclosureRequestOut,
    DisclosureReviewIn,
    DisclosureTextIn,
)
from yiwang.organisation.selectors import department_get

router = Router(tags=["disclosure"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


class DisclosureItemQuery(Schema):
    q: str = ""
    body: int | None = Field(None, ge=1, le=2**31 - 1)
    category: int | None = Field(None, ge=1, le=2**31 - 1)
    kind: str = ""
    year: int | None = Field(None, ge=1, le=9999)


@router.get("/items", response={200: list[DisclosureItemOut], **ERRORS}, auth=None, summary="主动公开: published items")
@paginate(Pagination)
def item_index(request: HttpRequest, filters: Query[DisclosureItemQuery]) -> Any:
    return selectors.items_public(
        body_id=filters.body,
        category_id=filters.category,
        query=filters.q[: selectors.QUERY_MAX],
        kind=filters.kind[:16],
        year=filters.year if filters.year and 2000 <= filters.year <= 2100 else None,
    )


@router.get(
    "/items/{item_id}", response={200: DisclosureItemDetailOut, **ERRORS}, auth=None, summary="One published item"
)
def item_detail(request: HttpRequest, item_id: int) -> Any:
    item = selectors.item_public(pk=item_id)
    if item is None:
        raise NotFound()
    return item


@router.get(
    "/bodies/{body_id}/catalogue",
    response={200: DisclosureCatalogueOut, **ERRORS},
    auth=None,
    summary="A body's disclosure catalogue and guide (公开目录, 公开指南)",
)
def catalogue(request: HttpRequest, body_id: int) -> Any:
    body = department_get(pk=body_id, active_only=True)
    if body is None:
        raise NotFound()
    return {
        "body_id": body.pk,
        "body": body.name,
        "categories": selectors.categories_of(body=body),
        "guide": selectors.guide_of(body=body),
    }


# --- the office's items -----------------------------------------------------------------------------------


def _staff_item(request: HttpRequest, item_id: int) -> tuple[Any, ProactiveItem]:
    actor = acting_user(request)
    item = selectors.item_for_staff(actor, pk=item_id)
    if item is None:
        raise NotFound()
    return actor, item


@router.post("/staff/items", response={201: DisclosureItemDetailOut, **ERRORS}, summary="Draft a proactive item")
def item_create(request: HttpRequest, data: DisclosureItemIn) -> Status[Any]:
    actor = acting_user(request)
    body = department_get(pk=data.body_id, active_only=True)
    if body is None:
        raise NotFound()
    category = next((c for c in selectors.categories_of(body=body) if c.pk == data.category_id), None)
    item = services.item_create(
        actor=actor,
        body=body,
        category=category,
        kind=data.kind,
        title=data.title,
        text=data.text,
        document_number=data.document_number,
        formed_on=data.formed_on,
        issued_on=data.issued_on,
        channels=data.channels,
    )
    return Status(201, item)


@router.post("/staff/items/{item_id}/review-submit", response={200: DisclosureItemOut, **ERRORS}, summary="To review")
def item_review_submit(request: HttpRequest, item_id: int) -> Any:
    actor, item = _staff_item(request, item_id)
    return services.item_review_submit(actor=actor, item=item)


@router.post(
    "/staff/items/{item_id}/review",
    response={200: DisclosureItemOut, **ERRORS},
    summary="保密审查 (§17): passed or returned, by someone other than the drafter",
)
def item_review(request: HttpRequest, item_id: int, data: DisclosureReviewIn) -> Any:
    actor, item = _staff_item(request, item_id)
    return services.item_review(actor=actor, item=item, decision=data.decision, note=data.note).item


@router.post(
    "/staff/items/{item_id}/publish",
    response={200: DisclosureItemOut, **ERRORS},
    summary="Publish under the next index number",
)
def item_publish(request: HttpRequest, item_id: int) -> Any:
    actor, item = _staff_item(request, item_id)
    return services.item_publish(actor=actor, item=item)


@router.post(
    "/staff/items/{item_id}/repeal", response={200: DisclosureItemOut, **ERRORS}, summary="A document repealed"
)
def item_repeal(request: HttpRequest, item_id: int, data: DisclosureRepealIn) -> Any:
    actor, item = _staff_item(request, item_id)
    return services.item_repeal(actor=actor, item=item, repealed_on=data.repealed_on)


@router.post("/staff/items/{item_id}/withdraw", response={200: DisclosureItemOut, **ERRORS}, summary="Withdraw")
def item_withdraw(request: HttpRequest, item_id: int, data: DisclosureReasonIn) -> Any:
    actor, item = _staff_item(request, item_id)
    return services.item_withdraw(actor=actor, item=item, reason=data.reason)


# --- requests -------------------------------------------------------------------------------------------


def _detail(made: DisclosureRequest) -> DisclosureRequest:
    return made


@router.post(
    "/requests",
    response={201: DisclosureRequestOut, **ERRORS},
    summary="依申请公开: a request in the account's own name (§27–§29)",
)
def request_create(request: HttpRequest, data: DisclosureRequestIn) -> Status[Any]:
    made = services.request_submit(
        actor=acting_user(request),
        body=department_get(pk=data.body_id, active_only=True),
        description=data.description,
        delivery=data.delivery,
        phone=data.phone,
        address=data.address,
        purpose=data.purpose,
        form=data.form,
        requester_kind=data.requester_kind,
    )
    return Status(201, made)


@router.get("/requests/mine", response={200: list[DisclosureRequestOut], **ERRORS}, summary="My requests")
@paginate(Pagination)
def request_mine(request: HttpRequest) -> Any:
    return selectors.requests_of(acting_user(request))


@router.get(
    "/requests",
    response={200: list[DisclosureRequestOut], **ERRORS},
    summary="The office's requests by due date (open ones unless all=true)",
)
@paginate(Pagination)
def request_queue(request: HttpRequest, all: bool = False) -> Any:
    return selectors.requests_for_staff(acting_user(request), open_only=not all)


def _readable(request: HttpRequest, request_id: int) -> tuple[Any, DisclosureRequest]:
    actor = acting_user(request)
    made = selectors.request_of(actor, pk=request_id) or selectors.request_for_staff(actor, pk=request_id)
    if made is None:
        raise NotFound()
    return actor, made


@router.get(
    "/requests/{request_id}",
    response={200: DisclosureRequestDetailOut, **ERRORS},
    summary="One request with its clock: every day counted, paused or not a working day",
)
def request_detail(request: HttpRequest, request_id: int) -> Any:
    return _detail(_readable(request, request_id)[1])


@router.post(
    "/requests/{request_id}/correction",
    response={200: DisclosureRequestDetailOut, **ERRORS},
    summary="The corrected request (§30): the requester's, or entered by the office",
)
def request_corrected(request: HttpRequest, request_id: int, data: DisclosureTextIn) -> Any:
    actor, made = _readable(request, request_id)
    services.correction_receive(actor=actor, request=made, text=data.text)
    return _detail(made)


def _step(request: HttpRequest, request_id: int, act: Any) -> Any:
    actor, made = _readable(request, request_id)
    act(actor, made)
    made.refresh_from_db()
    return _detail(made)


@router.post(
    "/requests/{request_id}/correction-request",
    response={200: DisclosureRequestDetailOut, **ERRORS},
    summary="Ask once for a correction, within 7 working days (§30)",
)
def correction_request(request: HttpRequest, request_id: int, data: DisclosureCorrectionRequestIn) -> Any:
    return _step(
        request,
        request_id,
        lambda actor, made: services.correction_request(actor=actor, request=made, what=data.what, period=data.period),
    )


@router.post(
    "/requests/{request_id}/consultation",
    response={200: DisclosureRequestDetailOut, **ERRORS},
    summary="Consult a third party (§32) or another body (§34): not counted",
)
def consultation_start(request: HttpRequest, request_id: int, data: DisclosureConsultationIn) -> Any:
    return _step(
        request,
        request_id,
        lambda actor, made: services.consultation_start(
            actor=actor, request=made, party=data.party, party_name=data.party_name, note=data.note
        ),
    )


@router.post(
    "/requests/{request_id}/consultation/end",
    response={200: DisclosureRequestDetailOut, **ERRORS},
    summary="The consultation answered (or its 15 working days passed)",
)
def consultation_end(request: HttpRequest, request_id: int, data: DisclosureNoteIn) -> Any:
    return _step(
        request, request_id, lambda actor, made: services.consultation_end(actor=actor, request=made, note=data.note)
    )


@router.post(
    "/requests/{request_id}/fee-notice",
    response={200: DisclosureRequestDetailOut, **ERRORS},
    summary="Fee notice (国办函〔2020〕109号): the amount is computed",
)
def fee_notice(request: HttpRequest, request_id: int, data: DisclosureFeeIn) -> Any:
    return _step(
        request, request_id, lambda actor, made: services.fee_notify(actor=actor, request=made, method=data.method)
    )


@router.post(
    "/requests/{request_id}/fee-paid", response={200: DisclosureRequestDetailOut, **ERRORS}, summary="Fee paid"
)
def fee_paid(request: HttpRequest, request_id: int) -> Any:
    return _step(request, request_id, lambda actor, made: services.fee_pay(actor=actor, request=made))


@router.post(
    "/requests/{request_id}/extension",
    response={200: DisclosureRequestDetailOut, **ERRORS},
    summary="One extension of at most 20 working days, by the head (§33)",
)
def extension(request: HttpRequest, request_id: int, data: DisclosureExtensionIn) -> Any:
    return _step(
        request,
        request_id,
        lambda actor, made: services.request_extend(actor=actor, request=made, days=data.days, reason=data.reason),
    )


@router.post(
    "/requests/{request_id}/reply",
    response={200: DisclosureRequestDetailOut, **ERRORS},
    summary="The reply as a structured decision (§36–§38)",
)
def reply(request: HttpRequest, request_id: int, data: DisclosureReplyIn) -> Any:
    item = ProactiveItem.objects.filter(pk=data.public_item_id).first() if data.public_item_id else None
    return _step(
        request,
        request_id,
        lambda actor, made: services.reply_make(
            actor=actor,
            request=made,
            outcome=data.outcome,
            ground=data.ground,
            text=data.text,
            delivery=data.delivery,
            where_public=data.where_public,
            public_item=item,
            other_body=data.other_body,
        ),
    )


@router.post(
    "/requests/{request_id}/appeals",
    response={201: DisclosureAppealOut, **ERRORS},
    summary="A reconsideration or lawsuit against the reply",
)
def appeal_create(request: HttpRequest, request_id: int, data: DisclosureAppealIn) -> Status[Any]:
    actor, made = _readable(request, request_id)
    appeal = services.appeal_record(
        actor=actor,
        request=made,
        kind=data.kind,
        authority=data.authority,
        filed_on=data.filed_on,
        case_number=data.case_number,
        after_reconsideration=data.after_reconsideration,
    )
    return Status(201, appeal)


@router.post(
    "/requests/{request_id}/appeals/{appeal_id}/decision",
    response={200: DisclosureAppealOut, **ERRORS},
    summary="The appeal's outcome",
)
def appeal_decide(request: HttpRequest, request_id: int, appeal_id: int, data: DisclosureAppealDecisionIn) -> Any:
    actor, made = _readable(request, request_id)
    appeal = next((a for a in selectors.appeals_of(made) if a.pk == appeal_id), None)
    if appeal is None:
        raise NotFound()
    return services.appeal_decide(actor=actor, appeal=appeal, outcome=data.outcome, decided_on=data.decided_on)
