"""/api/v1/ratings/: rating by token or as the applicant, amending, the figures, remediation and appeals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.core.errors import ValidationFailed
from yiwang.evaluation import selectors
from yiwang.evaluation.services import case_link_token

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_rating_by_token_and_the_remediation_api(client: Client, concluded: Any, people: Any, bearer: Any) -> None:
    url = f"/api/v1/ratings/cases/{concluded.number}"
    anonymous = client.post(url, {"level": 5}, content_type=JSON)
    assert anonymous.status_code == 403 and anonymous.json()["code"] == "not_your_case"
    no_reason = client.post(url, {"level": 2, "link_token": case_link_token(concluded)}, content_type=JSON)
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "validation_error"
    rated = client.post(
        url, {"level": 2, "comment": "等了很久", "link_token": case_link_token(concluded)}, content_type=JSON
    )
    assert (
        rated.status_code == 201
        and rated.json()["channel"] == "qr"
        and rated.json()["department"] == "示范市市场监督管理局"
    )
    twice = client.post(url, {"level": 4, "link_token": case_link_token(concluded)}, content_type=JSON)
    assert twice.status_code == 409 and twice.json()["code"] == "already_rated"
    head = bearer(people["head"])
    queue = client.get("/api/v1/ratings/remediations?queue=pending", headers=head).json()
    assert len(queue) == 1 and queue[0]["rating"]["comment"] == "等了很久"
    item = queue[0]["id"]
    bad_step = client.post(
        f"/api/v1/ratings/remediations/{item}/contact", {"note": "已联系"}, content_type=JSON, headers=head
    )
    assert bad_step.status_code == 422
    step = client.post(
        f"/api/v1/ratings/remediations/{item}/contact", {"note": "已联系企业", "mode": "immediate"}, content_type=JSON,
        headers=head,
    )  # fmt: skip
    assert step.json()["status"] == "contacted"
    appeal = client.post(
        f"/api/v1/ratings/remediations/{item}/appeal", {"reason": "x"}, content_type=JSON, headers=head
    )
    assert appeal.status_code == 422 and "申诉须写明理由" in appeal.json()["message"]
    done = client.post(
        f"/api/v1/ratings/remediations/{item}/feedback",
        {"feedback": "已当场纠正并致歉"},
        content_type=JSON,
        headers=head,
    )
    assert done.json()["status"] == "resolved"
    centre = bearer(people["centre"])
    closed = client.post(
        f"/api/v1/ratings/remediations/{item}/return-visit", {"satisfied": True, "note": "满意"}, content_type=JSON,
        headers=centre,
    )  # fmt: skip
    assert closed.json()["status"] == "closed"
    today = timezone.localdate()
    figures = client.get(
        f"/api/v1/ratings/figures?start={today - timedelta(days=1)}&end={today}", headers=centre
    ).json()
    assert (figures["ratings"], figures["bad"], figures["real_name_bad"], figures["closure_rate"]) == (1, 1, 1, 100.0)
    for period, field in (
        (f"start={today}&end=9999-12-31", "end"),
        (f"start={today}&end={today - timedelta(1)}", "end"),
    ):
        refused = client.get(f"/api/v1/ratings/figures?{period}", headers=centre)  # 9999-12-31 + 1 day was a 500
        assert (refused.status_code, refused.json()["details"]["errors"][0]["field"]) == (422, field)
    with pytest.raises(ValidationFailed):  # the reading itself refuses, not only the API's schema
        selectors.rating_figures(selectors.ratings_visible(people["centre"]), today, date(9999, 12, 31))
    assert client.get("/api/v1/ratings/remediations", headers=bearer(people["other_head"])).json() == []


def test_the_applicant_rates_and_amends_with_a_token(client: Client, concluded: Any, company: Any, bearer: Any) -> None:
    me = bearer(company)
    rated = client.post(f"/api/v1/ratings/cases/{concluded.number}", {"level": 3}, content_type=JSON, headers=me)
    assert rated.status_code == 201 and rated.json()["channel"] == "online"
    amended = client.patch(f"/api/v1/ratings/{rated.json()['id']}", {"level": 5}, content_type=JSON, headers=me)
    assert amended.json()["level"] == 5 and amended.json()["amended_at"]
