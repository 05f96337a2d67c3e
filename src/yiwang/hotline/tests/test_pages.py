"""The agent's workbench pages (issue 8): take a call with the caller's earlier tickets and the
knowledge base beside the form, then resolve it, or dispatch it with both kinds of suggestion."""

from __future__ import annotations

import pytest

from yiwang.accounts.roles import Role
from yiwang.demo.city import demo_departments
from yiwang.demo.hotline import demo_hotline_load
from yiwang.hotline.models import Article, Ticket

pytestmark = pytest.mark.django_db
CALL = {"caller_phone": "13800138000", "caller_name": "李女士", "kind": "consult", "category": "ZW0101",
        "description": "老年人优待证怎么办理", "region": "990102001", "urgency": "normal"}  # fmt: skip


@pytest.fixture
def agent(demo_city, make_user, city):  # type: ignore[no-untyped-def]
    demo_hotline_load(demo_departments())
    return make_user(Role.HOTLINE_AGENT, region=city)


def test_an_agent_takes_a_call_and_resolves_it_from_the_knowledge_base(client, agent) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent)
    page = client.get("/workbench/hotline/")
    assert page.status_code == 200 and "autofocus" in page.content.decode()
    bad = client.post("/workbench/hotline/", {**CALL, "description": "", "category": "ZW"})
    assert bad.status_code == 422 and Ticket.objects.count() == 0
    assert "请简要描述诉求内容" in bad.content.decode()
    taken = client.post("/workbench/hotline/", {**CALL, "idempotency_key": "call-1"})
    assert taken.status_code == 302
    again = client.post("/workbench/hotline/", {**CALL, "idempotency_key": "call-1"})  # a double submit
    assert again["Location"] == taken["Location"] and Ticket.objects.count() == 1
    ticket = Ticket.objects.get()
    history = client.get("/workbench/hotline/caller/", {"caller_phone": "138 0013 8000"}).content.decode()
    assert 'data-caller-tickets="1"' in history and ticket.number in history and "13800138000" not in history
    kb = client.get("/workbench/hotline/knowledge/", {"description": "老人优待证在哪办"}).content.decode()
    assert "老年人优待证怎么办理" in kb
    shown = client.get(taken["Location"]).content.decode()
    assert "直接办结" in shown and "老年人优待证怎么办理" in shown  # the article offered beside it
    article = Article.objects.get(title="老年人优待证怎么办理")
    client.post(f"/workbench/hotline/tickets/{ticket.number}/resolve/", {"answer": article.body, "article": article.pk})
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and Article.objects.get(pk=article.pk).uses == 1


def test_a_dispatcher_sees_the_suggestions_and_dispatches(client, agent, make_user, city) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent)
    client.post("/workbench/hotline/", {**CALL, "kind": "complaint", "category": "SD0101",
                                        "description": "整栋楼停水一天了没有通知"})  # fmt: skip
    ticket = Ticket.objects.get()
    client.force_login(make_user(Role.DISPATCHER, region=city))
    page = client.get(f"/workbench/hotline/tickets/{ticket.number}/").content.decode()
    assert "data-catalogue-unit" in page and "示范市住房和城乡建设局" in page
    client.post(f"/workbench/hotline/tickets/{ticket.number}/dispatch/", {"unit": ""})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.unit.short_name) == ("dispatched", "住建局")
    assert "已派单" in client.get(f"/workbench/hotline/tickets/{ticket.number}/").content.decode()
