"""Drawing the year: for each kind the projects' statuses, budgets (procurement's scaled to the Shantou
seed's total), titles, tenderers, methods, lots and securities, their days and the offers each lot
received, the winner first; then the one contract signed late. Every draw comes from the one seeded
``random.Random`` in the order ``history_generate`` calls them."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from yiwang.core.identifiers import credit_code_with_check
from yiwang.demo.trading_history.data import (
    CENT,
    DEVICES,
    DISTRICT_NAMES,
    FAILED,
    HOSPITAL_BUILDINGS,
    MAX_BIDS,
    PARCEL_PREFIX,
    PROCUREMENT_BUDGET,
    PROJECTS,
    ROADS,
    ROOTS,
    SALES,
    SCHOOLS,
    STREETS,
    TEMPLATES,
    TERMINATED,
    TRADES,
    UNDER_WAY,
)
from yiwang.demo.trading_history.plan import Offer, Plan, _at, _Context, _plan_timeline, _stage
from yiwang.trading import rules
from yiwang.trading.models import EvaluationMethod, ProjectKind, ProjectStatus, TradingMethod


def _money(value: float, step: int) -> Decimal:
    return Decimal(max(step, round(value / step) * step)).quantize(CENT)


def _budget(rng: random.Random, kind: str) -> Decimal:
    """Budgets at the scale of each kind (yuan): procurement tens of thousands to tens of millions,
    construction millions to hundreds of millions; sales at their reserve price."""
    median, sigma, low, high, step = {
        ProjectKind.CONSTRUCTION: (15e6, 1.0, 1.2e6, 4.5e8, 1000),
        ProjectKind.PROCUREMENT: (1.1e6, 1.3, 3e4, 4e7, 100),
        ProjectKind.LAND_MINING: (4e7, 0.9, 5e6, 4e8, 10000),
        ProjectKind.STATE_PROPERTY: (3e6, 1.0, 2e5, 6e7, 1000),
        ProjectKind.OTHER: (1.5e6, 0.9, 1e5, 2e7, 1000),
    }[ProjectKind(kind)]
    return _money(min(high, max(low, rng.lognormvariate(math.log(median), sigma))), step)


def _method(rng: random.Random, kind: str, budget: Decimal, *, goods: bool) -> tuple[str, str]:
    """The method and evaluation method a project of this size would use: procurement above 2 million yuan
    (goods and services, 公开招标数额标准) is openly tendered, below it mostly consultation, negotiation or —
    for goods of one standard — quotation; construction openly tendered, a few small ones by invitation."""
    if kind == ProjectKind.CONSTRUCTION:
        method = (
            TradingMethod.INVITED_TENDER if budget < 4_000_000 and rng.random() < 0.5 else TradingMethod.OPEN_TENDER
        )
        return method, rng.choice([EvaluationMethod.SCORING, EvaluationMethod.LOWEST_PRICE])
    if kind == ProjectKind.PROCUREMENT:
        if budget >= 2_000_000:
            method = TradingMethod.OPEN_TENDER if rng.random() < 0.92 else TradingMethod.INVITED_TENDER
        elif budget >= 500_000:
            method = rng.choice(
                [TradingMethod.COMPETITIVE_CONSULTATION] * 3
                + [TradingMethod.COMPETITIVE_NEGOTIATION, TradingMethod.REQUEST_FOR_QUOTATION]
            )
        else:
            method = rng.choice(
                [TradingMethod.REQUEST_FOR_QUOTATION] * 3 + [TradingMethod.COMPETITIVE_CONSULTATION] * 2
            )
        if method == TradingMethod.REQUEST_FOR_QUOTATION and not goods:  # 询价 buys goods only
            method = TradingMethod.COMPETITIVE_CONSULTATION
        by_price = method in (TradingMethod.REQUEST_FOR_QUOTATION, TradingMethod.COMPETITIVE_NEGOTIATION)
        return method, EvaluationMethod.LOWEST_PRICE if by_price else EvaluationMethod.SCORING
    return TradingMethod.OPEN_TENDER, EvaluationMethod.SCORING


def _split(rng: random.Random, budget: Decimal, count: int, step: int) -> list[Decimal]:
    if count == 1:
        return [budget]
    weights = [rng.uniform(0.5, 1.5) for _n in range(count)]
    parts = [_money(float(budget) * w / sum(weights), step) for w in weights[:-1]]
    return [*parts, budget - sum(parts, Decimal(0))]


def _security(rng: random.Random, kind: str, estimate: Decimal) -> Decimal:
    """At most 2% of the estimate (招标投标法实施条例 §26); procurement often asks none."""
    if kind == ProjectKind.PROCUREMENT and rng.random() < 0.6:
        return Decimal(0).quantize(CENT)
    share = Decimal("0.01") if kind in (ProjectKind.PROCUREMENT, ProjectKind.OTHER) else rules.MAX_SECURITY_SHARE
    amount = min(estimate * share, Decimal(800_000))
    return (amount / 100).to_integral_value(rounding=ROUND_DOWN) * 100 if amount >= 100 else Decimal(0).quantize(CENT)


class _Companies:
    """Fictional companies by trade, each with a valid-looking credit code of the demo city."""

    def __init__(self, rng: random.Random) -> None:
        self.by_trade: dict[str, list[tuple[str, str]]] = {}
        serial = 2000
        for trade, endings in TRADES.items():
            names: list[tuple[str, str]] = []
            for root in rng.sample(ROOTS, 14):
                prefix = rng.choice(["示范", "示范市", "省", ""])
                serial += 1
                names.append(
                    (f"{prefix}{root}{rng.choice(endings)}", credit_code_with_check(f"91990100MA{serial:07d}"))
                )
            self.by_trade[trade] = names

    def pick(self, rng: random.Random, trade: str, count: int) -> list[tuple[str, str]]:
        return rng.sample(self.by_trade[trade], count)


def _numeral(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if n <= 10 else str(n)


def _plans(ctx: _Context, rng: random.Random) -> list[Plan]:
    companies = _Companies(rng)
    used: dict[str, int] = defaultdict(int)
    plans: list[Plan] = []
    for kind, count in PROJECTS.items():
        statuses = [ProjectStatus.FAILED] * FAILED.get(kind, 0) + [ProjectStatus.TERMINATED] * TERMINATED.get(kind, 0)
        statuses += UNDER_WAY.get(kind, [])
        statuses += [ProjectStatus.CONTRACTED] * (count - len(statuses))
        rng.shuffle(statuses)
        budgets = [_budget(rng, kind) for _status in statuses]
        if kind == ProjectKind.PROCUREMENT:
            budgets = _scaled(budgets, PROCUREMENT_BUDGET)
        for wanted, budget in zip(statuses, budgets, strict=True):
            plan = _plan(ctx, rng, used, kind, wanted, budget)
            _offers(ctx, rng, companies, plan)
            plans.append(plan)
    return plans


def _scaled(budgets: list[Decimal], total: Decimal) -> list[Decimal]:
    """The budgets in proportion, each to the hundred yuan, adding up to ``total`` (the largest takes the
    rounding)."""
    factor = total / sum(budgets, Decimal(0))
    scaled = [_money(float(budget * factor), 100) for budget in budgets]
    largest = scaled.index(max(scaled))
    scaled[largest] += total - sum(scaled, Decimal(0))
    return scaled


def _plan(ctx: _Context, rng: random.Random, used: dict[str, int], kind: str, wanted: str, budget: Decimal) -> Plan:
    tenderer_key, pattern, lots = rng.choice(TEMPLATES[kind])
    district = rng.randrange(len(DISTRICT_NAMES))
    year = ctx.today.year - rng.randint(0, 1)
    words = {
        "school": rng.choice(SCHOOLS),
        "road": rng.choice(ROADS),
        "district": DISTRICT_NAMES[district],
        "street": rng.choice(STREETS),
        "building": rng.choice(HOSPITAL_BUILDINGS),
        "device": rng.choice(DEVICES),
        "root": rng.choice(ROOTS),
        "parcel": f"{PARCEL_PREFIX[DISTRICT_NAMES[district]]}{year}-{rng.randint(1, 30):02d}号",
    }
    title = pattern.format(**words)
    used[title] += 1
    if used[title] > 1:
        title = f"{title}（第{_numeral(used[title])}批）"
    tenderer = ctx.districts[district] if tenderer_key == "district" else ctx.departments[tenderer_key]
    method, evaluation = _method(rng, kind, budget, goods=all(trade == "goods" for _t, trade in lots))
    estimates = _split(rng, budget, len(lots), 100 if kind == ProjectKind.PROCUREMENT else 1000)
    plan_lots = [
        (lot_title.format(**words), trade, estimate, _security(rng, kind, estimate))
        for (lot_title, trade), estimate in zip(lots, estimates, strict=True)
    ]
    seed = rng.randrange(2**32)
    timeline = _plan_timeline(ctx, seed, kind, wanted, rng)
    status = _stage(timeline, ctx.now) if wanted == ProjectStatus.CONTRACTED else wanted
    plan = Plan(kind, tenderer, title, method, evaluation, plan_lots, status, timeline, seed)
    if status == ProjectStatus.TERMINATED:
        end = min(timeline.deadline - timedelta(days=2), ctx.now - timedelta(hours=1))
        plan.terminated = timeline.published + (end - timeline.published) * rng.uniform(0.3, 0.9)
    return plan


def _offers(ctx: _Context, rng: random.Random, companies: _Companies, plan: Plan) -> None:
    """What each lot's bidders offered, its winner first: purchases a few per cent below the estimate (the
    winner usually the lowest), sales above the reserve price (the winner the highest)."""
    if plan.status == ProjectStatus.TERMINATED:
        return
    sale = plan.kind in SALES
    low, high = {
        ProjectKind.CONSTRUCTION: (5, 12),
        ProjectKind.PROCUREMENT: (3, 8),
        ProjectKind.LAND_MINING: (3, 5),
        ProjectKind.STATE_PROPERTY: (3, 5),
        ProjectKind.OTHER: (3, 6),
    }[ProjectKind(plan.kind)]
    high = min(high, MAX_BIDS // len(plan.lots))  # the whole project's bids stay within 3 to 12
    low = min(low, high)
    under_way = plan.status in (
        ProjectStatus.EVALUATING,
        ProjectStatus.PUBLICITY,
        ProjectStatus.DELIVERED,
        ProjectStatus.AWARDED,
    )
    demo_bidders = plan.kind == ProjectKind.CONSTRUCTION and (under_way or rng.random() < 0.4)
    for number, (_title, trade, estimate, _deposit) in enumerate(plan.lots, start=1):
        count = rng.randint(0, 2) if plan.status == ProjectStatus.FAILED else rng.randint(low, high)
        bidders = [(name, code, "") for name, code in companies.pick(rng, trade, count)]
        if demo_bidders and number == 1 and count:
            for n, user in enumerate(rng.sample(ctx.bidders, min(count, rng.randint(1, 3)))):
                bidders[n] = (user.full_name, str(user.credit_code), user.username)
            rng.shuffle(bidders)
        if not bidders:
            continue
        if sale:
            premium = rng.triangular(0.0, 0.12, 0.02)
            shares = [1 + premium] + [1 + rng.uniform(0, premium) for _n in bidders[1:]]
        else:
            saving = (
                rng.triangular(0.02, 0.10, 0.05)
                if plan.kind == ProjectKind.CONSTRUCTION
                else rng.triangular(0.005, 0.08, 0.03)
            )
            lowest = plan.evaluation_method == EvaluationMethod.LOWEST_PRICE or rng.random() < 0.7
            shares = [1 - saving] + [
                1 - (rng.uniform(0, saving) if lowest or n else rng.uniform(saving, saving + 0.03))
                for n, _b in enumerate(bidders[1:])
            ]
        for (name, code, username), share in zip(bidders, shares, strict=True):
            price = Decimal(round(float(estimate) * share)).quantize(CENT)
            plan.offers.append(Offer(number, name, code, price, username))
    plan.live_bids = len(plan.offers)


def _late_contract(ctx: _Context, rng: random.Random, plans: list[Plan]) -> None:
    """One contract signed more than 30 days after the award, journalled as the service journals it
    (``late``): the sweep's red card for it is the one the history carries."""
    room = [
        p
        for p in plans
        if p.status == ProjectStatus.CONTRACTED
        and p.kind == ProjectKind.CONSTRUCTION
        and timezone.localdate(p.timeline.awarded) + timedelta(days=40) < ctx.today
    ]
    if room:
        plan = rng.choice(room)
        plan.late_contract = True
        plan.timeline.contract_at = _at(
            timezone.localdate(plan.timeline.awarded) + timedelta(days=rng.randint(33, 38)), 15
        )
