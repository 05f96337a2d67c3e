"""The suite's clock: every test starts at one instant chosen by a seed, not at the machine's date.

A test that only passes on the day it was written (a Monday morning, office hours, a year the
working-day calendar knows) fails on another day of the year. To find such tests before the
calendar does, the suite moves the clock to a day of a kind that breaks assumptions — a weekend, a
statutory holiday, a 调休 make-up working day, the first working day after 春节, the middle of the
night, New Year's Eve at 23:59 in Asia/Shanghai — and prints the seed, so that a failure is
reproduced with the same seed. Each run tries another day at no extra cost.

``YIWANG_TEST_CLOCK_SEED=<n>`` repeats a run's day; ``YIWANG_TEST_CLOCK=2026-12-31T23:59:00`` pins an
instant (Asia/Shanghai); ``YIWANG_TEST_CLOCK=real`` runs on the machine's own clock.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEED_VARIABLE = "YIWANG_TEST_CLOCK_SEED"
PIN_VARIABLE = "YIWANG_TEST_CLOCK"
# Years whose holidays and make-up days the installed chinesecalendar knows, so every kind of day exists.
YEARS = (2025, 2026)


@dataclass(frozen=True)
class SuiteClock:
    instant: datetime | None  # None: the machine's own clock
    kind: str
    seed: int | None

    def describe(self) -> str:
        if self.instant is None:
            return "test clock: the machine's own (YIWANG_TEST_CLOCK=real)"
        when = self.instant.isoformat(sep=" ", timespec="seconds")
        rerun = f"; again with {SEED_VARIABLE}={self.seed}" if self.seed is not None else ""
        return f"test clock: every test starts at {when} ({self.kind}){rerun}"


def _days(year: int) -> dict[str, list[tuple[date, str]]]:
    kinds: dict[str, list[tuple[date, str]]] = {
        "working": [],
        "weekend": [],
        "holiday": [],
        "make_up": [],
        "after_holiday": [],
    }
    days_off = 0
    day = date(year, 1, 1)
    while day.year == year:
        holiday, name = chinese_calendar.get_holiday_detail(day)
        weekend = day.weekday() >= 5
        if holiday and name and not weekend:
            kinds["holiday"].append((day, str(name)))
        elif holiday:
            kinds["weekend"].append((day, ""))
        elif weekend:
            kinds["make_up"].append((day, ""))
        else:
            kinds["working"].append((day, ""))
        if not holiday and days_off >= 3:
            kinds["after_holiday"].append((day, ""))
        days_off = days_off + 1 if holiday else 0
        day += timedelta(days=1)
    return kinds


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=SHANGHAI)


def clock_for_seed(seed: int) -> SuiteClock:
    """The instant of a seed: first a kind of day, then a day of that kind and a time of day."""
    rng = random.Random(seed)
    year = rng.choice(YEARS)
    days = _days(year)
    kinds = ["office hours", "night", "weekend", "holiday", "make-up working day", "new year's eve", "after a holiday"]
    kind = rng.choice(kinds)
    if kind == "new year's eve":
        return SuiteClock(_at(date(year, 12, 31), time(23, 59)), "New Year's Eve, 23:59", seed)
    if kind == "after a holiday":
        # Two calendar weeks back may hold only four working days: a test counting calendar days shows here.
        day, _ = rng.choice(days["after_holiday"])
        moment = time(rng.randint(9, 16), rng.randint(0, 59), rng.randint(0, 59))
        return SuiteClock(_at(day, moment), "the first working day after a long holiday", seed)
    if kind == "office hours":
        day, _ = rng.choice(days["working"])
        moment = time(rng.randint(9, 16), rng.randint(0, 59), rng.randint(0, 59))
        return SuiteClock(_at(day, moment), "a working day in office hours", seed)
    if kind == "night":
        day, _ = rng.choice(days["working"])
        moment = time(rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 20, 21, 22, 23]), rng.randint(0, 59), rng.randint(0, 59))
        return SuiteClock(_at(day, moment), "a working day at night", seed)
    moment = time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
    if kind == "weekend":
        day, _ = rng.choice(days["weekend"])
        return SuiteClock(_at(day, moment), "a weekend", seed)
    if kind == "holiday":
        day, name = rng.choice(days["holiday"])
        return SuiteClock(_at(day, moment), f"a statutory holiday: {name}", seed)
    day, _ = rng.choice(days["make_up"])
    return SuiteClock(_at(day, moment), "a 调休 make-up working day", seed)


def suite_clock() -> SuiteClock:
    """The clock of this run, from the environment; a new seed (exported for xdist's workers) otherwise."""
    pinned = os.environ.get(PIN_VARIABLE, "").strip()
    if pinned.lower() == "real":
        return SuiteClock(None, "real", None)
    if pinned:
        instant = datetime.fromisoformat(pinned)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=SHANGHAI)
        return SuiteClock(instant, f"pinned by {PIN_VARIABLE}", None)
    seed_text = os.environ.get(SEED_VARIABLE, "").strip()
    if not seed_text:
        seed_text = str(random.SystemRandom().randint(1, 999_999))
        os.environ[SEED_VARIABLE] = seed_text  # xdist's workers start later and inherit it
    return clock_for_seed(int(seed_text))
