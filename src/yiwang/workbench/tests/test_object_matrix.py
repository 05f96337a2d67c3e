"""Every object kind of every context × who asks, by API and by page (issue 17).

One world is built once for the module (two regions, their departments and staff, an owner citizen and
an owner company, and one object of each kind), and every test runs in a savepoint of it. ``ROWS`` lists
each URL that reads or changes an object with the actors allowed through; every other actor of
``ACTORS`` must be refused:

- allowed: the row's ``ok`` statuses; a read shows the object's marker (or is a PDF), a write changes the
  object (unless ``changes=False``: let through, then refused for the object's state — 409);
- refused: 403 or 404 (the Django admin: 302 back to its index) — the API 401 and a page 302 to the login
  page for anonymous (``anonymous`` where a link's token is the other way in) — never the object's
  marker in the body, never a 500, and for a write the object's rows in the database unchanged;
- ``sees``: staff who may open the object but whose step the service refuses; the page says so
  (302 back to the object with the message), the API answers 403, and nothing is changed;
- a listing answers 200 to everyone who may list; only the allowed find the object in it.

Who owns what: the company (示范餐饮有限公司) applied online for 食品经营许可 twice — one case waits for
correction (its materials and 补正通知书), the other is concluded (its e-licence, its rating and the
remediation the 差评 opened) — and keeps a draft; the citizen booked a hall appointment and called 12345
through the city's app (the ticket is dispatched to 市场监管局; a caller follows a ticket by SMS and
Open311 token, not by account, so no account row allows the caller); the market regulator's officer
started a licence import (the job). The department's staff are 市场监管局's (approver, head, department
administrator, handling officer), the region's are 示范市's (clerk, centre administrator, supervisor,
hotline agent, dispatcher); "other department" holds the same department roles at 公安局, "other region"
every role in 邻市.

ROWS × ACTORS: 60 URLs × 9 actors = 540 cases; then the idempotency replays (the case key replayed by the
8 other actors, the ticket key by the 9 actors and another channel: 18 cases) and the holes found with the
matrix (a hall kiosk of another region checked the appointment in: a matrix row; a channel's attachments;
the duplicates of a ticket).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from tests.files import pdf_bytes

ANON, CITIZEN, COMPANY, CITIZEN2, COMPANY2 = "anonymous", "citizen", "company", "other_citizen", "other_company"
DEPT, REGION, OTHER_DEPT, OTHER_REGION = "department", "region", "other_department", "other_region"
ACTORS = (CITIZEN, COMPANY, CITIZEN2, COMPANY2, DEPT, REGION, OTHER_DEPT, OTHER_REGION, ANON)
EVERYONE = frozenset(ACTORS)
STAFF = frozenset({DEPT, REGION})

FOOD = "食品经营许可（新办）"
COMPANY_CODE = "91350100M000100Y43"
CITIZEN_PHONE = "13600136017"
RATING_COMMENT = "窗口让我跑了三次MATRIX"
FORM = {"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"}
KEY = "owner-key-17"  # the owners' Idempotency-Key


def _pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes("matrix"), content_type="application/pdf")


# --- the table -----------------------------------------------------------------------------------------

Body = dict[str, Any] | Callable[["World"], dict[str, Any]] | None
READ = frozenset({200})
WRITE = frozenset({200, 201, 204, 302})


@dataclass(frozen=True)
class Row:
    kind: str
    method: str
    url: str  # a template over World.params()
    allowed: frozenset[str]
    body: Body = None
    json: bool = False  # the body as JSON (else multipart, as a form)
    ok: frozenset[int] | None = None  # what the allowed get; READ or WRITE by the method if None
    sees: frozenset[str] = frozenset()
    listing: bool = False
    never: str = ""  # a World attribute whose value no answer may show (personal data of public reads)
    anonymous: frozenset[int] | None = None  # what anonymous gets, if not the rule for API / pages
    changes: bool = True  # whether an allowed write changes the object (False: refused later for its state)

    @property
    def api(self) -> bool:
        return self.url.startswith("/api/")

    @property
    def write(self) -> bool:
        return self.method != "GET"

    @property
    def expected_ok(self) -> frozenset[int]:
        return self.ok if self.ok is not None else (WRITE if self.write else READ)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.method} {self.url}"


def _material(w: World) -> dict[str, Any]:
    return {f"material_{w.correction_req}": _pdf()}


def _file(w: World) -> dict[str, Any]:
    return {"file": _pdf()}


OWNER = frozenset({COMPANY})
CASE_PEOPLE = frozenset({COMPANY, DEPT, REGION})
# fmt: off
ROWS: tuple[Row, ...] = (
    # cases: the API (applicant and staff), the online hall (applicant), the workbench (staff)
    Row("case", "GET", "/api/v1/cases/{case}", CASE_PEOPLE),
    Row("case", "GET", "/api/v1/cases", CASE_PEOPLE, listing=True),
    Row("case", "POST", "/api/v1/cases/{case}/materials", frozenset({COMPANY, REGION}), body=_material),
    Row("case", "POST", "/api/v1/cases/{case}/actions/withdraw", frozenset({COMPANY, REGION}),
        body={"reason": "不办了"}, json=True),
    Row("case", "POST", "/api/v1/cases/{case}/actions/terminate", frozenset({DEPT}),
        body={"reason": "申请人死亡"}, json=True),
    Row("case", "GET", "/my/cases/{case}/", OWNER),
    Row("case", "GET", "/my/", OWNER, listing=True),
    Row("case", "POST", "/my/cases/{case}/materials/", OWNER, body=_material),
    Row("case", "POST", "/my/cases/{case}/withdraw/", OWNER, body={"reason": "不办了"}),
    Row("case", "POST", "/my/cases/{case}/delivery/", OWNER, body={"method": "electronic"}),
    Row("case", "GET", "/workbench/cases/{case}/", STAFF),
    Row("case", "GET", "/admin/cases/case/{case_pk}/change/", frozenset({REGION})),  # the centre's, read-only
    Row("case", "POST", "/workbench/cases/{case}/withdraw/", frozenset({REGION}), body={"reason": "不办了"},
        sees=frozenset({DEPT})),
    Row("case", "POST", "/workbench/cases/{case}/materials/", frozenset({REGION}), body=_material,
        sees=frozenset({DEPT})),
    # a submitted material, a written notice
    Row("material", "GET", "/api/v1/cases/{case}/materials/{stored_req}/file", CASE_PEOPLE),
    Row("notice", "GET", "/api/v1/cases/{case}/notices/correction", CASE_PEOPLE),
    Row("notice", "GET", "/my/cases/{case}/notices/correction.pdf", OWNER),
    # a draft of the online hall
    Row("draft", "GET", "/my/drafts/{draft}/", OWNER),
    Row("draft", "POST", "/my/drafts/{draft}/save/", OWNER, body={"field_area": "80"}),
    Row("draft", "POST", "/my/drafts/{draft}/files/{draft_req}/", OWNER, body=_file),
    Row("draft", "POST", "/my/drafts/{draft}/check/", OWNER, body={"field_area": "80"},
        ok=frozenset({200, 422})),
    Row("draft", "POST", "/my/drafts/{draft}/submit/", OWNER, body={"field_area": "80"},
        ok=frozenset({302, 422})),
    Row("draft", "POST", "/my/drafts/{draft}/discard/", OWNER),
    # an e-licence: the holder's wallet, the issuing department's desk, public verification
    Row("licence", "GET", "/licences/mine/{licence}/", OWNER),
    Row("licence", "POST", "/licences/mine/{licence}/share/", OWNER,
        body={"recipient": "示范银行", "purpose": "开户", "days": "7"}),
    Row("licence", "POST", "/licences/mine/{licence}/share/{share_link}/revoke/", OWNER),
    Row("licence", "GET", "/licences/{licence}.pdf", OWNER),
    Row("licence", "GET", "/licences/manage/{licence}/", frozenset({DEPT})),
    Row("licence", "POST", "/licences/manage/{licence}/revoke/", frozenset({DEPT}), body={"reason": "以欺骗手段取得"}),
    Row("licence", "GET", "/licences/verify/?identifier={licence}", EVERYONE, never="company_code"),
    # a 12345 ticket: the centre (region) and the unit it was sent to (department)
    Row("ticket", "GET", "/api/v1/hotline/tickets/{ticket}", STAFF),
    Row("ticket", "GET", "/api/v1/hotline/tickets", STAFF, listing=True),
    Row("ticket", "POST", "/api/v1/hotline/tickets/{ticket}/actions/sign", frozenset({DEPT}), body={}, json=True),
    Row("ticket", "POST", "/api/v1/hotline/tickets/{ticket}/actions/supervise", frozenset({REGION}),
        body={"note": "请加快办理"}, json=True),
    Row("ticket", "GET", "/workbench/hotline/tickets/{ticket}/", STAFF),
    Row("ticket", "GET", "/workbench/hotline/caller/?caller_phone={citizen_phone}", frozenset({REGION}),
        listing=True, never="citizen_phone"),  # the caller's earlier tickets, for the agent taking a call
    Row("ticket", "POST", "/workbench/hotline/tickets/{ticket}/sign/", frozenset({DEPT}), sees=frozenset({REGION})),
    Row("ticket", "GET", "/open311/v2/requests/{ticket}.json", EVERYONE, never="citizen_phone"),
    # its attachment
    Row("attachment", "GET", "/api/v1/hotline/tickets/{ticket}/attachments/{attachment}", STAFF),
    Row("attachment", "POST", "/api/v1/hotline/tickets/{ticket}/attachments", STAFF, body=_file,
        ok=frozenset({201})),
    Row("attachment", "POST", "/workbench/hotline/tickets/{ticket}/attach/", STAFF, body=_file),
    # a hall appointment: the person's, and the region's kiosk that checks it in
    Row("appointment", "GET", "/api/v1/hall/appointments", frozenset({CITIZEN}), listing=True),
    Row("appointment", "DELETE", "/api/v1/hall/appointments/{appointment}", frozenset({CITIZEN})),
    Row("appointment", "POST", "/api/v1/hall/halls/{hall}/check-in", frozenset({REGION}),
        body=lambda w: {"code": w.appointment_code}, json=True),
    Row("appointment", "GET", "/hall/appointments/", frozenset({CITIZEN}), listing=True),
    Row("appointment", "POST", "/hall/appointments/{appointment}/cancel/", frozenset({CITIZEN})),
    Row("appointment", "POST", "/hall/{hall}/take/?k={hall_token}", frozenset({CITIZEN}),
        body=lambda w: {"appointment": str(w.appointment)}),
    Row("appointment", "POST", "/workbench/hall/kiosk/{hall}/", frozenset({REGION}),
        body=lambda w: {"code": w.appointment_code}),
    # a rating of the concluded case, and the remediation its 差评 opened
    Row("rating", "POST", "/api/v1/ratings/cases/{case_done}", OWNER, body={"level": 5}, json=True,
        ok=frozenset({409}), changes=False, anonymous=frozenset({403})),  # rated already; or by the link's token
    Row("rating", "PATCH", "/api/v1/ratings/{rating}", OWNER, body={"level": 1, "comment": "还是不满意"}, json=True),
    Row("rating", "GET", "/api/v1/ratings?bad=true", STAFF, listing=True),
    Row("rating", "GET", "/workbench/evaluation/ratings/", STAFF, listing=True),
    Row("remediation", "GET", "/api/v1/ratings/remediations/{remediation}", STAFF),
    Row("remediation", "GET", "/api/v1/ratings/remediations?queue=pending", STAFF, listing=True),
    Row("remediation", "POST", "/api/v1/ratings/remediations/{remediation}/contact", frozenset({DEPT}),
        body={"note": "已电话联系企业", "mode": "immediate"}, json=True),
    Row("remediation", "POST", "/api/v1/ratings/remediations/{remediation}/return-visit", frozenset({REGION}),
        body={"note": "企业表示满意", "satisfied": True}, json=True, ok=frozenset({409}), changes=False),  # not yet
    Row("remediation", "GET", "/workbench/evaluation/remediations/{remediation}/", STAFF),
    Row("remediation", "POST", "/workbench/evaluation/remediations/{remediation}/contact/", frozenset({DEPT}),
        body={"note": "已电话联系企业", "mode": "immediate", "verified": "yes"}, sees=frozenset({REGION})),
    # a background job: only whoever started it
    Row("job", "GET", "/workbench/jobs/{job}/", frozenset({DEPT})),
    Row("job", "GET", "/workbench/jobs/{job}/status/", frozenset({DEPT})),
)
# fmt: on


# --- the world ---------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # raw bearer tokens of each actor
    channel_key: str = ""  # the city app's API key, the ticket's channel
    other_channel_key: str = ""
    case: str = ""
    case_done: str = ""
    case_pk: int = 0
    correction_req: int = 0  # the material the correction notice asks for again
    stored_req: int = 0  # a material with its file
    draft: str = ""
    draft_req: int = 0
    licence: str = ""
    share_link: int = 0
    ticket: str = ""
    attachment: int = 0
    hall: int = 0
    appointment: int = 0
    appointment_code: str = ""
    rating: int = 0
    remediation: int = 0
    job: str = ""
    company_code: str = COMPANY_CODE
    citizen_phone: str = CITIZEN_PHONE

    def params(self) -> dict[str, Any]:
        from yiwang.hall.rules import hall_token
        from yiwang.hall.selectors import policy_of
        from yiwang.organisation.models import Hall

        values = {k: v for k, v in self.__dict__.items() if isinstance(v, str | int)}
        hall = Hall.objects.get(pk=self.hall)
        values["hall_token"] = hall_token(hall.pk, timezone.now(), policy_of(hall).qr_rotate_seconds)
        return values

    def marker(self, kind: str) -> str:
        """What only someone who may see the object finds in an answer about it."""
        return {
            "case": self.case, "material": self.case, "notice": self.case, "draft": self.draft,
            "licence": self.licence, "ticket": self.ticket, "attachment": self.ticket,
            "appointment": self.appointment_code, "rating": RATING_COMMENT, "remediation": RATING_COMMENT,
            "job": self.job,
        }[kind]  # fmt: skip


def _people(w: World) -> None:
    from yiwang.accounts.models import AccountKind
    from yiwang.accounts.roles import Role
    from yiwang.accounts.services import api_token_issue, role_grant, user_create
    from yiwang.core.identifiers import credit_code_with_check
    from yiwang.organisation.models import Department, Region, RegionLevel
    from yiwang.organisation.services import department_upsert, region_upsert

    city = Region.objects.get(code="990100")
    neighbour, _new = region_upsert(actor=None, code="990200", name="邻市", level=RegionLevel.CITY, parent=None)
    neighbour_market, _new = department_upsert(
        actor=None, credit_code=credit_code_with_check("11990200000000004"), name="邻市市场监督管理局",
        region=neighbour, short_name="邻市市场监管局",
    )  # fmt: skip
    market = Department.objects.get(short_name="市场监管局")
    police = Department.objects.get(short_name="公安局")
    department_roles = (Role.APPROVER, Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.HANDLER)
    region_roles = (Role.CLERK, Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.HOTLINE_AGENT, Role.DISPATCHER)

    def person(name: str, kind: str, role: Role, **identity: str) -> Any:
        user = user_create(username=name, password=None, kind=kind, full_name=name, **identity)
        role_grant(actor=None, user=user, role=role)
        return user

    def staff(name: str, roles: tuple[Role, ...], **scope: Any) -> Any:
        user = user_create(username=name, password=None, kind=AccountKind.STAFF, full_name=name)
        for role in roles:
            role_grant(actor=None, user=user, role=role, **scope)
        return user

    w.users = {
        CITIZEN: person("张三", AccountKind.NATURAL_PERSON, Role.CITIZEN, id_number="110105198505051233"),
        CITIZEN2: person("李四", AccountKind.NATURAL_PERSON, Role.CITIZEN, id_number="110106199202024562"),
        COMPANY: person("示范餐饮有限公司", AccountKind.LEGAL_PERSON, Role.COMPANY, credit_code=COMPANY_CODE),
        COMPANY2: person(
            "邻家餐饮有限公司",
            AccountKind.LEGAL_PERSON,
            Role.COMPANY,
            credit_code=credit_code_with_check("91350100M000200Y4"),
        ),
        DEPT: staff("市场监管局干部", department_roles, department=market),
        REGION: staff("示范市中心干部", region_roles, region=city),
        OTHER_DEPT: staff("公安局干部", department_roles, department=police),
        OTHER_REGION: staff("邻市干部", region_roles, region=neighbour),
    }
    for role in department_roles:
        role_grant(actor=None, user=w.users[OTHER_REGION], role=role, department=neighbour_market)
    w.tokens = {actor: api_token_issue(user=user)[0] for actor, user in w.users.items()}


def _cases(w: World) -> None:
    from yiwang.cases import services as cases
    from yiwang.cases.models import Case
    from yiwang.catalogue.models import ItemImplementation

    implementation = ItemImplementation.objects.get(current__name=FOOD)
    version = implementation.current
    assert version is not None
    required = [m for m in version.materials.all() if not m.shared_data and m.necessity == "required"]
    client = Client()

    def submit(**headers: str) -> Case:
        body: dict[str, Any] = {"implementation": implementation.code, "form_data": json.dumps(FORM)}
        body |= {f"material_{m.pk}": _pdf() for m in required}
        response = client.post("/api/v1/cases", body, headers={**_bearer(w, COMPANY), **headers})
        assert response.status_code == 201, response.content
        return Case.objects.get(number=response.json()["number"])

    clerk, officer = w.users[REGION], w.users[DEPT]
    # The case waiting for correction: its materials, its 补正通知书; submitted with the owner's key.
    open_case = submit(**{"Idempotency-Key": KEY})
    w.case, w.case_pk, w.stored_req, w.correction_req = open_case.number, open_case.pk, required[0].pk, required[-1].pk
    cases.case_request_correction(
        actor=clerk, case=open_case, items=[cases.CorrectionItem(w.correction_req, "请提供清晰的扫描件", True)]
    )
    # The concluded case: its e-licence, and the 差评 its applicant gave it.
    done = submit()
    cases.case_accept(actor=clerk, case=done)
    for _step in range(2):
        cases.case_task_complete(actor=officer, case=done, opinion="同意")
    cases.case_decide(actor=officer, case=done, decision="approve", opinion="准予许可")
    cases.case_conclude(actor=officer, case=done, result_number="JY13599000000017")
    w.case_done = done.number
    rated = client.post(
        f"/api/v1/ratings/cases/{done.number}", {"level": 2, "comment": RATING_COMMENT},
        content_type="application/json", headers=_bearer(w, COMPANY),
    )  # fmt: skip
    assert rated.status_code == 201, rated.content
    w.rating = rated.json()["id"]
    from yiwang.evaluation.models import Remediation

    w.remediation = Remediation.objects.get(rating_id=w.rating).pk


def _draft_and_licence(w: World) -> None:
    from yiwang.catalogue.models import ItemImplementation
    from yiwang.licences.models import Licence
    from yiwang.licences.services import share_link_create
    from yiwang.online.services import draft_start

    company = w.users[COMPANY]
    draft = draft_start(actor=company, implementation=ItemImplementation.objects.get(current__name=FOOD))
    w.draft = str(draft.key)
    w.draft_req = draft.version.materials.filter(shared_data="").order_by("order").first().pk  # type: ignore[union-attr]
    licence = Licence.objects.get(holder_account=company, case__number=w.case_done)
    w.licence = licence.identifier
    link, _token = share_link_create(holder=company, licence=licence, recipient="示范银行", purpose="贷款", days=5)
    w.share_link = link.pk


def _ticket(w: World) -> None:
    from yiwang.accounts.api_keys import api_key_issue
    from yiwang.demo.city import demo_departments
    from yiwang.demo.hotline import demo_hotline_load
    from yiwang.hotline import services as hotline
    from yiwang.organisation.models import Department

    demo_hotline_load(demo_departments())
    w.channel_key, key = api_key_issue(actor=None, name="示范市民通 App", scopes=["hotline:submit"])
    w.other_channel_key, _other = api_key_issue(actor=None, name="另一个渠道", scopes=["hotline:submit"])
    intake = hotline.Intake(
        channel="app", kind="complaint", category_code="SC0101", description="小区门口餐馆后厨卫生很差",
        address="和平街道康宁里 3 号", region_code="990103002", caller_name="张先生", caller_phone=CITIZEN_PHONE,
    )  # fmt: skip
    ticket, _created = hotline.ticket_create_keyed(
        actor=None, intake=intake, caller_account=w.users[CITIZEN], idempotency_key=KEY, api_key=key
    )
    w.ticket = ticket.number
    attached = Client().post(
        f"/api/v1/hotline/tickets/{ticket.number}/attachments", {"file": _pdf("photo.pdf")},
        headers={"X-Api-Key": w.channel_key},
    )  # fmt: skip
    assert attached.status_code == 201, attached.content
    w.attachment = attached.json()[0]["id"]
    hotline.ticket_dispatch(actor=w.users[REGION], ticket=ticket, unit=Department.objects.get(short_name="市场监管局"))


def _appointment(w: World) -> None:
    from datetime import time

    from yiwang.hall.appointments import appointment_book
    from yiwang.hall.models import AppointmentSlot, QueueCategory
    from yiwang.organisation.models import Hall

    hall = Hall.objects.get(name="综合服务大厅")
    w.hall = hall.pk
    category = QueueCategory.objects.get(hall=hall, prefix="A")
    # Open all day, whatever the suite's clock says; the slot begins in ten minutes, so it can still be
    # cancelled and can already be checked in.
    QueueCategory.objects.filter(pk=category.pk).update(is_open=True, opens_at=time(0), closes_at=time.max)
    start = timezone.localtime() + timedelta(minutes=10)
    end = min(time(23, 59), (start + timedelta(minutes=30)).time()) if start.hour < 23 else time(23, 59)
    slot = AppointmentSlot.objects.create(
        category=category, day=start.date(), start=start.time().replace(second=0, microsecond=0), end=end,
        capacity=5, released_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    appointment = appointment_book(actor=w.users[CITIZEN], slot=slot)
    w.appointment, w.appointment_code = appointment.pk, appointment.code


def _job(w: World) -> None:
    from yiwang.core.jobs import job_submit
    from yiwang.licences.jobs import LICENCES_IMPORT

    upload = SimpleUploadedFile("matrix-licences.csv", "证照类型代码,证照编号\n".encode(), content_type="text/csv")
    job = job_submit(kind=LICENCES_IMPORT, created_by=w.users[DEPT], upload=upload, input_name=upload.name or "")
    w.job = str(job.pk)


def _bearer(w: World, actor: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {w.tokens[actor]}"}


@pytest.fixture(scope="module")
def world(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once in an open transaction that is rolled back after the module; each test's own
    transaction is a savepoint inside it. Built at the suite's instant, as each test starts there."""
    from yiwang.demo.catalogue import demo_catalogue_load
    from yiwang.demo.city import CENTRE_ADDRESS, demo_city_load, demo_departments

    clock = request.config.suite_clock  # type: ignore[attr-defined]
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with time_machine.travel(clock.instant, tick=True) if clock.instant else nullcontext():
                demo_city_load()
                demo_catalogue_load(demo_departments(), CENTRE_ADDRESS)
                built = World()
                _people(built)
                _cases(built)
                _draft_and_licence(built)
                _ticket(built)
                _appointment(built)
                _job(built)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- what a write may not change ------------------------------------------------------------------------


