"""国办函〔2020〕109号: by count, per requester and month; by pages, each band at its own price."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yiwang.disclosure import rules


@pytest.mark.parametrize(
    ("rank", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_by_count(rank: int, fee: int) -> None:
    assert rules.count_fee(rank) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_by_pages(pages: int, fee: int) -> None:
    assert rules.page_fee(pages) == Decimal(fee)
