"""12345 intake and dispatch (issue 8, first part): tickets from agents and channels with every problem
reported at once, possible duplicates, resolving at first contact, merging, and dispatch by the
catalogue with the time limit of the kind, urgency and category."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.test import Client
from django.utils import timezone

from tests.parallel import at_once, require_postgresql
from yiwang.accounts.api_keys import api_key_issue
from yiwang.accounts.roles import Role
from yiwang.calendar.workdays import add_working_days
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.demo.city import demo_departments
from yiwang.demo.hotline import demo_hotline_load
from yiwang.hotline import services
from yiwang.hotline.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotline(demo_city) -> None:  # type: ignore[no-untyped-def]
    demo_hotline_load(demo_departments())


@pytest.fixture
def agent(make_user, city):  # type: ignore[no-untyped-def]
    return make_user(Role.HOTLINE_AGENT, region=city)


@pytest.fixture
def dispatcher(make_user, city):  # type: ignore[no-untyped-def]
    return make_user(Role.DISPATCHER, region=city)


def _intake(**changes: object) -> services.Intake:
    values: dict[str, object] = {
        "channel": "phone", "kind": "complaint", "category_code": "CX0101",
        "description": "东湖街道幸福路工地每晚十一点后仍在打桩，噪音很大，无法休息。",
        "address": "示范市城东区幸福路 12 号",
        "region_code": "990102001", "caller_name": "李女士", "caller_phone": "13800138000",
    }  # fmt: skip
    values.update(changes)
    return services.Intake(**values)  # type: ignore[arg-type]


def test_an_agent_takes_a_call_and_sees_possible_duplicates(client, hotline, agent) -> None:  # type: ignore[no-untyped-def]
    first = services.ticket_create(actor=agent, intake=_intake())
    assert first.number.startswith(f"12345-{timezone.localdate():%Y%m%d}-") and first.status == TicketStatus.NEW
    same_caller = services.ticket_create(actor=agent, intake=_intake(category_code="SZ0201", region_code="990103001"))
    same_place = services.ticket_create(actor=agent, intake=_intake(caller_phone="13900139000"))
    elsewhere = services.ticket_create(
        actor=agent, intake=_intake(caller_phone="13700137000", region_code="990103001", category_code="SC0201")
    )
    client.force_login(agent)
    body = client.get(f"/api/v1/hotline/tickets/{first.number}").json()
    assert set(body["duplicates"]) == {same_caller.number, same_place.number}
    assert elsewhere.number not in body["duplicates"]
    assert body["caller_phone"] == "138****8000" and "13800138000" not in str(body)
    assert body["suggested_unit"] == "示范市住房和城乡建设局"  # "工地" in the text: the keyword rule of the leaf


def test_bad_input_gets_every_problem_at_once_and_creates_nothing(client, hotline, agent) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as failed:
        services.ticket_create(
            actor=agent,
            intake=_intake(category_code="CX", description="", caller_phone="12", region_code="000000", latitude="95"),
        )
    fields = {e["field"] for e in failed.value.details["errors"]}
    assert fields == {"category", "description", "caller_phone", "region", "latitude"}
    client.force_login(agent)
    response = client.post(
        "/api/v1/hotline/tickets", {"kind": "complaint", "category": "NOPE", "description": " "},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert {e["field"] for e in response.json()["details"]["errors"]} == {"category", "description", "caller_phone"}
    assert Ticket.objects.count() == 0


def test_anonymous_callers_need_no_phone_and_keep_no_name(hotline, agent) -> None:  # type: ignore[no-untyped-def]
    ticket = services.ticket_create(actor=agent, intake=_intake(anonymous=True, caller_phone="", caller_name="王五"))
    assert (ticket.caller_name, ticket.wants_reply, ticket.anonymous) == ("", False, True)


def test_the_catalogue_dispatches_by_area_and_keywords_and_sets_the_limit(hotline, agent, dispatcher) -> None:  # type: ignore[no-untyped-def]
    night = services.ticket_create(
        actor=agent, intake=_intake(description="朝阳街道小区旁夜里有人施工切割钢筋", region_code="990102002")
    )
    site = services.ticket_create(actor=agent, intake=_intake(description="幸福路工地夜间打桩，项目部不理睬"))
    water = services.ticket_create(
        actor=agent, intake=_intake(category_code="SD0101", description="整栋楼从早上开始停水，没有通知")
    )
    urgent = services.ticket_create(
        actor=agent, intake=_intake(category_code="SZ0102", urgency="urgent", description="路中间井盖不见了，很危险")
    )
    with pytest.raises(PermissionDenied):
        services.ticket_dispatch(actor=agent, ticket=night)
    night = services.ticket_dispatch(actor=dispatcher, ticket=night)
    assert night.unit.name == "朝阳街道办事处"  # 属地: the street office of the place
    end_of_day = time(23, 59, 59)
    five_days = add_working_days(timezone.localdate(night.dispatched_at), 5).date
    assert timezone.localtime(night.due_at) == timezone.make_aware(datetime.combine(five_days, end_of_day))
    assert services.ticket_dispatch(actor=dispatcher, ticket=site).unit.short_name == "住建局"  # keyword rule
    water = services.ticket_dispatch(actor=dispatcher, ticket=water)
    assert (water.due_at - water.dispatched_at).total_seconds() == 24 * 3600  # 水电气暖: 24 hours
    urgent = services.ticket_dispatch(actor=dispatcher, ticket=urgent)
    assert urgent.unit.name == "示范市城东区人民政府" and (urgent.due_at - urgent.dispatched_at).total_seconds() == 7200
    with pytest.raises(Conflict):  # dispatched once
        services.ticket_dispatch(actor=dispatcher, ticket=urgent)
    assert [e.action for e in urgent.events.all()] == ["create", "dispatch"]


def test_resolve_at_first_contact_and_merge_duplicates(hotline, agent) -> None:  # type: ignore[no-untyped-def]
    question = services.ticket_create(
        actor=agent, intake=_intake(kind="consult", category_code="ZW0101", description="办居住证需要带什么材料？")
    )
    with pytest.raises(ValidationFailed):
        services.ticket_resolve(actor=agent, ticket=question, answer=" ")
    question = services.ticket_resolve(actor=agent, ticket=question, answer="带身份证和居住证明，到派出所办理。")
    assert question.status == TicketStatus.RESOLVED and question.closed_at is not None
    first = services.ticket_create(actor=agent, intake=_intake())
    again = services.ticket_create(actor=agent, intake=_intake(caller_phone="13900139000"))
    with pytest.raises(Conflict):
        services.ticket_merge(actor=agent, ticket=again, into=again)
    merged = services.ticket_merge(actor=agent, ticket=again, into=first)
    assert (merged.status, merged.merged_into) == (TicketStatus.MERGED, first)
    assert first.events.filter(action="merged_in", note=again.number).exists()


def test_channels_submit_with_a_scoped_api_key_and_an_idempotency_key(hotline) -> None:  # type: ignore[no-untyped-def]
    raw, _key = api_key_issue(actor=None, name="示范市民通 App", scopes=["hotline:submit"])
    other, _k = api_key_issue(actor=None, name="别的系统", scopes=["licences:use"])
    client = Client()
    body = {"kind": "help", "category": "SD0201", "description": "小区停电三个小时了，家里有老人",
            "region": "990103002", "caller_phone": "13600136000", "channel": "app"}  # fmt: skip
    refused = client.post("/api/v1/hotline/tickets", body, content_type="application/json", HTTP_X_API_KEY=other)
    assert refused.status_code == 403
    created = client.post(
        "/api/v1/hotline/tickets", body, content_type="application/json", HTTP_X_API_KEY=raw, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = client.post(
        "/api/v1/hotline/tickets", body, content_type="application/json", HTTP_X_API_KEY=raw, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json()["number"] == again.json()["number"] and Ticket.objects.count() == 1
    assert Ticket.objects.get().channel == "app"
    tree = client.get("/api/v1/hotline/categories").json()
    assert {"code": "SD", "name": "水电气暖", "parent": None, "time_limit_hours": 24} in tree


@pytest.mark.django_db(transaction=True)
def test_parallel_intake_draws_distinct_numbers(hotline, agent) -> None:  # type: ignore[no-untyped-def]
    require_postgresql()
    results = at_once([lambda: services.ticket_create(actor=agent, intake=_intake())] * 16)
    errors = [r for r in results if isinstance(r, BaseException)]
    numbers = [r.number for r in results if not isinstance(r, BaseException)]
    assert errors == [] and len(set(numbers)) == 16


def test_a_concluded_ticket_takes_no_merge(hotline, agent) -> None:  # type: ignore[no-untyped-def]
    done = services.ticket_resolve(
        actor=agent, ticket=services.ticket_create(actor=agent, intake=_intake()), answer="已答复"
    )
    again = services.ticket_create(actor=agent, intake=_intake())
    with pytest.raises(Conflict) as refused:
        services.ticket_merge(actor=agent, ticket=again, into=done)
    assert refused.value.code == "merge_concluded" and Ticket.objects.get(pk=again.pk).status == TicketStatus.NEW
