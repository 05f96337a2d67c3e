"""Agents act for a person or company within the authorisation's items and dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.accounts.agents import agent_authorise, agent_may_act, agent_revoke
from yiwang.accounts.services import citizen_register, company_register
from yiwang.audit.models import AuditRecord
from yiwang.core.errors import NotFound, ValidationFailed
from yiwang.core.identifiers import credit_code_with_check

pytestmark = pytest.mark.django_db
PASSWORD = "Kx9-long-pass"


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    company = company_register(
        company_name="示范科技",
        credit_code=credit_code_with_check("91990100MA0000001"),
        phone="13900000000",
        password=PASSWORD,
    )
    agent = citizen_register(full_name="王代理", id_number="11010519491231002X", phone="13812345678", password=PASSWORD)
    return company, agent


def test_an_agent_acts_for_the_items_until_the_date(people) -> None:  # type: ignore[no-untyped-def]
    company, agent = people
    until = timezone.localdate() + timedelta(days=30)
    agent_authorise(principal=company, agent_login="13812345678", items=["A001", " A002 "], valid_until=until)
    assert agent_may_act(agent=agent, principal=company, item_code="A001")
    assert not agent_may_act(agent=agent, principal=company, item_code="B001")
    assert not agent_may_act(agent=agent, principal=company, item_code="A001", on=until + timedelta(days=1))
    assert AuditRecord.objects.filter(action="accounts.agent_authorise").exists()


def test_an_empty_item_list_means_all_items(people) -> None:  # type: ignore[no-untyped-def]
    company, agent = people
    agent_authorise(
        principal=company,
        agent_login="11010519491231002X",
        items=[""],
        valid_until=timezone.localdate() + timedelta(days=1),
    )
    assert agent_may_act(agent=agent, principal=company, item_code="anything")


def test_revocation_ends_it_and_only_the_principal_revokes(people) -> None:  # type: ignore[no-untyped-def]
    company, agent = people
    a = agent_authorise(
        principal=company, agent_login="13812345678", items=[], valid_until=timezone.localdate() + timedelta(days=1)
    )
    with pytest.raises(NotFound):
        agent_revoke(principal=agent, authorisation_id=a.pk)
    agent_revoke(principal=company, authorisation_id=a.pk)
    assert not agent_may_act(agent=agent, principal=company)


@pytest.mark.parametrize(
    ("login", "until_days", "field"),
    [("13700000000", 10, "agent"), ("13812345678", -1, "valid_until"), ("13812345678", 365 * 6, "valid_until")],
)
def test_bad_authorisations_say_which_field(people, login: str, until_days: int, field: str) -> None:  # type: ignore[no-untyped-def]
    company, _agent = people
    with pytest.raises(ValidationFailed) as error:
        agent_authorise(
            principal=company,
            agent_login=login,
            items=[],
            valid_until=timezone.localdate() + timedelta(days=until_days),
        )
    assert error.value.details["errors"][0]["field"] == field


def test_the_page(client: Client, people) -> None:  # type: ignore[no-untyped-def]
    company, agent = people
    client.force_login(company)
    until = (date.today() + timedelta(days=30)).isoformat()
    response = client.post(
        "/accounts/agents/", {"agent": "13812345678", "items": "A001，A002", "valid_until": until}, follow=True
    )
    content = response.content.decode()
    assert "已授权代理人。" in content
    assert "王代理（110105********002X）· A001, A002" in content
    client.force_login(agent)
    assert "示范科技 · A001, A002" in client.get("/accounts/agents/").content.decode()
