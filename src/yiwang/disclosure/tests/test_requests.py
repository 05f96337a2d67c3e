"""Requests on application and their clock through the services: identity from the session (§27–§29),
one correction within 7 working days (§30), consultation (§32), one extension of at most 20 working days
by the head (§33), replies as structured decisions with their grounds (§36–§38), fees computed (国办函
〔2020〕109号), lapses, appeals. Every refusal has its code and leaves nothing half-written."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from yiwang.audit.models import AuditRecord
from yiwang.calendar.workdays import add_working_days
from yiwang.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from yiwang.disclosure import services
from yiwang.disclosure.choices import (
    ClockEventKind,
    Delivery,
    FeeMethod,
    Ground,
    Outcome,
    RequesterKind,
    RequestStatus,
)
from yiwang.disclosure.models import ClockEvent, DisclosureRequest, Reply

pytestmark = pytest.mark.django_db


def submit(office: dict[str, Any], **overrides: Any) -> DisclosureRequest:
    fields = {
        "actor": office["citizen"],
        "body": office["body"],
        "description": "2025年本市老旧小区改造项目清单",
        "delivery": Delivery.ONLINE,
    }
    return services.request_submit(**{**fields, **overrides})


def noon_after(day: Any, working_days: int) -> datetime:
    target = add_working_days(day, working_days).date
    return timezone.make_aware(datetime.combine(target, time(10)))


def test_a_portal_request_is_made_in_the_accounts_own_name(office: dict[str, Any]) -> None:
    request = submit(office)
    assert request.requester == office["citizen"]
    assert request.requester_name == "张三" and request.requester_kind == RequesterKind.NATURAL_PERSON
    assert request.identity_number == office["citizen"].id_number
    assert request.number.startswith("YSQ-") and request.status == RequestStatus.RECEIVED
    assert request.due_on == add_working_days(request.received_on, 20).date
    assert list(request.events.values_list("kind", flat=True)) == [ClockEventKind.RECEIVED]
    assert AuditRecord.objects.filter(action="disclosure.request_submit", object_id=str(request.pk)).exists()


def test_a_company_says_what_kind_of_organisation_it_is(office: dict[str, Any]) -> None:
    request = submit(office, actor=office["company"], requester_kind=RequesterKind.LEGAL_SERVICE)
    assert request.requester_kind == RequesterKind.LEGAL_SERVICE
    assert request.identity_number == office["company"].credit_code
    with pytest.raises(ValidationFailed):
        submit(office, actor=office["company"], requester_kind=RequesterKind.NATURAL_PERSON)


def test_staff_cannot_request_and_bad_fields_are_refused(office: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied) as refused:
        submit(office, actor=office["officer"])
    assert refused.value.code == "not_a_requester"
    with pytest.raises(ValidationFailed) as invalid:
        submit(office, description="x" * 2001, delivery="pigeon")
    fields = {error["field"] for error in invalid.value.details["errors"]}
    assert fields == {"description", "delivery"}
    with pytest.raises(ValidationFailed) as invalid:
        submit(office, delivery=Delivery.POST)  # by post needs an address
    assert invalid.value.details["errors"][0]["field"] == "address"
    assert not DisclosureRequest.objects.exists()


def test_a_paper_request_is_entered_by_the_bodys_office_only(office: dict[str, Any], make_user: Any) -> None:
    fields = {
        "body": office["body"],
        "channel": "in_person",
        "requester_kind": RequesterKind.NATURAL_PERSON,
        "requester_name": "李四",
        "identity_number": "11010519491231002X",
        "phone": "0571-88888888",
        "description": "某项目环评批复",
        "delivery": Delivery.IN_PERSON,
        "received_on": timezone.localdate(),
    }
    request = services.request_enter(actor=office["officer"], **fields)
    assert request.entered_by == office["officer"] and request.requester is None
    outsider = make_user()
    with pytest.raises(PermissionDenied):
        services.request_enter(actor=outsider, **fields)
    with pytest.raises(ValidationFailed) as invalid:
        services.request_enter(actor=office["officer"], **{**fields, "identity_number": "110105194912310021"})
    assert invalid.value.details["errors"][0]["field"] == "identity_number"
    with pytest.raises(ValidationFailed) as invalid:
        services.request_enter(actor=office["officer"], **{**fields, "channel": "letter"})
    assert invalid.value.details["errors"][0]["field"] == "letter"


def test_one_correction_within_seven_working_days_and_the_clock_restarts(office: dict[str, Any]) -> None:
    request = submit(office)
    services.correction_request(actor=office["officer"], request=request, what="请说明所需文件的年份")
    request.refresh_from_db()
    assert request.status == RequestStatus.CORRECTION and request.due_on is None
    with pytest.raises(Conflict) as twice:
        services.correction_request(actor=office["officer"], request=request, what="again")
    assert twice.value.code == "request_status"
    with time_machine.travel(noon_after(timezone.localdate(), 3), tick=False):
        services.correction_receive(actor=office["citizen"], request=request, text="2025年度")
        request.refresh_from_db()
        assert request.status == RequestStatus.RECEIVED
        assert request.due_on == add_working_days(timezone.localdate(), 20).date
        with pytest.raises(Conflict) as again:
            services.correction_request(actor=office["officer"], request=request, what="又一次")
        assert again.value.code == "correction_once"


def test_a_correction_after_seven_working_days_is_refused(office: dict[str, Any]) -> None:
    request = submit(office)
    with time_machine.travel(noon_after(request.received_on, 8), tick=False), pytest.raises(Conflict) as late:
        services.correction_request(actor=office["officer"], request=request, what="请补正")
    assert late.value.code == "correction_too_late"
    assert not ClockEvent.objects.filter(kind=ClockEventKind.CORRECTION_REQUESTED).exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED


def test_an_uncorrected_request_lapses_as_other(office: dict[str, Any]) -> None:
    request = submit(office)
    services.correction_request(actor=office["officer"], request=request, what="请补正", period=5)
    assert services.request_lapse(request=request) is None  # not yet
    with time_machine.travel(noon_after(timezone.localdate(), 6), tick=False):
        reply = services.request_lapse(request=request)
    assert reply is not None and reply.outcome == Outcome.OTHER and reply.ground == Ground.NOT_CORRECTED
    request.refresh_from_db()
    assert request.status == RequestStatus.REPLIED


def test_the_extension_is_the_heads_once_and_at_most_twenty_working_days(office: dict[str, Any]) -> None:
    request = submit(office)
    with pytest.raises(PermissionDenied):
        services.request_extend(actor=office["officer"], request=request, days=10, reason="材料多")
    with pytest.raises(ValidationFailed) as too_long:
        services.request_extend(actor=office["head"], request=request, days=21, reason="材料多")
    assert too_long.value.details["errors"][0]["field"] == "days"
    with pytest.raises(ValidationFailed):
        services.request_extend(actor=office["head"], request=request, days=10, reason="")
    due = request.due_on
    services.request_extend(actor=office["head"], request=request, days=20, reason="涉及多年档案，检索量大")
    request.refresh_from_db()
    assert request.due_on == add_working_days(request.received_on, 40).date and request.due_on != due
    event = request.events.get(kind=ClockEventKind.EXTENDED)
    assert event.approver == office["head"] and event.days == 20
    with pytest.raises(Conflict) as second:
        services.request_extend(actor=office["head"], request=request, days=1, reason="再延")
    assert second.value.code == "extension_once"


def test_a_consultation_pauses_the_clock(office: dict[str, Any]) -> None:
    request = submit(office)
    services.consultation_start(
        actor=office["officer"], request=request, party="third_party", party_name="某某公司", note="涉及商业秘密"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.CONSULTING
    with time_machine.travel(noon_after(timezone.localdate(), 5), tick=False):
        services.consultation_end(actor=office["officer"], request=request, note="第三方不同意公开")
        request.refresh_from_db()
    assert request.due_on == add_working_days(request.received_on, 25).date


def test_a_reply_states_its_ground_and_makes_the_pdf(office: dict[str, Any]) -> None:
    request = submit(office)
    text = services.reply_template(request, Outcome.REFUSED, Ground.THIRD_PARTY_TRADE_SECRET)
    with pytest.raises(ValidationFailed) as no_ground:
        services.reply_make(
            actor=office["officer"], request=request, outcome=Outcome.REFUSED, text=text, delivery=Delivery.ONLINE
        )
    assert no_ground.value.details["errors"][0]["field"] == "ground"
    with pytest.raises(ValidationFailed):
        services.reply_make(
            actor=office["officer"],
            request=request,
            outcome=Outcome.REFUSED,
            ground=Ground.NOT_HELD,
            text=text,
            delivery=Delivery.ONLINE,
        )
    with pytest.raises(ValidationFailed):  # the lapses are the clock's, not the officer's
        services.reply_make(
            actor=office["officer"],
            request=request,
            outcome=Outcome.OTHER,
            ground=Ground.NOT_CORRECTED,
            text=text,
            delivery=Delivery.ONLINE,
        )
    assert not Reply.objects.exists()
    reply = services.reply_make(
        actor=office["officer"],
        request=request,
        outcome=Outcome.REFUSED,
        ground=Ground.THIRD_PARTY_TRADE_SECRET,
        text=text,
        delivery=Delivery.ONLINE,
    )
    assert reply.on_time and not reply.extended
    assert reply.pdf.read().startswith(b"%PDF")
    request.refresh_from_db()
    assert request.status == RequestStatus.REPLIED and request.replied_on == timezone.localdate()
    with pytest.raises(Conflict):
        services.reply_make(
            actor=office["officer"], request=request, outcome=Outcome.PROVIDED, text="x", delivery=Delivery.POST
        )


def test_already_public_says_where_and_not_this_body_names_the_other(office: dict[str, Any]) -> None:
    request = submit(office)
    with pytest.raises(ValidationFailed) as where:
        services.reply_make(
            actor=office["officer"],
            request=request,
            outcome=Outcome.ALREADY_PUBLIC,
            text="已公开",
            delivery=Delivery.ONLINE,
        )
    assert where.value.details["errors"][0]["field"] == "where_public"
    with pytest.raises(ValidationFailed) as other:
        services.reply_make(
            actor=office["officer"],
            request=request,
            outcome=Outcome.CANNOT,
            ground=Ground.NOT_THIS_BODY,
            text="非本机关",
            delivery=Delivery.ONLINE,
        )
    assert other.value.details["errors"][0]["field"] == "other_body"


def test_fees_are_computed_from_the_month_never_typed(office: dict[str, Any]) -> None:
    requests = [submit(office, description=f"第{n}件申请") for n in range(1, 12)]
    with pytest.raises(Conflict) as free:
        services.fee_notify(actor=office["officer"], request=requests[9], method=FeeMethod.BY_COUNT)
    assert free.value.code == "no_fee_due"
    services.fee_notify(actor=office["officer"], request=requests[10], method=FeeMethod.BY_COUNT)
    eleventh = DisclosureRequest.objects.get(pk=requests[10].pk)
    assert eleventh.fee == Decimal(100) and eleventh.status == RequestStatus.FEE_NOTICE
    with pytest.raises(DomainError):
        services.fee_notify(actor=office["officer"], request=eleventh, method=FeeMethod.BY_PAGES)
    with pytest.raises(TypeError):
        services.fee_notify(actor=office["officer"], request=eleventh, method=FeeMethod.BY_COUNT, fee=5)  # type: ignore[call-arg]
    services.fee_pay(actor=office["officer"], request=eleventh)
    reply = services.reply_make(
        actor=office["officer"], request=eleventh, outcome=Outcome.PROVIDED, text="提供", delivery=Delivery.POST
    )
    assert reply.fee == Decimal(100) and reply.fee_method == FeeMethod.BY_COUNT


def test_appeals_against_a_reply(office: dict[str, Any]) -> None:
    request = submit(office)
    with pytest.raises(Conflict):
        services.appeal_record(
            actor=office["officer"],
            request=request,
            kind="reconsideration",
            authority="市政府",
            filed_on=timezone.localdate(),
        )
    services.reply_make(
        actor=office["officer"],
        request=request,
        outcome=Outcome.CANNOT,
        ground=Ground.NOT_HELD,
        text="经检索不存在",
        delivery=Delivery.POST,
    )
    appeal = services.appeal_record(
        actor=office["officer"],
        request=request,
        kind="reconsideration",
        authority="示范市人民政府",
        filed_on=timezone.localdate(),
    )
    with pytest.raises(ValidationFailed):
        services.appeal_record(
            actor=office["officer"],
            request=request,
            kind="reconsideration",
            authority="x",
            filed_on=timezone.localdate(),
            after_reconsideration=True,
        )
    services.appeal_decide(actor=office["officer"], appeal=appeal, outcome="upheld", decided_on=timezone.localdate())
    with pytest.raises(Conflict):
        services.appeal_decide(
            actor=office["officer"], appeal=appeal, outcome="corrected", decided_on=timezone.localdate()
        )


def test_another_bodys_officer_cannot_touch_the_request(office: dict[str, Any], make_user: Any) -> None:
    from yiwang.accounts.roles import Role

    stranger = make_user(Role.DISCLOSURE_OFFICER, department=office["other_body"])
    request = submit(office)
    for attempt in (
        lambda: services.correction_request(actor=stranger, request=request, what="x"),
        lambda: services.reply_make(
            actor=stranger, request=request, outcome=Outcome.PROVIDED, text="x", delivery=Delivery.POST
        ),
    ):
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.code == "out_of_scope"
    _ = timedelta