def _rows(queryset: Any) -> list[dict[str, Any]]:
    return sorted((dict(r) for r in queryset.values()), key=lambda r: str(r.get("id") or r.get("pk") or r))


def _state(kind: str, w: World) -> object:
    """Every row of the object, and of what hangs on it, that a refused write could have changed."""
    from yiwang.cases.models import Case
    from yiwang.core.models import Job
    from yiwang.evaluation.models import Rating, Remediation
    from yiwang.hall.models import Appointment, QueueTicket
    from yiwang.hotline.models import Ticket, TicketAttachment
    from yiwang.licences.models import Licence
    from yiwang.online.models import Draft

    if kind in ("case", "material", "notice"):
        case = Case.objects.get(number=w.case)
        return (_rows(Case.objects.filter(pk=case.pk)), _rows(case.materials.all()), _rows(case.events.all()))
    if kind == "draft":
        draft = Draft.objects.filter(key=w.draft)
        return (_rows(draft), _rows(draft.get().files.all()) if draft.exists() else [])
    if kind == "licence":
        licence = Licence.objects.filter(identifier=w.licence)
        return (_rows(licence), _rows(licence.get().share_links.all()), _rows(licence.get().events.all()))
    if kind in ("ticket", "attachment"):
        ticket = Ticket.objects.filter(number=w.ticket)
        return (
            _rows(ticket), _rows(TicketAttachment.objects.filter(ticket__in=ticket)), ticket.get().events.count(),
        )  # fmt: skip
    if kind == "appointment":
        appointment = Appointment.objects.filter(pk=w.appointment)
        return (_rows(appointment), appointment.get().slot.booked, QueueTicket.objects.count())
    if kind == "rating":
        return _rows(Rating.objects.filter(pk=w.rating))
    if kind == "remediation":
        remediation = Remediation.objects.filter(pk=w.remediation)
        return (_rows(remediation), remediation.get().events.count(), remediation.get().appeals.count())
    if kind == "job":
        return _rows(Job.objects.filter(pk=w.job))
    raise AssertionError(kind)


