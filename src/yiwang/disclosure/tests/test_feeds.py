"""One place for what the public may read: the demo city's published service guides enter the disclosure
catalogue under their departments' index numbers, once."""

from __future__ import annotations

import pytest

from yiwang.disclosure.choices import ItemStatus
from yiwang.disclosure.feeds import feeds_collect
from yiwang.disclosure.models import ProactiveItem

pytestmark = pytest.mark.django_db


def test_published_guides_enter_the_catalogue_once(demo_catalogue: None) -> None:
    first = feeds_collect()
    assert first.guides >= 30
    items = ProactiveItem.objects.filter(source__startswith="catalogue:")
    assert items.count() == first.guides
    assert all(i.status == ItemStatus.PUBLISHED and i.index_number for i in items)
    assert len({i.index_number for i in items}) == items.count()
    sample = items.select_related("body").first()
    assert sample is not None and sample.index_number.startswith(sample.body.credit_code[8:17] + "/")
    assert sample.source_url.startswith("/items/")
    again = feeds_collect()
    assert again.guides == 0 and ProactiveItem.objects.filter(source__startswith="catalogue:").count() == first.guides
