"""Long fuzzing run over the whole API (issue 17): the suite's bounded run (core/tests/test_fuzz_api.py), far longer.

    .venv/bin/python bench/fuzz.py                              # 10,000 requests, SQLite in memory
    .venv/bin/python bench/fuzz.py --requests 50000 --seed 7
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yiwang_bench .venv/bin/python bench/fuzz.py

Every operation of /api/v1/openapi.json gets requests that schemathesis generates from the document, valid
and invalid, as each caller of tests/fuzz.py (anonymous, citizen, window clerk, approver, centre
administrator, supervisor, hotline agent), in rounds of a few requests per operation and caller, each round
with the next seed, until at least --requests were sent. The application answers in process (WSGI, no
server), against a fresh test database (as the suite makes one: in memory on SQLite, ``test_<name>`` on the
``DATABASE_URL``'s PostgreSQL, dropped at the end) holding the demo city, catalogue, e-licences, 12345 and
the objects tests/fuzz.py makes. Prints the requests sent, the responses by status class and by caller,
server errors (5xx) and schema failures (a status code, content type, header or body the document does not
promise, or an invalid request accepted), with the first request that showed each problem; writes the
figures as JSON under bench/results/, and exits 1 if there was any failure. The same seed over the same
code sends the same requests.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ["DJANGO_SETTINGS_MODULE"] = "yiwang.settings_test"


def _accounts() -> tuple[Any, Any]:
    """``make_user`` and ``bearer`` as conftest.py has them."""
    from yiwang.accounts.models import AccountKind
    from yiwang.accounts.roles import PUBLIC_ROLES
    from yiwang.accounts.services import api_token_issue, role_grant, user_create

    count = 0

    def make_user(role: Any = None, *, department: Any = None, region: Any = None) -> Any:
        nonlocal count
        count += 1
        kind = AccountKind.STAFF if role is not None and role not in PUBLIC_ROLES else AccountKind.NATURAL_PERSON
        user = user_create(username=f"fuzz{count}", password=None, kind=kind, full_name=f"模糊测试{count}")
        if role is not None:
            role_grant(actor=None, user=user, role=role, department=department, region=region)
        return user

    def bearer(user: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_token_issue(user=user)[0]}"}

    return make_user, bearer


@dataclass
class Run:
    engine: str
    operations: int
    callers: int
    seed: int
    covered: int = 0  # requests of the coverage pass
    rounds: int = 0
    examples: int = 0  # per operation and caller in a round
    seconds: float = 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000, help="send at least this many requests")
    parser.add_argument("--seed", type=int, default=20260517, help="seed of the first round")
    parser.add_argument("--no-coverage", action="store_true", help="skip the coverage pass (boundary values)")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-fuzz", help="uploaded files, logs")
    args = parser.parse_args()

    os.environ["YIWANG_VAR_DIR"] = str(args.var_dir)
    args.var_dir.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from tests.fuzz import Tally, cover, fuzz, load_schema, operations, world_build
    from yiwang.demo.catalogue import demo_catalogue_load
    from yiwang.demo.city import CENTRE_ADDRESS, demo_city_load, demo_departments

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        cache.clear()
        demo_city_load()
        demo_catalogue_load(demo_departments(), CENTRE_ADDRESS)
        world = world_build(*_accounts())
        schema = load_schema()  # sets Django up again for WSGI, logging included
        # Thousands of 4xx are the point here, and Django warns of each. A 5xx's traceback is still logged.
        logging.getLogger("django").setLevel(logging.ERROR)
        run = Run(connection.vendor, len(operations(schema)), len(world.callers), args.seed)
        # About ten rounds for the default budget.
        run.examples = max(1, math.ceil(args.requests / (run.operations * run.callers) / 10))
        tally = Tally()
        started = time.perf_counter()
        shown = started

        def progress(tally: Tally) -> None:
            nonlocal shown
            if (now := time.perf_counter()) - shown > 15:
                shown = now
                stage = f"round {run.rounds + 1}" if tally.requests > run.covered else "coverage"
                print(f"  {stage}: {tally.requests:,} requests, {tally.failures} failures", file=sys.stderr)

        # First schemathesis's coverage cases (boundary values), once each; then rounds of a few generated
        # requests per operation and caller, each round with the next seed, until the budget is spent.
        if not args.no_coverage:
            cover(schema, world, tally=tally, progress=progress)
        run.covered = tally.requests
        while tally.requests < args.requests:
            fuzz(schema, world, examples=run.examples, seed=args.seed + run.rounds, tally=tally, progress=progress)
            run.rounds += 1
        run.seconds = time.perf_counter() - started
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    _report(tally, run)
    if tally.failures:
        raise SystemExit(1)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _report(tally: Any, run: Run) -> None:
    classes = ["2xx", "3xx", "4xx", "5xx"]
    reached = sum(1 for statuses in tally.by_operation.values() if any(200 <= s < 300 for s in statuses))
    seeds = f"seeds {run.seed}–{run.seed + run.rounds - 1}" if run.rounds > 1 else f"seed {run.seed}"
    print(
        f"\nYiwang API fuzzing — {run.engine}, in process: {run.operations} operations × {run.callers} callers; "
        f"{run.covered:,} coverage cases, then {_plural(run.rounds, 'round')} of up to "
        f"{_plural(run.examples, 'generated request')} per operation and caller ({seeds})\n"
    )
    header = f"{'caller':<14} {'requests':>9} " + " ".join(f"{c:>7}" for c in classes) + f" {'schema fail':>11}"
    print(header)
    print("-" * len(header))
    for name, counts in [*tally.by_caller.items(), ("all", None)]:
        row = counts if counts is not None else {**tally.by_class, "schema failures": tally.schema_failures}
        sent = sum(row.get(c, 0) for c in classes)
        print(
            f"{name:<14} {sent:>9,} "
            + " ".join(f"{row.get(c, 0):>7,}" for c in classes)
            + f" {row.get('schema failures', 0):>11,}"
        )
    print(
        f"\nrequests sent: {tally.requests:,} in {run.seconds:.0f}s ({tally.requests / run.seconds:.0f}/s)\n"
        f"server errors (5xx): {tally.server_errors}\n"
        f"schema failures: {tally.schema_failures}\n"
        f"operations answering 2xx at least once: {reached} of {run.operations}"
    )
    if tally.problems:
        print("\n" + tally.report())
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = {
        **asdict(run),
        "requests": tally.requests,
        "by_class": dict(tally.by_class),
        "server_errors": tally.server_errors,
        "schema_failures": tally.schema_failures,
        "by_caller": {name: dict(counts) for name, counts in tally.by_caller.items()},
        "by_operation": {label: dict(statuses) for label, statuses in tally.by_operation.items()},
        "problems": [" / ".join(map(str, key)) for key in tally.problems],
    }
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out_dir / f"fuzz-{run.engine}-{stamp}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
