"""A research user's export: one row per request with its dates, pauses, extension and outcome, no personal
data; response times without the paused days and the days waiting on the requester."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yiwang.calendar.workdays import add_working_days
from yiwang.disclosure import exports, services
from yiwang.disclosure.choices import Delivery, Ground, Outcome

pytestmark = pytest.mark.django_db


def test_one_row_per_request_and_times_without_pauses(office: dict[str, Any]) -> None:
    start = add_working_days(timezone.localdate().replace(month=1, day=2), 1).date
    with time_machine.travel(timezone.make_aware(datetime.combine(start, time(10))), tick=False):
        made = services.request_submit(
            actor=office["citizen"],
            body=office["body"],
            description="某信息",
            delivery=Delivery.POST,
            address="示范市幸福路1号",
        )
        services.consultation_start(actor=office["officer"], request=made, party="third_party", party_name="某公司")
    with time_machine.travel(
        timezone.make_aware(datetime.combine(add_working_days(start, 4).date, time(10))), tick=False
    ):
        services.consultation_end(actor=office["officer"], request=made, note="同意公开")
    with time_machine.travel(
        timezone.make_aware(datetime.combine(add_working_days(start, 10).date, time(10))), tick=False
    ):
        services.reply_make(
            actor=office["officer"],
            request=made,
            outcome=Outcome.CANNOT,
            ground=Ground.NOT_HELD,
            text="不存在",
            delivery=Delivery.POST,
        )
    table = exports.rows(body_id=office["body"].pk, year=start.year)
    assert len(table) == 1
    row = table[0].values
    assert row["consultation_working_days"] == 4 and row["working_days_taken"] == 6
    assert row["outcome"] == "cannot" and row["ground"] == "not_held" and row["on_time"] == 1
    figures = exports.figures(table)
    assert figures.median == 6 and figures.replied == 1
    answer = Client().get("/disclosure/requests.csv", {"year": start.year, "body": office["body"].pk})
    assert answer.status_code == 200
    text = answer.content.decode("utf-8-sig")
    assert "张三" not in text and office["citizen"].id_number not in text and "某信息" not in text
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed[0]["number"] == made.number and parsed[0]["working_days_taken"] == "6"
    page = Client().get("/disclosure/figures/", {"year": start.year})
    assert page.status_code == 200 and 'data-testid="figures"' in page.content.decode()
    assert Client().get("/disclosure/figures/", {"year": 1900}).status_code == 404


def test_a_late_reply_counts_its_days_past_the_due_date(office: dict[str, Any]) -> None:
    start = add_working_days(timezone.localdate().replace(month=1, day=2), 1).date
    with time_machine.travel(timezone.make_aware(datetime.combine(start, time(10))), tick=False):
        made = services.request_submit(
            actor=office["citizen"],
            body=office["body"],
            description="某信息",
            delivery=Delivery.POST,
            address="示范市幸福路1号",
        )
    with time_machine.travel(
        timezone.make_aware(datetime.combine(add_working_days(start, 25).date, time(10))), tick=False
    ):
        reply = services.reply_make(
            actor=office["officer"],
            request=made,
            outcome=Outcome.CANNOT,
            ground=Ground.NOT_HELD,
            text="不存在",
            delivery=Delivery.POST,
        )
    assert not reply.on_time
    row = exports.rows(body_id=office["body"].pk, year=start.year)[0].values
    assert row["working_days_taken"] == 25 and row["on_time"] == 0
