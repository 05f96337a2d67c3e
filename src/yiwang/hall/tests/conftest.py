"""The demo hall (综合服务大厅, categories A–G over its seven window groups) and its clerks, at a fixed
morning so the categories' hours (08:30–17:30) hold whatever time the suite runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from yiwang.accounts.roles import Role
from yiwang.hall.models import QueueCategory
from yiwang.organisation.models import Hall, Window

MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.get_default_timezone())  # a Monday


class Clock:
    """A moving 'now' for the services: each tick is a minute later."""

    def __init__(self, start: datetime = MORNING) -> None:
        self.now = start

    def __call__(self, minutes: float = 1) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def hall(demo_city: None) -> Hall:
    return Hall.objects.get(name="综合服务大厅")


@pytest.fixture
def cat(hall: Hall) -> dict[str, QueueCategory]:
    return {c.prefix: c for c in QueueCategory.objects.filter(hall=hall)}


@pytest.fixture
def windows(hall: Hall) -> dict[str, Window]:
    return {w.number: w for w in Window.objects.filter(group__hall=hall)}


@pytest.fixture
def clerks(make_user: Any, city: Any) -> list[Any]:
    return [make_user(Role.CLERK, region=city) for _ in range(3)]