# --- asking --------------------------------------------------------------------------------------------


def _ask(client: Client, row: Row, actor: str, w: World) -> HttpResponse:
    headers: dict[str, str] = {}
    if actor != ANON:
        if row.api:
            headers = _bearer(w, actor)
        else:
            client.force_login(w.users[actor])
    url = row.url.format(**w.params())
    body = row.body(w) if callable(row.body) else row.body
    if row.method == "GET":
        return client.get(url, headers=headers)
    if row.json:
        return client.generic(row.method, url, json.dumps(body or {}), content_type="application/json", headers=headers)
    if row.method == "POST":
        return client.post(url, body or {}, headers=headers)
    return client.generic(row.method, url, headers=headers)


def _text(response: HttpResponse) -> str:
    """The body as text; JSON re-written without escapes, so that a name is found as it is written."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]
    if response.get("Content-Type", "").startswith("application/json") and response.content:
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    return response.content.decode(errors="replace")


def _to_login(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith(("/accounts/login/", "/admin/login/"))


def _admin_not_found(row: Row, response: HttpResponse) -> bool:
    """The Django admin's answer for an object outside what the viewer may see: back to its index."""
    return row.url.startswith("/admin/") and response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_object_matrix(world: World, db: None, client: Client, row: Row, actor: str) -> None:
    w = world
    before = _state(row.kind, w) if row.write else None
    response = _ask(client, row, actor, w)
    status, body = response.status_code, _text(response)
    marker = w.marker(row.kind)
    said = f"{actor} {row.method} {row.url}: {status} {body[:300]!r}"
    assert status < 500, said
    if row.never:
        assert getattr(w, row.never) not in body, said
    if actor in row.allowed:
        assert status in row.expected_ok and not _to_login(response), said
        if row.write:
            assert (_state(row.kind, w) != before) == row.changes, f"{said}: changed? {row.changes} expected"
        elif response.get("Content-Type", "").startswith("application/pdf"):
            assert body.startswith("%PDF"), said
        else:
            assert marker in body, said
        return
    assert marker not in body, said
    if row.listing and actor != ANON:
        assert status in (200, 403, 404), said
    elif actor == ANON:
        expected = row.anonymous or ({401} if row.api else {302, 404})
        assert status in expected, said
        if status == 302:
            assert _to_login(response), said
    elif actor in row.sees:
        assert status in ((302,) if not row.api else (403,)), said
        if status == 302:
            assert not _to_login(response), said
    else:
        assert status in (403, 404) or _admin_not_found(row, response), said
    if row.write:
        assert _state(row.kind, w) == before, f"{said}: the object changed"


