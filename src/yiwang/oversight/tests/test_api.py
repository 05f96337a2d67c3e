"""/api/v1/oversight/: definitions, KPIs by group, cards, exceptions, window assessment, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.oversight.tests.test_pages import data  # noqa: F401  (the same records)

pytestmark = pytest.mark.django_db


def test_the_oversight_api(client: Client, data: Any, people: Any, bearer: Any) -> None:  # noqa: F811
    centre = bearer(people["centre"])
    today = timezone.localdate()
    period = f"start={today}&end={today}"
    definitions = client.get("/api/v1/oversight/kpis/definitions").json()
    assert {
        "code": "on_time_rate",
        "label": "按期办结率",
        "numerator": "on_time",
        "denominator": "concluded",
    } in definitions
    total = client.get(f"/api/v1/oversight/kpis?{period}", headers=centre).json()
    assert total[0]["values"]["received"] == 2 and total[0]["counts"]["concluded"] == 1
    by_channel = client.get(f"/api/v1/oversight/kpis?{period}&group=channel", headers=centre).json()
    assert [row["group"] for row in by_channel] == ["window"]
    bad = client.get(f"/api/v1/oversight/kpis?start={today}&end=2000-01-01", headers=centre)
    assert bad.status_code == 422 and "早于" in bad.json()["message"]
    unknown = client.get(f"/api/v1/oversight/kpis?{period}&region=000000", headers=centre)
    assert unknown.status_code == 422
    cards = client.get(f"/api/v1/oversight/cards?{period}&colour=red", headers=centre).json()
    assert [c["case"] for c in cards] == [data["late"].number]
    by_department = client.get(f"/api/v1/oversight/cards/by-department?{period}", headers=centre).json()
    assert by_department[0]["red"] == 1
    found = client.get(f"/api/v1/oversight/exceptions?{period}", headers=centre).json()
    assert found["overdue_count"] == 1 and found["overdue"][0]["number"] == data["late"].number
    scores = client.get(f"/api/v1/oversight/windows/{data['visit'].day:%Y-%m}", headers=centre).json()
    assert scores[0]["window"] == "A01" and scores[0]["rank"] == 1
    assert client.get("/api/v1/oversight/windows/2026-13", headers=centre).status_code == 422
    assert client.get(f"/api/v1/oversight/kpis?{period}", headers=bearer(people["clerk"])).status_code == 403
