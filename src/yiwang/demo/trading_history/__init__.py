"""A generated year of the demo trading centre (docs/trading.md §11): about two hundred projects of every
kind — 工程建设, 政府采购 (as many as the Shantou seed's 114, with its total budget), 土地/矿业权, 国有产权,
其他 — mostly contracted a few per cent below the budget (sales above their reserve price), some failed
for want of three bids, a few terminated, the latest still under evaluation, in publicity or awarded;
their notices, closings and signed opening records, journals, complaints, e-supervision cards and the
demo bidders' refunded securities; and an expert pool of three hundred.

Written in bulk, past the services (only the demo may: pyproject's import contracts), seeded, so that
every load makes the same history relative to its day. Codes are drawn as one block from the region's
``ProjectCounter`` per year, in the format ``project_register`` gives, so later registrations go on
from there. The history keeps no sealed bids, receipts, draws or scores: each closing says so in its
signed content (no receipts, the empty tree's root), each opening record lists the offers as generated,
and every notice ends with ``HISTORY_MARK`` — which is also how a second load knows there is nothing to
do.

By capability: ``data`` (the fixed figures, names and wording), ``plan`` (a project before it is
written, the generator's context, the days), ``draw`` (the seeded draw of the year's projects and
offers), ``projects`` (projects, lots, notices and journals), ``openings`` (closings and opening
records), ``aftermath`` (securities, complaints and objections, e-supervision cards) and ``experts``
(the pool). Callers import from here: ``from yiwang.demo.trading_history import history_generate``.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from yiwang.demo.city import CITY
from yiwang.demo.trading_history.aftermath import _alert_plans, _alerts_write, _complaints_write, _securities_write
from yiwang.demo.trading_history.data import EXPERTS, HISTORY_MARK, SEED
from yiwang.demo.trading_history.draw import _late_contract, _plans
from yiwang.demo.trading_history.experts import experts_generate
from yiwang.demo.trading_history.openings import _records_write
from yiwang.demo.trading_history.plan import _Context
from yiwang.demo.trading_history.projects import _documents_write, _events, _lots_write, _projects_write
from yiwang.organisation.models import Department, Region
from yiwang.trading.models import ProjectEvent, TenderDocument


def history_generate(departments: dict[str, Department], *, seed: int = SEED) -> int:
    """The demo trading centre's year: returns the projects generated now (0 when the history is there)."""
    city = Region.objects.get(code=CITY[0])
    if TenderDocument.objects.filter(project__region=city, body__endswith=HISTORY_MARK).exists():
        return 0
    ctx = _Context(departments, timezone.now())
    rng = random.Random(seed)
    plans = _plans(ctx, rng)
    _late_contract(ctx, rng, plans)
    alerts = _alert_plans(ctx, rng, plans)  # may adjust offers: before anything is signed
    with transaction.atomic():
        _projects_write(ctx, plans)
        _lots_write(plans)
        _documents_write(ctx, plans)
        closings = _records_write(ctx, plans)
        complaint_events = _complaints_write(ctx, rng, plans)  # first: one of them ends a tender
        events = _events(ctx, plans, closings) + complaint_events
        ProjectEvent.objects.bulk_create(events, batch_size=1000)
        _securities_write(ctx, rng, plans)
        _alerts_write(plans, alerts)
    return len(plans)


__all__ = ["EXPERTS", "HISTORY_MARK", "experts_generate", "history_generate"]
