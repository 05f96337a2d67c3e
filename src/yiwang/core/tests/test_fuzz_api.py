"""The whole API fuzzed from its own OpenAPI document (issue 17): a bounded, seeded run in every ``make test``.

Every operation of /api/v1/openapi.json gets generated requests, valid and invalid, as an anonymous caller, a
citizen, a general-window clerk, a department's approver, the centre's administrator, a supervisor and a
hotline agent; some name real objects (a case in the approver's inbox, the demo hall, a 12345 ticket). None
may be answered with a 5xx, every answer must be one the document promises for that operation (its status
code, content type, headers and body schema), and a request the document calls invalid must be refused. The
requests are the same every run (a fixed seed); bench/fuzz.py runs the same fuzzing far longer. Harness:
tests/fuzz.py. A failure lists every distinct problem with the first request that showed it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from tests.fuzz import fuzz, in_one_transaction, load_schema, world_build
from yiwang.accounts.models import User

SEED = int(os.environ.get("YIWANG_FUZZ_SEED", "20260517"))
EXAMPLES = int(os.environ.get("YIWANG_FUZZ_EXAMPLES", "5"))  # per operation and caller


@pytest.mark.usefixtures("demo_catalogue")
def test_no_operation_answers_a_5xx_or_outside_its_published_schema(
    make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> None:
    world = world_build(make_user, bearer)
    with in_one_transaction():
        tally = fuzz(load_schema(), world, examples=EXAMPLES, seed=SEED)

    assert tally.requests >= 1000, tally.requests
    assert tally.failures == 0, tally.report()
