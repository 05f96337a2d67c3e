"""A project of the history before it is written (``Plan``, with its lots, its offers and its ``Timeline``),
what the generator reads once (``_Context``: the city, its departments, the demo's accounts, the
working-day calendar), and the days: each step within the law's periods, the status a project has
reached by a moment."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.calendar.workdays import WorkCalendar
from yiwang.demo.city import CITY, demo_credit_code
from yiwang.organisation.models import Department, Region
from yiwang.organisation.services import department_upsert
from yiwang.trading import rules
from yiwang.trading.models import ProjectKind, ProjectStatus, SupervisionAssignment, TradingProject


@dataclass
class Timeline:
    created: datetime
    published: datetime
    documents_from: date
    documents_until: date
    deadline: datetime
    opening_start: datetime
    concluded: datetime
    evaluate: datetime
    reported: datetime
    publicity_from: datetime  # a procurement: the report delivered to the purchaser (no publicity)
    publicity_until: datetime
    awarded: datetime
    contract_at: datetime
    procurement: bool = False


@dataclass
class Offer:
    lot: int
    name: str
    credit_code: str
    price: Decimal
    username: str = ""  # a demo bidder's account


@dataclass
class Plan:
    """One generated project before it is written."""

    kind: str
    tenderer: Department
    title: str
    method: str
    evaluation_method: str
    lots: list[tuple[str, str, Decimal, Decimal]]  # title, trade, estimate, security
    status: str
    timeline: Timeline
    seed: int
    offers: list[Offer] = field(default_factory=list)
    terminated: datetime | None = None
    termination_note: str = ""
    live_bids: int = 0
    late_contract: bool = False
    project: TradingProject | None = None

    @property
    def budget(self) -> Decimal:
        return sum((estimate for _t, _k, estimate, _s in self.lots), Decimal(0))

    def winners(self) -> list[Offer]:
        by_lot: dict[int, Offer] = {}
        for offer in self.offers:
            by_lot.setdefault(offer.lot, offer)  # the first offer of each lot is its winner
        return [by_lot[n] for n in sorted(by_lot)]


class _Context:
    """What the generator reads once: the city, its departments, the demo's accounts, the calendar."""

    def __init__(self, departments: dict[str, Department], now: datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.city = Region.objects.get(code=CITY[0])
        self.departments = departments
        self.districts = _district_units()
        self.supervisors = {
            a.kind: a.department
            for a in SupervisionAssignment.objects.filter(region=self.city).select_related("department")
        }
        accounts = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
        self.officer = accounts["demo-trading-officer"]
        self.supervisor = accounts["demo-trading-supervisor"]
        self.tenderer = accounts["demo-tenderer"]
        self.bidders = [accounts[name] for name in ("demo-bidder", "demo-bidder-2", "demo-bidder-3")]
        self.calendar = WorkCalendar(self.today - timedelta(days=450), self.today + timedelta(days=60))

    def working(self, day: date) -> bool:
        return self.calendar.day(day).working

    def next_working(self, day: date) -> date:
        while not self.working(day):
            day += timedelta(days=1)
        return day

    def add_working(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (as rules.working_day_due counts)."""
        while count:
            day += timedelta(days=1)
            count -= self.working(day)
        return day


def _district_units() -> list[Department]:
    """The district governments (the same rows demo.hotline makes): the sellers of land and mining rights."""
    from yiwang.demo.hotline import DISTRICT_UNITS

    regions = {r.code: r for r in Region.objects.filter(code__in=DISTRICT_UNITS)}
    units = []
    for index, (code, name) in enumerate(DISTRICT_UNITS.items(), start=101):
        credit_code = demo_credit_code(index)
        unit = Department.objects.filter(credit_code=credit_code).first()
        if unit is None:
            unit, _created = department_upsert(actor=None, credit_code=credit_code, name=name, region=regions[code])
        units.append(unit)
    return units


def _at(day: date, hour: float) -> datetime:
    """A local moment of ``day``, ``hour`` in hours (9.5 = 09:30)."""
    minutes = round(hour * 60)
    return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))


def _timeline(ctx: _Context, rng: random.Random, kind: str, days_back: int, *, snap: bool = True) -> Timeline:
    """The steps of a project whose notice came out ``days_back`` days ago, each within the law's periods
    (docs/trading.md §4): documents for 5 days (5 working days in procurement), 20 days or more to the
    deadline, the report within days, candidates published at once for 3 days, the contract within 30."""
    publish_day = ctx.today - timedelta(days=days_back)
    if snap:
        publish_day = ctx.next_working(publish_day)
    published = _at(publish_day, rng.uniform(9, 17))
    created = _at(publish_day - timedelta(days=rng.randint(1, 10)), rng.uniform(9, 17))
    if kind == ProjectKind.PROCUREMENT:
        until = ctx.add_working(publish_day, rules.DOCUMENT_SALE_WORKING_DAYS - 1) + timedelta(days=rng.randint(0, 3))
    else:
        until = publish_day + timedelta(days=rules.DOCUMENT_SALE_DAYS - 1 + rng.randint(0, 4))
    deadline_day = publish_day + timedelta(days=rules.BIDDING_DAYS + rng.randint(0, 8))
    if snap:
        deadline_day = ctx.next_working(deadline_day)
    deadline = _at(deadline_day, rng.choice([9, 9.5, 9.5, 10, 14.5]))
    opening_start = deadline + timedelta(minutes=rng.randint(1, 5))
    concluded = opening_start + timedelta(minutes=rng.randint(12, 29))
    evaluate = concluded + timedelta(minutes=rng.randint(30, 150))
    reported = _at(timezone.localdate(evaluate) + timedelta(days=rng.randint(1, 2)), rng.uniform(16, 18.5))
    if kind == ProjectKind.PROCUREMENT:  # 政府采购法实施条例 §43: delivered in 2 working days, decided in 5
        publicity_from = _at(ctx.add_working(timezone.localdate(reported), 1), rng.uniform(9, 11))
        publicity_until = publicity_from
        awarded = _at(ctx.add_working(timezone.localdate(publicity_from), rng.randint(1, 4)), rng.uniform(9, 16))
    else:
        publicity_from = _at(timezone.localdate(reported) + timedelta(days=1), rng.uniform(9, 11))
        publicity_until = rules.candidates_publicity_ends(publicity_from)
        awarded = publicity_until + timedelta(days=rng.randint(0, 4), hours=rng.uniform(9, 16))
    contract_day = timezone.localdate(awarded) + timedelta(days=rng.randint(3, 25))
    return Timeline(
        created=created,
        published=published,
        documents_from=publish_day,
        documents_until=until,
        deadline=deadline,
        opening_start=opening_start,
        concluded=concluded,
        evaluate=evaluate,
        reported=reported,
        publicity_from=publicity_from,
        publicity_until=publicity_until,
        awarded=awarded,
        contract_at=_at(contract_day, rng.uniform(10, 16.5)),
        procurement=kind == ProjectKind.PROCUREMENT,
    )


def _stage(t: Timeline, now: datetime) -> str:
    for moment, status in (
        (t.evaluate, ProjectStatus.OPENED),
        (t.reported, ProjectStatus.EVALUATING),
        (t.publicity_from, ProjectStatus.REPORTED),
        (t.awarded, ProjectStatus.DELIVERED if t.procurement else ProjectStatus.PUBLICITY),
        (t.contract_at, ProjectStatus.AWARDED),
    ):
        if now < moment:
            return status
    return ProjectStatus.CONTRACTED


def _plan_timeline(ctx: _Context, seed: int, kind: str, wanted: str, rng: random.Random) -> Timeline:
    """A finished project's days (or, for ``wanted`` under way, the first days that put it there now)."""
    if wanted in (ProjectStatus.EVALUATING, ProjectStatus.PUBLICITY, ProjectStatus.DELIVERED, ProjectStatus.AWARDED):
        for snap in (True, False):
            for days_back in range(21, 150):
                timeline = _timeline(ctx, random.Random(seed), kind, days_back, snap=snap)
                past = timeline.deadline < ctx.now - timedelta(hours=2)
                on_show = wanted != ProjectStatus.PUBLICITY or ctx.now < timeline.publicity_until
                if past and on_show and _stage(timeline, ctx.now) == wanted:
                    return timeline
    days_back = rng.randint(25, 362)
    while True:
        timeline = _timeline(ctx, random.Random(seed), kind, days_back)
        if timeline.deadline < ctx.now - timedelta(hours=2):
            return timeline
        days_back += 7


_ORDER = [
    ProjectStatus.OPENED,
    ProjectStatus.EVALUATING,
    ProjectStatus.REPORTED,
    ProjectStatus.PUBLICITY,  # a procurement's report goes to the purchaser instead (DELIVERED)
    ProjectStatus.AWARDED,
    ProjectStatus.CONTRACTED,
]


def _order(procurement: bool) -> list[str]:
    return [ProjectStatus.DELIVERED if s == ProjectStatus.PUBLICITY and procurement else s for s in _ORDER]


def _reached(status: str, procurement: bool = False) -> list[str]:
    """The steps after the opening a project of ``status`` has been through."""
    order = _order(procurement)
    return list(order[: order.index(ProjectStatus(status)) + 1]) if status in order else []


def _status_at(plan: Plan, at: datetime) -> str:
    """Where the project stood at ``at`` (for the journal's entries that do not move it)."""
    t = plan.timeline
    if plan.terminated is not None:
        return ProjectStatus.TERMINATED if at >= plan.terminated else ProjectStatus.BIDDING
    if at < t.deadline:
        return ProjectStatus.BIDDING
    if plan.status == ProjectStatus.FAILED:
        return ProjectStatus.FAILED if at >= t.opening_start else ProjectStatus.CLOSED
    if at < t.opening_start:
        return ProjectStatus.CLOSED
    if at < t.concluded:
        return ProjectStatus.OPENING
    stage, order = _stage(t, at), _order(t.procurement)
    return stage if order.index(ProjectStatus(stage)) <= order.index(ProjectStatus(plan.status)) else plan.status
