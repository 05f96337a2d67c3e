"""The reads other contexts make of the hall: window visits for the ratings of 好差评."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from yiwang.hall import selectors
from yiwang.hall.models import QueueChannel, QueueStatus, QueueTicket
from yiwang.hall.tests.conftest import MORNING

pytestmark = pytest.mark.django_db


def _visit(cat: Any, serial: int, **fields: Any) -> QueueTicket:
    category = cat["A"]
    values: dict[str, Any] = {
        "status": QueueStatus.DONE, "channel": QueueChannel.KIOSK, "day": MORNING.date(), "taken_at": MORNING,
        "finished_at": MORNING + timedelta(minutes=serial), "holder_token_digest": f"digest-{serial}",
    } | fields  # fmt: skip
    return QueueTicket.objects.create(
        hall=category.hall, category=category, serial=serial, number=f"A{serial:03d}", **values
    )


def test_a_visit_by_id_and_only_the_clerks_own(cat: Any, clerks: Any) -> None:
    visit = _visit(cat, 1, clerk=clerks[0])
    assert selectors.visit_get(pk=visit.pk) == visit
    assert selectors.visit_get(pk=visit.pk, clerk=clerks[0]) == visit
    assert selectors.visit_get(pk=visit.pk, clerk=clerks[1]) is None
    assert selectors.visit_for_rating(pk=visit.pk).hall.centre is not None
    assert selectors.visit_cases(visit=visit) == []


def test_the_clerks_latest_finished_visit_of_the_day_not_yet_rated(cat: Any, clerks: Any) -> None:
    earlier = _visit(cat, 1, clerk=clerks[0])
    later = _visit(cat, 2, clerk=clerks[0])
    _visit(cat, 3, clerk=clerks[0], status=QueueStatus.NO_SHOW)
    _visit(cat, 4, clerk=clerks[1])
    _visit(cat, 5, clerk=clerks[0], day=MORNING.date() - timedelta(days=1))
    none = QueueTicket.objects.none().values("pk")
    assert selectors.visit_latest_done(clerk=clerks[0], day=MORNING.date(), excluding=none) == later
    rated = QueueTicket.objects.filter(pk=later.pk).values("pk")
    assert selectors.visit_latest_done(clerk=clerks[0], day=MORNING.date(), excluding=rated) == earlier


def test_the_generated_history_is_the_finished_visits_without_a_holder_token(cat: Any) -> None:
    generated = _visit(cat, 1, holder_token_digest=None)
    _visit(cat, 2)
    _visit(cat, 3, holder_token_digest=None, status=QueueStatus.CANCELLED)
    assert list(selectors.visits_generated_done()) == [generated]