def test_the_docstring_counts_the_matrix() -> None:
    """The number printed at the top is the number the table makes."""
    counted = f"{len(ROWS)} URLs × {len(ACTORS)} actors = {len(ROWS) * len(ACTORS)} cases"
    assert counted in (__doc__ or ""), counted
    kinds = {row.kind for row in ROWS}
    assert kinds == {
        "case", "draft", "material", "notice", "licence", "ticket", "attachment", "appointment", "rating",
        "remediation", "job",
    }  # fmt: skip


# --- idempotency replays --------------------------------------------------------------------------------
# The two POSTs that take an Idempotency-Key: a case submitted (the company's key) and a ticket created
# (the city app's key). Another caller sending the same key gets neither the owner's record nor in its way.

TICKET = {"channel": "app", "kind": "complaint", "category": "SC0101", "description": "餐馆后厨卫生很差",
          "region": "990103002", "caller_phone": "13600136018"}  # fmt: skip


def _submit_case(client: Client, w: World, headers: dict[str, str]) -> HttpResponse:
    from yiwang.catalogue.models import ItemImplementation

    code = ItemImplementation.objects.get(current__name=FOOD).code
    return client.post("/api/v1/cases", {"implementation": code, "form_data": json.dumps(FORM)}, headers=headers)


def _as(w: World, caller: str) -> dict[str, str]:
    if caller == "other_channel":
        return {"X-Api-Key": w.other_channel_key}
    return {} if caller == ANON else _bearer(w, caller)


