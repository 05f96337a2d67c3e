"""Numbers under concurrency: index numbers (索引号) and request numbers drawn by parallel publications and
requests stay unique and gap-free (PostgreSQL: the counter's row lock queues the drawers)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.parallel import at_once, require_postgresql
from yiwang.disclosure import services
from yiwang.disclosure.choices import Delivery, ReviewDecision
from yiwang.disclosure.models import DisclosureRequest, ProactiveItem


@pytest.mark.django_db(transaction=True)
def test_parallel_publications_draw_distinct_consecutive_index_numbers(office: dict[str, Any]) -> None:
    require_postgresql()
    items = []
    for n in range(8):
        item = services.item_create(
            actor=office["officer"],
            body=office["body"],
            category=office["category"],
            title=f"并发公开{n}",
            formed_on=timezone.localdate(),
        )
        services.item_review_submit(actor=office["officer"], item=item)
        services.item_review(actor=office["colleague"], item=item, decision=ReviewDecision.PASSED)
        items.append(item)
    results = at_once([lambda i=item: services.item_publish(actor=office["officer"], item=i) for item in items])
    assert not [r for r in results if isinstance(r, BaseException)], results
    numbers = sorted(ProactiveItem.objects.values_list("index_number", flat=True))
    serials = sorted(int(str(n).rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_draw_distinct_numbers(office: dict[str, Any]) -> None:
    require_postgresql()
    results = at_once(
        [
            lambda n=n: services.request_submit(
                actor=office["citizen"], body=office["body"], description=f"并发申请{n}", delivery=Delivery.ONLINE
            )
            for n in range(8)
        ]
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    numbers = list(DisclosureRequest.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 8
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 9))
