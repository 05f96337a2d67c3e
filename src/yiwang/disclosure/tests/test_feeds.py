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


def test_a_long_title_from_another_context_is_kept_whole(office: dict) -> None:  # type: ignore[type-arg]
    """A trading notice is titled by its project and its document (200 characters each): kept whole, never
    cut; the notice's text whole too."""
    from django.utils import timezone

    from yiwang.disclosure.services import item_receive

    title = "某" * 200 + "（" + "招" * 200 + "）"
    item = item_receive(
        source="trading:notice:TEST-1", body=office["body"], category_name="交易公告", title=title,
        text="正文" * 10000, formed_on=timezone.localdate(), published_at=timezone.now(),
    )  # fmt: skip
    item.refresh_from_db()
    assert item.title == title and len(item.text) == 20000 and item.status == ItemStatus.PUBLISHED
