"""Performance budgets of the hot paths (docs/performance.md): CPU per request in one process and SQL
statements per request, measured by tests that fail when either grows past its budget.

``measure`` runs a request (or a pair of them) a few times after warming up and takes the *minimum* CPU
time over rounds: on a shared, noisy machine the least disturbed round is the one that tells what the
code costs. SQL statements are counted exactly (savepoints included; BEGIN and COMMIT are not statements
Django sends). With ``YIWANG_BUDGET_REPORT=<file>`` every measurement is appended to that file as a JSON
line, which ``bench/quick.py`` (``make bench-quick``) prints as a table beside the budgets.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Django sends SQLite's BEGIN and COMMIT itself and PostgreSQL's through the driver, unlogged: counted nowhere.
UNCOUNTED = frozenset({"BEGIN", "BEGIN IMMEDIATE", "COMMIT"})


@dataclass(frozen=True)
class Measured:
    name: str
    cpu_ms: float  # least CPU time of one request (or pair) over the rounds
    cpu_ms_median: float
    # statements of one request (or pair) in the steady state: the fewest of a round (a once-a-minute write,
    # such as a token's last use, falls in some rounds and not others)
    sql: int
    cpu_budget_ms: float
    sql_budget: int
    rounds: int


def measure(
    name: str,
    act: Callable[[], object],
    *,
    cpu_budget_ms: float,
    sql_budget: int,
    rounds: int = 7,
    per_round: int = 3,
    warm_up: int = 2,
) -> Measured:
    """Runs ``act`` ``warm_up`` times, then ``rounds`` rounds of ``per_round`` calls; reports and returns."""
    for _ in range(warm_up):
        act()
    if os.environ.get("YIWANG_BUDGET_PROFILE"):  # a profile of one round, for docs/performance.md
        import cProfile

        with cProfile.Profile() as profile:
            for _ in range(per_round):
                act()
        profile.dump_stats(os.environ["YIWANG_BUDGET_PROFILE"])
    times: list[float] = []
    statements: list[int] = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            started = time.process_time()
            for _ in range(per_round):
                act()
            times.append((time.process_time() - started) / per_round)
        sent = [q for q in queries.captured_queries if q["sql"] not in UNCOUNTED]
        statements.append(len(sent) // per_round)
        if os.environ.get("YIWANG_BUDGET_DUMP"):
            with open(os.environ["YIWANG_BUDGET_DUMP"], "w", encoding="utf-8") as dump:
                dump.writelines(q["sql"][:150] + "\n" for q in sent[: len(sent) // per_round])
    measured = Measured(
        name,
        round(min(times) * 1000, 1),
        round(statistics.median(times) * 1000, 1),
        min(statements),
        cpu_budget_ms,
        sql_budget,
        rounds,
    )
    report = os.environ.get("YIWANG_BUDGET_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(measured), ensure_ascii=False) + "\n")
    return measured


# In the parallel suite every core runs a test, and CPU time stretches with the sharing (caches, the other
# hyperthread): there the CPU bound is this much looser, to fail on growth and not on a busy neighbour.
# ``make bench-quick`` (one process, nothing else of ours running) holds the budget itself.
PARALLEL_SLACK = 1.6


def assert_within(measured: Measured) -> None:
    assert measured.sql <= measured.sql_budget, (
        f"{measured.name}: {measured.sql} SQL statements, budget {measured.sql_budget}"
    )
    slack = PARALLEL_SLACK if os.environ.get("PYTEST_XDIST_WORKER") else 1.0
    assert measured.cpu_ms <= measured.cpu_budget_ms * slack, (
        f"{measured.name}: {measured.cpu_ms} ms of CPU at best (median {measured.cpu_ms_median}), "
        f"budget {measured.cpu_budget_ms} ms" + (f" (× {slack} in the parallel suite)" if slack != 1 else "")
    )
