"""Fixtures shared by every context's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.clock import SuiteClock, suite_clock
from yiwang.accounts.models import AccountKind, User
from yiwang.accounts.roles import PUBLIC_ROLES, Role
from yiwang.accounts.services import api_token_issue, role_grant, user_create
from yiwang.demo.catalogue import demo_catalogue_load
from yiwang.demo.city import CENTRE_ADDRESS, demo_city_load, demo_departments
from yiwang.organisation.models import Department, Region

PASSWORD = "Correct-Horse-9"  # noqa: S105 (test accounts)


def pytest_configure(config: pytest.Config) -> None:
    config.suite_clock = suite_clock()  # type: ignore[attr-defined]


def pytest_report_header(config: pytest.Config) -> str:
    clock: SuiteClock = config.suite_clock  # type: ignore[attr-defined]
    return clock.describe()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Said again at the end, where a failure is read, so the day that broke a test can be tried again."""
    clock: SuiteClock = config.suite_clock  # type: ignore[attr-defined]
    terminalreporter.write_line(clock.describe())


# Files whose tests take a minute or more each (benchmark scripts, fuzzing, gunicorn, the browser): sent to the
# parallel workers first, so the run does not end with one worker on a long test while the other idles. The
# rest follow by number of tests, as xdist itself would order them (`make test` passes --no-loadscope-reorder).
# Within a file the order is kept (the sort is stable); pytest-django's run-wide order (transactional tests
# last) was already per worker under --dist loadfile.
HEAVY_FIRST = (
    "tests/bench/",
    "src/yiwang/core/tests/test_fuzz_api.py",
    "src/yiwang/core/tests/test_warm_workers.py",
    "tests/browser/",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    per_file: dict[str, int] = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        per_file[path] = per_file.get(path, 0) + 1

    def rank(item: pytest.Item) -> tuple[int, int, str]:
        path = item.nodeid.split("::", 1)[0]
        heavy = next((i for i, prefix in enumerate(HEAVY_FIRST) if path.startswith(prefix)), len(HEAVY_FIRST))
        return heavy, -per_file[path], path

    items.sort(key=rank)


@pytest.fixture(autouse=True)
def _suite_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts at the run's instant (tests/clock.py) and time runs on from there."""
    clock: SuiteClock = request.config.suite_clock  # type: ignore[attr-defined]
    if clock.instant is None:
        yield
        return
    with time_machine.travel(clock.instant, tick=True):
        yield


@pytest.fixture(autouse=True)
def _own_audit_anchors(settings: Any, tmp_path: Path) -> None:
    """Each test its own anchor file: heads anchored by a test whose database was rolled back are not
    on the next test's chain (audit/anchors.py)."""
    settings.YIWANG_AUDIT_ANCHOR_PATH = str(tmp_path / "audit-chain-heads.jsonl")


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_triggers() -> Iterator[None]:
    """Tests that commit are cleaned up with TRUNCATE, which the audit trail refuses on PostgreSQL
    (audit migration 0003). The suite's flush runs as ``session_replication_role = replica`` — a
    superuser's setting under which triggers do not fire; the application's role cannot set it."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def flush(self: DatabaseOperations, sql_list: list[str]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")

    DatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: rate-limit counters and cached reads of one test must not
    decide another's outcome (the suite runs in one process, against LocMem or Redis)."""
    from django.core.cache import cache

    from yiwang.core.process_copy import forget_all

    cache.clear()
    forget_all()  # the process's copies of small tables (core.process_copy) may hold a rolled-back test's rows


@pytest.fixture
def demo_city(db: None) -> None:
    demo_city_load()


@pytest.fixture
def demo_catalogue(demo_city: None) -> None:
    """The demo city's published catalogue (39 implementations)."""
    demo_catalogue_load(demo_departments(), CENTRE_ADDRESS)


@pytest.fixture
def city(demo_city: None) -> Region:
    return Region.objects.get(code="990100")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = {"n": 0}

    def make(
        role: Role | None = None,
        *,
        department: Department | None = None,
        region: Region | None = None,
        username: str | None = None,
    ) -> User:
        counter["n"] += 1
        kind = AccountKind.STAFF if role is not None and role not in PUBLIC_ROLES else AccountKind.NATURAL_PERSON
        user = user_create(
            username=username or f"user{counter['n']}",
            password=PASSWORD,
            kind=kind,
            full_name=f"测试用户{counter['n']}",
        )
        if role is not None:
            role_grant(actor=None, user=user, role=role, department=department, region=region)
        return user

    return make


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def do(user: User) -> Client:
        client.force_login(user)
        return client

    return do


@pytest.fixture
def bearer() -> Callable[[User], dict[str, str]]:
    def headers(user: User) -> dict[str, str]:
        raw, _token = api_token_issue(user=user)
        return {"Authorization": f"Bearer {raw}"}

    return headers


def totp_code(user: User, *, offset: int = 0) -> str:
    """The code an authenticator app would show for ``user`` now (``offset`` steps later)."""
    import time

    import pyotp

    from yiwang.accounts.models import TotpDevice

    device = TotpDevice.objects.get(user=user)
    return str(pyotp.TOTP(device.secret).at(time.time() + 30 * offset))


@pytest.fixture
def production_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tasks left to the workers, as in production (the suite runs them at once, in the caller): a request
    enqueues them and its figures' recount is a flag in the queue's storage — no SQL of the request's.
    For the budget tests (tests/budget.py), which count a request's statements."""
    from huey import MemoryHuey
    from huey.contrib.djhuey import HUEY

    from yiwang.core import dirty_days

    queue = MemoryHuey("budget", immediate=False)
    monkeypatch.setattr(dirty_days, "_huey", lambda: queue)
    monkeypatch.setattr(dirty_days, "_schedule", lambda scope: None)
    monkeypatch.setattr(HUEY, "execute", lambda task, *args, **kwargs: None)
