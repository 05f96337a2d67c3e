"""Trust at the boundary for the hotline (issue 17): keys belong to their caller, one key in parallel gives
one ticket and no 500, and the pages refuse what the API refuses."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import Client

from tests.parallel import at_once, require_postgresql
from yiwang.accounts.api_keys import api_key_issue
from yiwang.accounts.roles import Role
from yiwang.core.errors import ValidationFailed
from yiwang.hotline import services
from yiwang.hotline.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db
BODY = {"kind": "help", "category": "SD0201", "description": "小区停电三个小时了，家里有老人",
        "region": "990103002", "caller_phone": "13600136000"}  # fmt: skip


def _create(client: Client, headers: dict[str, str], **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/hotline/tickets", {**BODY, **extra}, content_type="application/json", headers=headers)


def test_another_agent_replaying_a_key_gets_a_new_ticket_not_the_first(people, bearer, make_user, city) -> None:  # type: ignore[no-untyped-def]
    """Defect 2: the key was global, so another caller's replay returned the first caller's ticket."""
    client = Client()
    other_agent = make_user(Role.HOTLINE_AGENT, region=city)
    mine = _create(client, {**bearer(people["agent"]), "Idempotency-Key": "k-1"})
    again = _create(client, {**bearer(people["agent"]), "Idempotency-Key": "k-1"})
    theirs = _create(client, {**bearer(other_agent), "Idempotency-Key": "k-1"})
    raw, _key = api_key_issue(actor=None, name="示范市民通 App", scopes=["hotline:submit"])
    channel = _create(client, {"X-Api-Key": raw, "Idempotency-Key": "k-1"}, channel="app")
    assert (mine.status_code, again.status_code, theirs.status_code, channel.status_code) == (201, 200, 201, 201)
    numbers = {r.json()["number"] for r in (mine, theirs, channel)}
    assert len(numbers) == 3 and again.json()["number"] == mine.json()["number"]
    # A citizen (no hotline role) replaying an agent's key learns nothing of the agent's ticket.
    stranger = _create(client, {**bearer(make_user(Role.CITIZEN)), "Idempotency-Key": "k-1"})
    assert stranger.status_code == 403 and mine.json()["number"] not in stranger.content.decode()


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_with_one_key_give_one_ticket_and_no_error(people, bearer) -> None:  # type: ignore[no-untyped-def]
    """Defect 3: parallel requests with one key gave 500s (the key's unique index) on PostgreSQL."""
    require_postgresql()
    headers = {**bearer(people["agent"]), "Idempotency-Key": "same-call-7"}
    responses = at_once([lambda: _create(Client(), headers)] * 8)
    statuses = [getattr(r, "status_code", r) for r in responses]
    numbers = [r.json().get("number", "") for r in responses if hasattr(r, "json")]
    assert sorted(statuses) == [200] * 7 + [201], statuses
    assert len(set(numbers)) == 1 and Ticket.objects.count() == 1


HOSTILE = [
    ("description", {"description": "噪" * 100_000}),
    ("description", {"description": "夜间施工\x00噪音扰民"}),
    ("caller_name", {"caller_name": "王" * 61}),
    ("caller_name", {"caller_name": "王\x00先生"}),
    ("address", {"address": "路" * 201}),
]


@pytest.mark.parametrize(("field", "change"), HOSTILE)
def test_the_intake_page_refuses_what_the_api_refuses(people, field, change) -> None:  # type: ignore[no-untyped-def]
    """Defect 4: the page stored a 100,000-character description and NUL bytes, and cut a name to 60."""
    page = Client()
    page.force_login(people["agent"])
    form = {**BODY, "caller_name": "王先生", **change}
    response = page.post("/workbench/hotline/", form)
    api = Client()
    api.force_login(people["agent"])
    refused = _create(api, {}, **change)
    if any("\x00" in value for value in change.values()):
        # Refused at the door (core.middleware.RequestShapeMiddleware) before any view or service…
        assert response.status_code == 400 and "不允许的字符" in response.content.decode()
        assert (refused.status_code, refused.json()["code"]) == (400, "invalid_characters")
    else:
        assert response.status_code == 422 and "errorlist" in response.content.decode()
        assert (refused.status_code, refused.json()["code"]) == (422, "validation_error")
    # …and by the service itself, for the entry points that do not pass through a request.
    intake = services.Intake(
        channel="phone", kind=BODY["kind"], category_code=BODY["category"], description=BODY["description"],
        region_code=BODY["region"], caller_phone=BODY["caller_phone"], caller_name="王先生",
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as failed:
        services.ticket_create(actor=people["agent"], intake=replace(intake, **change))
    assert field in {e["field"] for e in failed.value.details["errors"]}
    assert not Ticket.objects.exists()


def test_an_answer_with_a_nul_byte_is_refused_on_the_page(people) -> None:  # type: ignore[no-untyped-def]
    ticket = services.ticket_create(actor=people["agent"], intake=services.Intake(
        channel="phone", kind="consult", category_code="SD0201", description="停电什么时候恢复",
        region_code="990103002", caller_phone="13600136000",
    ))  # fmt: skip
    page = Client()
    page.force_login(people["agent"])
    page.post(f"/workbench/hotline/tickets/{ticket.number}/resolve/", {"answer": "预计\x00今晚恢复"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW and ticket.answer == ""
    with pytest.raises(Exception, match="不允许的字符"):
        services.ticket_resolve(actor=people["agent"], ticket=ticket, answer="预计\x00今晚恢复")


def test_an_open311_token_is_written_with_its_ticket(people) -> None:  # type: ignore[no-untyped-def]
    """Defect 7: the token was written after ticket_create, outside its transaction."""
    raw, _key = api_key_issue(actor=None, name="Open311 客户端", scopes=["hotline:submit"])
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": raw,
            "service_code": "SD0201",
            "description": "路灯不亮已经三天了",
            "address_string": "康宁里 3 号",
        },
    )
    assert response.status_code == 201, response.content
    token = response.json()[0]["token"]
    assert Ticket.objects.get().open311_token == token
