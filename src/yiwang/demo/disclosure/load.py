"""The demo's disclosure year, put together: the last full year complete (every requester kind and channel,
every outcome and ground, a fee, an extension, appeals) and this year as far as it has gone, for 政数局 — the
service centre's body, whose catalogue also receives the guides, trading notices and 12345 bulletins — and
for 市场监管局 with its penalty and licensing decisions; activity records for the 2016 report; the office's
desk at the demo's now; the hourly watch and the feeds run once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.demo.disclosure.asks import (
    CARRIED_ASK,
    CARRIED_IN_ASK,
    LAW_FIRM_MONTH,
    MARKET_ASKS,
    NOW_ASKS,
    SERVICES_ASKS,
    Ask,
)
from yiwang.demo.disclosure.content import (
    COMPLAINT,
    MARKET,
    MARKET_MEETINGS,
    MARKET_NORMATIVE,
    MEETINGS,
    OFFICE_YEAR,
    RESPONSES,
    SERVICES,
    SERVICES_NORMATIVE,
    Office,
    market_year,
    services_year,
)
from yiwang.demo.disclosure.items import (
    annual_report_story,
    catalogue_story,
    holiday_stories,
    normative_story,
    waiting_stories,
    withdrawn_story,
    year_items,
)
from yiwang.demo.disclosure.requests import ask_story
from yiwang.demo.disclosure.scene import Scene
from yiwang.demo.disclosure.timeline import Timeline, Workdays
from yiwang.disclosure import services
from yiwang.disclosure.feeds import feeds_collect
from yiwang.disclosure.models import DisclosureGuide
from yiwang.disclosure.services.supervision import disclosure_sweep
from yiwang.organisation.models import Department

# Requests of this year are replied by then at the latest, so that most of them are done at the demo's now.
SETTLED_DAYS = 45
# The last full year's requests arrive by then (and the law firm's month is June).
LAST_ARRIVAL = (12, 5)


@dataclass
class DisclosureSummary:
    items: int = 0
    requests: int = 0
    replies: int = 0
    appeals: int = 0
    steps: int = 0
    fed: int = 0


def demo_disclosure_load(departments: dict[str, Department]) -> DisclosureSummary:
    """Replays the year once: a body whose office has its guide already is left as it is. The catalogue is
    brought up to date with the other contexts' publications either way."""
    summary = DisclosureSummary()
    if not DisclosureGuide.objects.filter(body=departments[SERVICES.key]).exists():
        with transaction.atomic():
            scene = _scene(departments)
            _plan(scene)
            scene.timeline.run()
            for office in (SERVICES, MARKET):
                offices, points, full_time, part_time, budget = OFFICE_YEAR[office.key]
                for year in (scene.year - 1, scene.year):
                    services.office_year_save(
                        actor=scene.user(office.officer), body=scene.body(office), year=year, offices=offices,
                        reading_points=points, full_time_staff=full_time, part_time_staff=part_time, budget=budget,
                    )  # fmt: skip
            disclosure_sweep()
        summary = DisclosureSummary(
            items=scene.made["items"],
            requests=scene.made["requests"],
            replies=scene.made["replies"],
            appeals=scene.made["appeals"],
            steps=scene.timeline.run_count,
        )
    fed = feeds_collect()
    summary.fed = fed.guides + fed.trading + fed.bulletins
    return summary


def _scene(departments: dict[str, Department]) -> Scene:
    today = timezone.localdate()
    usernames = {name for office in (SERVICES, MARKET) for name in (office.officer, office.reviewer, office.head)}
    usernames |= {"demo-citizen", "demo-senior", "demo-company", "demo-bidder"}
    return Scene(
        timeline=Timeline(timezone.now()),
        days=Workdays(date(today.year - 2, 1, 1), date(today.year, 12, 31)),
        today=today,
        users={user.username: user for user in User.objects.filter(username__in=usernames)},
        bodies={office.key: departments[office.key] for office in (SERVICES, MARKET)},
    )


