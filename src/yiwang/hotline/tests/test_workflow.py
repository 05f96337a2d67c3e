"""The ticket's table (hotline.workflow) walked completely through the services, and every action of it
reachable from the ticket's page and from the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from tests.workflow_walk import walk
from yiwang.hotline import api, services, supervision
from yiwang.hotline.models import ExtensionRequest, Ticket, TicketStatus
from yiwang.hotline.views import tickets as pages
from yiwang.hotline.workflow import OPEN, WORKFLOW

pytestmark = pytest.mark.django_db


def _ticket(people: dict[str, Any]) -> Ticket:
    intake = services.Intake(
        channel="phone", kind="complaint", category_code="CX0101", description="康宁里夜间施工噪音扰民",
        region_code="990102002", caller_name="王先生", caller_phone="13800138000",
    )  # fmt: skip
    ticket = services.ticket_create(actor=people["agent"], intake=intake)
    return services.ticket_dispatch(actor=None, ticket=ticket, unit=people["unit"])


def test_every_status_and_step_of_the_table_through_the_services(people: dict[str, Any]) -> None:
    """Each step from each status, in a transaction rolled back after, with what the step needs besides
    the status prepared for it (a unit, an extension request waiting, a signature for a refused return)."""
    ticket, other = _ticket(people), _ticket(people)
    steps: dict[str, Callable[[Ticket, str | None], object]] = {
        "resolve": lambda t, aim: services.ticket_resolve(actor=None, ticket=t, answer="已当场解答"),
        "dispatch": lambda t, aim: services.ticket_dispatch(actor=None, ticket=t, unit=people["unit"]),
        "merge": lambda t, aim: services.ticket_merge(actor=None, ticket=t, into=other),
        "sign": lambda t, aim: services.ticket_sign(actor=None, ticket=t),
        "return_request": lambda t, aim: services.ticket_return_request(actor=None, ticket=t, reason="非本单位职责"),
        "return_review": lambda t, aim: services.ticket_return_review(
            actor=None,
            ticket=t,
            approve=aim != TicketStatus.SIGNED,
            note="复核",
            unit=None if aim == TicketStatus.NEW else people["housing_unit"],
        ),
        "reply": lambda t, aim: services.ticket_reply(actor=None, ticket=t, answer="已责令停工"),
        "extension_request": lambda t, aim: services.extension_request(actor=None, ticket=t, days=2, reason="需协调"),
        "extension_decide": lambda t, aim: services.extension_decide(
            actor=None, request=t.extensions.get(approved__isnull=True), approve=True
        ),
        "supervise": lambda t, aim: supervision.supervision_order_issue(actor=None, ticket=t, note="请尽快办理"),
        "follow_up": lambda t, aim: services.ticket_follow_up(
            actor=None, ticket=t, satisfaction="satisfied", solved=True
        ),
        "redo": lambda t, aim: services.ticket_follow_up(
            actor=None, ticket=t, satisfaction="dissatisfied", solved=False, redo=True
        ),
    }

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                signed = timezone.now() if aim == TicketStatus.SIGNED else None
                Ticket.objects.filter(pk=ticket.pk).update(status=status, signed_at=signed)
                if action == "extension_decide":
                    ExtensionRequest.objects.create(ticket=ticket, days=2, reason="需协调")
                steps[action](Ticket.objects.get(pk=ticket.pk), aim)
                return Ticket.objects.get(pk=ticket.pk).status
            finally:
                transaction.set_rollback(True)

    assert set(steps) == set(WORKFLOW.actions)
    walk(WORKFLOW, TicketStatus.values, run, code="transition_not_allowed")


def test_open_is_the_table_s_one_definition() -> None:
    """The unit's open tickets — reminders, cards, extensions, returns — are one tuple, used by them all."""
    assert services.OPEN_FOR_UNIT is OPEN and supervision.OPEN is OPEN
    assert WORKFLOW.transition("extension_request").sources == set(OPEN)


def test_every_action_of_the_table_is_a_step_of_the_page_and_of_the_api() -> None:
    assert set().union(*(step.takes for step in pages.STEPS.values())) == set(WORKFLOW.actions)
    assert set().union(*api.STEPS.values()) == set(WORKFLOW.actions)


def test_the_api_publishes_one_body_per_step() -> None:
    from django.test import Client

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    bodies = {
        name: paths[f"/api/v1/hotline/tickets/{{number}}/actions/{name}"]["post"]["requestBody"]["content"][
            "application/json"
        ]["schema"]["$ref"].rsplit("/", 1)[-1]
        for name in api.STEPS
    }
    assert bodies["dispatch"] == "TicketDispatchIn" and bodies["follow_up"] == "TicketFollowUpIn"
    assert len(set(bodies.values())) == len(bodies)
    assert "/api/v1/hotline/tickets/{number}/actions/{action}" not in paths
