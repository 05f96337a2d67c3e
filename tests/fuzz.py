"""Fuzzing the whole API from its published OpenAPI document (schemathesis), in process.

Shared by the suite's bounded run (core/tests/test_fuzz_api.py) and the long one (bench/fuzz.py). The schema
is read from the application itself at /api/v1/openapi.json and every operation in it is called with
requests generated from that schema, both valid (positive) and invalid (negative), as each of several
callers. Every response is checked: never a 5xx; the status code, content type, headers and body are what
the document promises for that operation; and a request the document calls invalid is refused.

Nothing is raised inside the generation loop: every failure is counted and kept in a ``Tally``, so one run
reports all of them at once, and Hypothesis never spends the budget shrinking.
"""

from __future__ import annotations

import itertools
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, strategies
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA_PATH = "/api/v1/openapi.json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,  # a request the document calls invalid must be refused
]

# Operations that end the token they are called with: sent with a token of their own, or every later
# request of the caller would be a 401.
TOKEN_ENDING = frozenset({"POST /api/v1/auth/token/revoke"})


@dataclass(frozen=True)
class Caller:
    """Who sends the requests: a name for the report and the headers that identify them; ``renew`` gives
    headers with a token of its own, for the operations that end the token they are sent with."""

    name: str
    headers: dict[str, str] = field(default_factory=dict)
    renew: Callable[[], dict[str, str]] | None = None

    def headers_for(self, operation: schemathesis.APIOperation) -> dict[str, str]:
        if self.renew is not None and operation.label in TOKEN_ENDING:
            return self.renew()
        return self.headers


@dataclass
class World:
    """Who calls, and real identifiers for the path parameters: a share of the generated requests names an
    object that exists (a case in the approver's inbox, the demo hall, a published implementation) so
    they reach the handlers' logic instead of stopping at 404."""

    callers: list[Caller]
    path_values: dict[str, list[Any]]


MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday, the hall open


