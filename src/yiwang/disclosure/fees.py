"""The information-processing fee (信息处理费, §42; 国办函〔2020〕109号), computed from the records."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from yiwang.disclosure import rules
from yiwang.disclosure.choices import FeeMethod


@dataclass(frozen=True)
class Quote:
    method: str
    amount: Decimal
    basis: str  # how it was computed, in words the requester reads


def quote(method: str, *, rank: int, pages: int) -> Quote:
    """``rank``: the request's place among the requester's requests to the body in its calendar month;
    ``pages``: the pages to be provided."""
    if method == FeeMethod.BY_COUNT:
        amount = rules.count_fee(rank)
        basis = _("Request %(rank)d of the requester's month: %(amount)s yuan (by number of requests).") % {
            "rank": rank,
            "amount": amount,
        }
    elif method == FeeMethod.BY_PAGES:
        amount = rules.page_fee(pages)
        basis = _("%(pages)d pages provided: %(amount)s yuan (by pages).") % {"pages": pages, "amount": amount}
    else:
        amount, basis = Decimal(0), _("No fee.")
    return Quote(method, amount, basis)
