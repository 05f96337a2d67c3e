"""The generated histories live in the demo (``demo.history``), the only context that writes the others'
tables in bulk: cases, the hall's queue and their ratings for the dashboards, 12345 tickets and calls
for the learned dispatch suggestions — each idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from yiwang.cases.models import Case
from yiwang.demo.city import demo_departments
from yiwang.demo.history import cases, evaluation, hall, hotline
from yiwang.demo.hotline import demo_hotline_load
from yiwang.evaluation.models import Rating
from yiwang.hall.models import QueueTicket
from yiwang.hotline.models import CallRecord, Ticket

pytestmark = pytest.mark.django_db


def test_cases_the_queue_and_their_ratings(demo_catalogue: None) -> None:
    assert cases.history_generate(60, days=20) == 60
    assert cases.history_generate(60, days=20) == 0
    assert Case.objects.filter(number__contains="-H").count() == 60
    queued = hall.history_generate(days=2, per_day=20)
    assert queued > 0 and QueueTicket.objects.count() == queued
    assert hall.history_generate(days=2, per_day=20) == 0
    rated = evaluation.history_generate(case_share=1.0, visit_share=1.0)
    assert rated > 0 and Rating.objects.count() == rated
    assert evaluation.history_generate() == 0


def test_tickets_and_calls_and_the_command_that_generates_them(demo_city: None) -> None:
    demo_hotline_load(demo_departments())
    out = StringIO()
    call_command("hotline_dispatch_model", "history", "40", stdout=out)
    assert out.getvalue().startswith("40 tickets generated in ")
    assert Ticket.objects.count() == 40
    assert hotline.calls_generate(days=2, per_day=10) == 20 and CallRecord.objects.count() == 20


def test_published_replies_in_the_demo_have_no_personal_details(demo_city: None) -> None:
    """回复公开 in the demo: the latest closed tickets, reviewed; what is published holds no phone, ID or
    house number (the same check the reviewer's approval runs)."""
    from yiwang.demo.hotline import demo_published_replies
    from yiwang.hotline.models import PublishedReply
    from yiwang.hotline.services import personal_data_left

    demo_hotline_load(demo_departments())
    hotline.history_generate(80)
    assert demo_published_replies() > 0
    assert demo_published_replies() == 0  # once
    for reply in PublishedReply.objects.filter(status="published"):
        for text in (reply.title, reply.question, reply.answer):
            assert not personal_data_left(text, names=(reply.ticket.caller_name,))