def _not_the_owners(response: HttpResponse, number: str, said: str, *, may_see: bool = False) -> None:
    """Not a replay (200), not a 500, nothing of the owner's record; a record of the caller's own is fine.
    A new ticket lists its possible duplicates for the agents' 并单: the owner's, to whoever may see it."""
    assert response.status_code < 500, said
    assert response.status_code != 200, f"{said}: answered as a replay"
    answer = response.json() if response.status_code == 201 else {}
    if may_see:
        answer.pop("duplicates", None)
    assert number not in (json.dumps(answer, ensure_ascii=False) if answer else _text(response)), said


@pytest.mark.parametrize("caller", [actor for actor in ACTORS if actor != COMPANY])
def test_a_case_key_replayed_by_another_caller(world: World, db: None, client: Client, caller: str) -> None:
    from yiwang.cases.models import Case

    w = world
    owners = Case.objects.filter(applicant_account=w.users[COMPANY]).count()
    theirs = _submit_case(client, w, {**_as(w, caller), "Idempotency-Key": KEY})
    _not_the_owners(theirs, w.case, f"{caller}: {theirs.status_code} {_text(theirs)[:300]}")
    if theirs.status_code == 201:
        assert Case.objects.get(number=theirs.json()["number"]).applicant_account == w.users[caller]
    again = _submit_case(client, w, {**_bearer(w, COMPANY), "Idempotency-Key": KEY})
    assert (again.status_code, again.json()["number"]) == (200, w.case)
    assert Case.objects.filter(applicant_account=w.users[COMPANY]).count() == owners