def _plan(scene: Scene) -> None:
    days, this_year = scene.days, scene.year
    last = this_year - 1
    start = days.on_or_after(date(last - 1, 3, 2))
    catalogue_story(scene, SERVICES, start)
    catalogue_story(scene, MARKET, days.after(start, 1))
    for offset, documents in SERVICES_NORMATIVE.items():
        for document in documents:
            normative_story(scene, SERVICES, document, this_year + offset)
    for offset, documents in MARKET_NORMATIVE.items():
        for document in documents:
            normative_story(scene, MARKET, document, this_year + offset)
    for year in (last, this_year):
        year_items(scene, SERVICES, services_year(year), year)
        year_items(scene, MARKET, market_year(year), year)
        # 市场监管局's records begin in the last full year: its first report is of that year.
        for office in (SERVICES, MARKET) if year == this_year else (SERVICES,):
            annual_report_story(scene, office, year)
        _activity(scene, year)
    withdrawn_story(scene, SERVICES, last)
    holiday_stories(scene, SERVICES, date(last, 1, 6))
    waiting_stories(scene, SERVICES)

    # Requests: across the new year into the last full year, the whole of it, this year so far, and now.
    ask_story(scene, SERVICES, CARRIED_IN_ASK, days.on_or_before(date(last - 1, 12, 18)), lag=15)
    full_until = min(date(last, *LAST_ARRIVAL), scene.today - timedelta(days=60))
    _spread(scene, SERVICES, SERVICES_ASKS, date(last, 1, 6), full_until, len(SERVICES_ASKS))
    _spread(scene, MARKET, MARKET_ASKS, date(last, 1, 6), full_until, len(MARKET_ASKS))
    for ask, received in zip(LAW_FIRM_MONTH, days.between(date(last, 6, 1), date(last, 6, 30)), strict=False):
        ask_story(scene, SERVICES, ask, received, lag=8)
    ask_story(scene, SERVICES, CARRIED_ASK, days.on_or_before(date(last, 12, 22)), lag=16)
    first, settled = date(this_year, 1, 6), scene.today - timedelta(days=SETTLED_DAYS)
    share = max(0.0, (settled - first).days / 330)
    _spread(scene, SERVICES, SERVICES_ASKS, first, settled, round(len(SERVICES_ASKS) * min(share, 1.0)))
    _spread(scene, MARKET, MARKET_ASKS, first, settled, round(len(MARKET_ASKS) * min(share, 1.0)))
    for working_days_ago, ask in NOW_ASKS:
        ask_story(scene, SERVICES, ask, days.before(scene.today, working_days_ago))


def _spread(scene: Scene, office: Office, asks: tuple[Ask, ...], first: date, last: date, count: int) -> None:
    """``count`` of ``asks`` (all, or a sample across the list) arriving evenly from ``first`` to ``last``."""
    if count <= 0 or last <= first:
        return
    chosen = sorted({index * len(asks) // count for index in range(count)})
    span = (last - first).days
    for position, index in enumerate(chosen):
        received = scene.days.on_or_after(first + timedelta(days=span * position // len(chosen)))
        ask_story(scene, office, asks[index], received, lag=5 + (index * 7) % 11)


def _activity(scene: Scene, year: int) -> None:
    """What the 2016 report counts besides items and requests, recorded on the day it happened."""
    days = scene.days
    for office, meetings in ((SERVICES, MEETINGS), (MARKET, MARKET_MEETINGS)):
        officer, body = scene.user(office.officer), scene.body(office)
        for month, day, kind, title, attendees in meetings:
            on = days.on_or_after(date(year, month, day))
            record = partial(
                services.meeting_record, actor=officer, body=body, kind=kind, title=title, on=on, attendees=attendees
            )
            scene.timeline.story().then(on, 17, record)
    officer, body = scene.user(SERVICES.officer), scene.body(SERVICES)
    for month, day, kind, topic, principal in RESPONSES:
        on = days.on_or_after(date(year, month, day))
        respond = partial(
            services.response_record, actor=officer, body=body, kind=kind, topic=topic, on=on,
            principal_attended=principal,
        )  # fmt: skip
        scene.timeline.story().then(on, 17, respond)
    if year == scene.year - 1:
        month, day, summary = COMPLAINT
        on = days.on_or_after(date(year, month, day))
        complain = partial(services.complaint_record, actor=officer, body=body, summary=summary, received_on=on)
        scene.timeline.story().then(on, 17, complain)