def world_build(make_user: Callable[..., Any], bearer: Callable[[Any], dict[str, str]]) -> World:
    """Callers and objects over the demo city and catalogue (already loaded; the demo's 12345, e-licences and
    appointment slots are loaded here if they are not). The callers: anonymous, a citizen, a general-window
    clerk of the city, the market regulator's approver, the centre's administrator, a supervisor and a
    hotline agent. The objects: a case the clerk took at the window and accepted (in the approver's inbox),
    a visit the clerk called and finished at window A01, and a 12345 ticket the agent took.
    ``make_user(role, department=, region=)`` and ``bearer(user)`` are conftest's fixtures or their like."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.files import pdf_bytes
    from yiwang.accounts.roles import Role
    from yiwang.cases import services as cases
    from yiwang.catalogue.models import ItemImplementation
    from yiwang.demo.city import demo_departments
    from yiwang.demo.hall import demo_slot_plans_load
    from yiwang.demo.hotline import demo_hotline_load
    from yiwang.demo.licences import demo_licences_load
    from yiwang.hall import services as hall
    from yiwang.hall.models import QueueCategory
    from yiwang.hotline import services as hotline
    from yiwang.organisation.models import Department, Hall, Region, Window

    departments = demo_departments()
    demo_licences_load(departments)
    demo_hotline_load(departments)
    demo_slot_plans_load(Hall.objects.get(name="综合服务大厅"))

    city = Region.objects.get(code="990100")
    market = Department.objects.get(short_name="市场监管局")
    citizen = make_user(Role.CITIZEN)
    clerk = make_user(Role.CLERK, region=city)
    approver = make_user(Role.APPROVER, department=market, region=city)
    centre_admin = make_user(Role.CENTRE_ADMIN, region=city)
    supervisor = make_user(Role.SUPERVISOR, region=city)
    agent = make_user(Role.HOTLINE_AGENT, region=city)

    implementation = ItemImplementation.objects.get(current__name="食品经营许可（新办）")
    version = implementation.current
    required = [m for m in version.materials.all() if not m.shared_data and m.necessity == "required"]
    case = cases.case_submit(
        actor=clerk,
        version=version,
        channel="window",
        applicant=cases.Applicant("legal_person", "示范餐饮有限公司", "credit_code", "91350100M000100Y43"),
        form_data={"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"},
        uploads={m.pk: SimpleUploadedFile("scan.pdf", pdf_bytes(), content_type="application/pdf") for m in required},
    )
    cases.case_accept(actor=clerk, case=case)

    window = Window.objects.get(number="A01")
    hall.queue_take(category=QueueCategory.objects.get(prefix="A"), channel="phone", device="fuzz", now=MORNING)
    hall.duty_start(actor=clerk, window=window, now=MORNING)
    visit = hall.queue_call_next(actor=clerk, now=MORNING)
    hall.queue_finish(actor=clerk, ticket=visit, now=MORNING)

    ticket = hotline.ticket_create(
        actor=agent,
        intake=hotline.Intake(
            channel="phone",
            kind="complaint",
            category_code="CX0101",
            description="康宁里夜间施工噪音扰民",
            region_code="990102002",
            caller_name="王先生",
            caller_phone="13800138000",
        ),
    )

    return World(
        callers=[
            Caller("anonymous"),
            Caller("citizen", bearer(citizen), lambda: bearer(citizen)),
            Caller("clerk", bearer(clerk), lambda: bearer(clerk)),
            Caller("approver", bearer(approver), lambda: bearer(approver)),
            Caller("centre admin", bearer(centre_admin), lambda: bearer(centre_admin)),
            Caller("supervisor", bearer(supervisor), lambda: bearer(supervisor)),
            Caller("hotline agent", bearer(agent), lambda: bearer(agent)),
        ],
        path_values={
            "number": [case.number, ticket.number],
            "code": [implementation.code, city.code],
            "version_id": [version.pk],
            "requirement_id": [m.pk for m in required[:3]],
            "department_id": [market.pk],
            "hall_id": [window.group.hall_id],
            "ticket_id": [visit.pk],
            "visit_id": [visit.pk],
        },
    )


@dataclass
class Tally:
    """What a run sent and what came back."""

    requests: int = 0
    by_class: Counter[str] = field(default_factory=Counter)
    # Per operation, the status codes it answered (which ones the generated requests got past validation);
    # per caller, the status classes.
    by_operation: dict[str, Counter[int]] = field(default_factory=dict)
    by_caller: dict[str, Counter[str]] = field(default_factory=dict)
    server_errors: int = 0
    schema_failures: int = 0
    # Cases the HTTP client could not even form (requests' cookie jar parsing a generated URL as a broken
    # IPv6 host): nothing reached the server, so they test nothing of it.
    unsendable: int = 0
    # One line per distinct problem (operation, caller, check, status): the first case that showed it.
    problems: dict[tuple[str, str, str, int], str] = field(default_factory=dict)

    @property
    def failures(self) -> int:
        return self.server_errors + self.schema_failures

    def report(self, details: int = 20) -> str:
        """Every distinct problem on a line, then the first ``details`` of them with the request that showed it."""
        lines = [f"{len(self.problems)} distinct problems in {self.requests} requests:"]
        lines += [f"- {op} as {caller}: {check} ({status})" for op, caller, check, status in self.problems]
        for (operation, caller, check, status), detail in list(self.problems.items())[:details]:
            lines.append(f"\n{operation} as {caller}: {check} ({status})\n{detail}")
        return "\n".join(lines)


# How an invalid request may be refused (negative_data_rejection): schemathesis's list, and 413 — an invalid
# body can also be one over the size limit (a list far longer than its maxItems), refused before parsing.
# (A 5xx is not_a_server_error's to report.)
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]


def load_schema() -> schemathesis.BaseSchema:
    """The published OpenAPI document, read from the Django application through WSGI (no server). The
    configuration is ours alone: a schemathesis.toml lying about is not read."""
    from django.core.wsgi import get_wsgi_application

    config = schemathesis.Config.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}}})
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application(), config=config)


def operations(schema: schemathesis.BaseSchema) -> list[schemathesis.APIOperation]:
    """Every operation of the document, in its order."""
    return [result.ok() for result in schema.get_all_operations()]


@contextmanager
def in_one_transaction() -> Iterator[None]:
    """Requests answered inside a test's transaction: as Django's test client does, the handler must not
    close the connection at the end of each request (that would end the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _strategy(operation: schemathesis.APIOperation, path_values: dict[str, list[Any]]) -> Any:
    """Valid and invalid requests for ``operation`` and, where it has path parameters we know real values of,
    valid requests naming those objects."""
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    choices = [operation.as_strategy(generation_mode=mode) for mode in modes]
    names = [parameter.name for parameter in operation.path_parameters]
    known = {name: path_values[name] for name in names if path_values.get(name)}
    if known:
        combinations = [dict(zip(known, values, strict=True)) for values in itertools.product(*known.values())]
        choices.append(
            strategies.sampled_from(combinations).flatmap(
                lambda fixed: operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=fixed)
            )
        )
    return strategies.one_of(*choices)