@pytest.mark.parametrize("caller", ["other_channel", *ACTORS])
def test_a_ticket_key_replayed_by_another_caller(world: World, db: None, client: Client, caller: str) -> None:
    from yiwang.hotline.models import Ticket

    w = world
    count = Ticket.objects.count()
    theirs = client.post(
        "/api/v1/hotline/tickets", TICKET, content_type="application/json",
        headers={**_as(w, caller), "Idempotency-Key": KEY},
    )  # fmt: skip
    said = f"{caller}: {theirs.status_code} {_text(theirs)[:300]}"
    _not_the_owners(theirs, w.ticket, said, may_see=caller in STAFF)
    assert Ticket.objects.count() == count + (theirs.status_code == 201)
    again = client.post(
        "/api/v1/hotline/tickets", TICKET, content_type="application/json",
        headers={"X-Api-Key": w.channel_key, "Idempotency-Key": KEY},
    )  # fmt: skip
    assert (again.status_code, again.json()["number"]) == (200, w.ticket)


# --- a channel's system and the tickets of another channel ------------------------------------------------


def test_a_channel_attaches_files_only_to_its_own_tickets(world: World, db: None, client: Client) -> None:
    """Hole: any API key of scope hotline:submit attached files to any channel's ticket of the last day
    (ticket numbers are public through Open311); the message promised "its own tickets" only."""
    from yiwang.hotline.models import TicketAttachment

    w = world
    url = f"/api/v1/hotline/tickets/{w.ticket}/attachments"
    before = TicketAttachment.objects.count()
    stranger = client.post(url, {"file": _pdf("fake.pdf")}, headers={"X-Api-Key": w.other_channel_key})
    assert stranger.status_code in (403, 404), stranger.content
    assert TicketAttachment.objects.count() == before
    own = client.post(url, {"file": _pdf("more.pdf")}, headers={"X-Api-Key": w.channel_key})
    assert own.status_code == 201, own.content
    assert TicketAttachment.objects.count() == before + 1


