"""The periods and amounts of disclosure, each stated once with its source (docs/disclosure.md §2–§3).
None is a setting: the 条例 and the State Council's fee notice fix them."""

from __future__ import annotations

from decimal import Decimal

PUBLICATION_WORKING_DAYS = 20  # §26: published within 20 working days of being formed or changed
REPLY_WORKING_DAYS = 20  # §33: replied within 20 working days of receipt …
MAX_EXTENSION_WORKING_DAYS = 20  # … extended once, by at most 20 working days
CORRECTION_NOTICE_WORKING_DAYS = 7  # §30: the correction asked for once, within 7 working days
CONSULTATION_WORKING_DAYS = 15  # §32, §34: the consulted answer within 15 working days
FEE_PAYMENT_WORKING_DAYS = 20  # 国办函〔2020〕109号: the fee paid within 20 working days of the notice
CORRECTION_PERIOD_DEFAULT = 15  # working days the requester is given to correct (§30: "reasonable")
CORRECTION_PERIOD_MAX = 30
REMINDER_WORKING_DAYS = 3  # the officer is reminded this many working days before a due date

# 国办函〔2020〕109号 (一) 按件计收: per requester and calendar month.
COUNT_FREE = 10  # the first 10 requests are free
COUNT_FIRST_BAND_END = 30  # the 11th to 30th cost 100 yuan each
COUNT_BAND = 10  # above 30, each further band of 10 costs 100 yuan more per request
COUNT_STEP = Decimal(100)
# (二) 按量计收: per request, by pages provided; each band's pages at its own price.
PAGE_BANDS: tuple[tuple[int, Decimal], ...] = (
    (30, Decimal(0)),
    (100, Decimal(10)),
    (200, Decimal(20)),
)
PAGE_PRICE_ABOVE = Decimal(40)


def count_fee(rank: int) -> Decimal:
    """The fee for a requester's ``rank``-th request of the month (1-based)."""
    if rank <= COUNT_FREE:
        return Decimal(0)
    if rank <= COUNT_FIRST_BAND_END:
        return COUNT_STEP
    bands_above = (rank - COUNT_FIRST_BAND_END - 1) // COUNT_BAND + 1
    return COUNT_STEP * (1 + bands_above)


def page_fee(pages: int) -> Decimal:
    """The fee for ``pages`` pages provided with one request."""
    total, floor = Decimal(0), 0
    for ceiling, price in PAGE_BANDS:
        if pages > floor:
            total += price * (min(pages, ceiling) - floor)
        floor = ceiling
    if pages > floor:
        total += PAGE_PRICE_ABOVE * (pages - floor)
    return total