def _seed(seed: int, *parts: str) -> int:
    return seed ^ zlib.crc32("|".join(parts).encode())


def fuzz(
    schema: schemathesis.BaseSchema,
    world: World,
    *,
    examples: int,
    seed: int,
    tally: Tally | None = None,
    progress: Callable[[Tally], None] | None = None,
) -> Tally:
    """Sends up to ``examples`` generated requests to every operation as each caller (fewer where the
    operation's inputs allow fewer); the same ``seed`` over the same data sends the same requests.
    ``progress`` is called with the tally after each operation and caller."""
    tally = tally or Tally()
    for operation in operations(schema):
        strategy = _strategy(operation, world.path_values)
        for caller in world.callers:
            _fuzz_one(operation, strategy, caller, examples, _seed(seed, operation.label, caller.name), tally)
            if progress:
                progress(tally)
    return tally


def cover(
    schema: schemathesis.BaseSchema, world: World, *, tally: Tally, progress: Callable[[Tally], None] | None = None
) -> Tally:
    """Schemathesis's coverage cases of every operation, valid and invalid (boundary values: empty and longest
    strings, the ends of each range, each enum value, each required input left out, wrong types, methods the
    path does not take), each sent once, by the callers in turn. No randomness: the same every run."""
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    turn = itertools.cycle(world.callers)
    for operation in operations(schema):
        config = schema.config.generation_for(operation=operation)
        for case in schema.iter_coverage_cases(operation, generation_modes=modes, generation_config=config):
            _send(operation, case, next(turn), tally)
        if progress:
            progress(tally)
    return tally


def _fuzz_one(
    operation: schemathesis.APIOperation, strategy: Any, caller: Caller, examples: int, seed: int, tally: Tally
) -> None:
    @hypothesis.seed(seed)
    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @hypothesis.given(case=strategy)
    def send(case: schemathesis.Case) -> None:
        _send(operation, case, caller, tally)

    send()


def _send(operation: schemathesis.APIOperation, case: schemathesis.Case, caller: Caller, tally: Tally) -> None:
    headers = caller.headers_for(operation)
    try:
        response = case.call(headers=headers)
    except ValueError as error:  # raised while forming the request, before anything is sent
        if "URL" not in str(error):
            raise
        tally.unsendable += 1
        return
    status_class = f"{response.status_code // 100}xx"
    tally.requests += 1
    tally.by_class[status_class] += 1
    tally.by_operation.setdefault(operation.label, Counter())[response.status_code] += 1
    tally.by_caller.setdefault(caller.name, Counter())[status_class] += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as group:
        if response.status_code >= 500:
            tally.server_errors += 1
        else:
            tally.schema_failures += 1
            tally.by_caller[caller.name]["schema failures"] += 1
        for failure in group.exceptions:
            key = (operation.label, caller.name, type(failure).__name__, response.status_code)
            if key not in tally.problems:
                tally.problems[key] = _describe(case, response, failure)


def _describe(case: schemathesis.Case, response: Any, failure: Any) -> str:
    body = response.content[:300].decode("utf-8", "replace") if response.content else ""
    return (
        f"  {failure.title}: {str(failure.message)[:400]}\n"
        f"  request: {case.method} {case.formatted_path} query={case.query!r} body={_short(case.body)}\n"
        f"  response {response.status_code}: {body}"
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 300 else text[:300] + "…"