def test_possible_duplicates_name_only_tickets_the_viewer_may_see(world: World, db: None, client: Client) -> None:
    """Hole: a new ticket's possible duplicates (the same caller's phone, or the same category at the same
    place) were looked for among every ticket, so another region's agent or any channel's system learned,
    by entering a caller's phone, which tickets that caller had made elsewhere."""
    w = world
    same_caller = {**TICKET, "caller_phone": CITIZEN_PHONE, "channel": "phone"}
    elsewhere = client.post(
        "/api/v1/hotline/tickets", {**same_caller, "region": "990200"}, content_type="application/json",
        headers=_bearer(w, OTHER_REGION),
    )  # fmt: skip
    assert elsewhere.status_code == 201, elsewhere.content
    assert w.ticket not in elsewhere.json()["duplicates"]
    client.force_login(w.users[OTHER_REGION])
    page = client.get(f"/workbench/hotline/tickets/{elsewhere.json()['number']}/")
    assert page.status_code == 200 and w.ticket not in page.content.decode()
    channel = client.post(
        "/api/v1/hotline/tickets", {**same_caller, "channel": "app"}, content_type="application/json",
        headers={"X-Api-Key": w.other_channel_key},
    )  # fmt: skip
    assert channel.status_code == 201 and w.ticket not in channel.json()["duplicates"]
    centre = client.post(
        "/api/v1/hotline/tickets", same_caller, content_type="application/json", headers=_bearer(w, REGION)
    )
    assert centre.status_code == 201 and w.ticket in centre.json()["duplicates"]  # the centre's own agent sees it
