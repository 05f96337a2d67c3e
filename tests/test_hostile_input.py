"""Hostile input, one table for every door (issue 17): the same bad value typed into a page, sent to the
API, put in an import file or given to the service directly is refused the same way — a 4xx naming the
field (never a 500), a Chinese message — and leaves the database as it was.

Three fields that reach three contexts through different doors: the applicant's name at the window
(page, API, service), a hotline ticket's description (agent's page, API, service) and a licence holder's
name (department's page, Excel/CSV import, service). Each row of VALUES is tried at each door.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client

from tests.files import pdf_bytes
from yiwang.accounts.roles import Role
from yiwang.cases.models import Case
from yiwang.catalogue.models import ItemImplementation
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.identifiers import resident_id_with_check
from yiwang.hotline.models import Ticket
from yiwang.licences.models import Licence
from yiwang.organisation.models import Department

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
FOOD = "食品经营许可（新办）"
COMPANY = ("示范餐饮有限公司", "91350100M000100Y43")
PERSON_ID = resident_id_with_check("11010119800101001")


@dataclass(frozen=True)
class Bad:
    name: str
    value: str
    over_http: bool = True  # a lone surrogate cannot be sent as UTF-8: a browser sends U+FFFD instead


VALUES = [
    Bad("NUL", "示范\x00餐饮"),
    Bad("bell", "示范\x07餐饮"),
    Bad("escape", "示范\x1b[31m餐饮"),
    Bad("overlong", "名" * 100_001),
    Bad("surrogate", "示范\ud800餐饮", over_http=False),
]


@pytest.fixture
def world(demo_catalogue: None, make_user: Callable[..., Any], city: Any) -> dict[str, Any]:
    from yiwang.demo.city import demo_departments
    from yiwang.demo.hotline import demo_hotline_load

    demo_hotline_load(demo_departments())
    return {
        "clerk": make_user(Role.CLERK, region=city),
        "agent": make_user(Role.HOTLINE_AGENT, region=city),
        "police": make_user(Role.DEPT_ADMIN, department=Department.objects.get(short_name="公安局")),
    }


def _counts() -> dict[str, int]:
    tables: list[type[models.Model]] = [Case, Ticket, Licence]
    return {model.__name__: model.objects.count() for model in tables}


def _refused_over_http(response: Any, field_hint: str) -> None:
    """A 4xx — the door's own 400 for a NUL, or the service's 422 naming the field — never a 500."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        error = json.loads(body)
        assert error["code"] in ("invalid_characters", "validation_error"), error
        if error["code"] == "validation_error":
            assert any(field_hint in e["field"] for e in error["details"]["errors"]), error
    else:
        assert "不允许的字符" in body or "最多" in body, body[:2000]


# --- the applicant's name at the window -----------------------------------------------------------


def _food() -> ItemImplementation:
    return ItemImplementation.objects.get(current__name=FOOD)


def _materials() -> dict[str, Any]:
    return {
        f"material_{m.pk}": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
        for m in _food().current.materials.all()
        if not m.shared_data
    }


def case_page(world: dict[str, Any], client: Client, value: str) -> Any:
    client.force_login(world["clerk"])
    data = {
        "item": _food().code, "idempotency_key": "hostile-1", "applicant_kind": "legal_person",
        "applicant_name": value, "applicant_id_type": "credit_code", "applicant_id_number": COMPANY[1],
        "field_main_business": "餐饮服务经营者", "field_area": "120", "field_online_sale": "否", **_materials(),
    }  # fmt: skip
    return client.post(f"/workbench/cases/intake/?item={_food().code}", data)


def case_api(world: dict[str, Any], client: Client, value: str, bearer: Callable[..., Any]) -> Any:
    fields = {
        "implementation": _food().code, "applicant_kind": "legal_person", "applicant_name": value,
        "applicant_id_type": "credit_code", "applicant_id_number": COMPANY[1],
        "form_data": json.dumps({"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"}),
    }  # fmt: skip
    return client.post("/api/v1/cases", {**fields, **_materials()}, headers=bearer(world["clerk"]))


def case_service(world: dict[str, Any], value: str) -> None:
    from yiwang.cases import services
    from yiwang.cases.applicants import Applicant

    applicant = Applicant(kind="legal_person", name=COMPANY[0], id_type="credit_code", id_number=COMPANY[1])
    services.case_submit(
        actor=world["clerk"], version=_food().current, channel="window", applicant=replace(applicant, name=value),
        form_data={"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"},
    )  # fmt: skip


# --- a hotline ticket's description ---------------------------------------------------------------

CALL = {"caller_phone": "13800138000", "caller_name": "李女士", "kind": "consult", "category": "ZW0101",
        "region": "990102001", "urgency": "normal"}  # fmt: skip


def ticket_page(world: dict[str, Any], client: Client, value: str) -> Any:
    client.force_login(world["agent"])
    return client.post("/workbench/hotline/", {**CALL, "description": value, "idempotency_key": "hostile-1"})


def ticket_api(world: dict[str, Any], client: Client, value: str, bearer: Callable[..., Any]) -> Any:
    body = json.dumps({**CALL, "channel": "phone", "description": value})
    return client.post("/api/v1/hotline/tickets", body, content_type="application/json", headers=bearer(world["agent"]))


def ticket_service(world: dict[str, Any], value: str) -> None:
    from yiwang.hotline import services

    services.ticket_create(
        actor=world["agent"],
        intake=services.Intake(channel="phone", kind="consult", category_code="ZW0101", region_code="990102001",
                               description=value, caller_phone="13800138000"),
    )  # fmt: skip


# --- a licence holder's name ----------------------------------------------------------------------


def licence_page(world: dict[str, Any], client: Client, value: str) -> Any:
    client.force_login(world["police"])
    form = {
        "holder_name": value, "holder_code": PERSON_ID, "number": PERSON_ID, "valid_from": "2026-01-05",
        "data_性别": "男", "data_民族": "汉", "data_出生日期": "1980-01-01", "data_住址": "示范市城东区",
    }  # fmt: skip
    return client.post("/licences/manage/issue/99001/", form)


def licence_import(world: dict[str, Any], value: str) -> None:
    from yiwang.licences.importer import licences_import

    header = ["证照类型代码", "证照编号", "持证主体", "持证主体代码", "颁发日期", "有效期起始日期", "有效期截止日期",
              "性别", "民族", "出生日期", "住址"]  # fmt: skip
    row = ["99001", PERSON_ID, value, PERSON_ID, "2020-05-01", "2020-05-01", "", "男", "汉", "1980-01-01", "示范市"]
    text = ",".join(header) + "\n" + ",".join(row) + "\n"
    # A file carries bytes: a lone surrogate arrives as it would from a sloppy export (CESU-8 style).
    report = licences_import(actor=world["police"], data=text.encode("utf-8", "surrogatepass"), name="存量证照.csv")
    if report.errors:
        raise ValidationFailed(str(report.errors[0]))


def licence_service(world: dict[str, Any], value: str) -> None:
    from yiwang.catalogue.models import LicenceType
    from yiwang.licences.services import licence_issue

    kind = LicenceType.objects.get(code="99001")
    licence_issue(
        actor=world["police"], licence_type=kind, issuer=kind.issuing_department, holder_name=value,
        holder_code=PERSON_ID, number=PERSON_ID,
        data={"性别": "男", "民族": "汉", "出生日期": "1980-01-01", "住址": "示范市城东区"},
    )  # fmt: skip


FIELDS = {
    "applicant_name": {"page": case_page, "api": case_api, "service": case_service},
    "description": {"page": ticket_page, "api": ticket_api, "service": ticket_service},
    "holder_name": {"page": licence_page, "import": licence_import, "service": licence_service},
}
HINTS = {"applicant_name": "applicant", "description": "description", "holder_name": "holder_name"}
DOORS = [(field, door) for field, doors in FIELDS.items() for door in doors]


@pytest.mark.parametrize("bad", VALUES, ids=lambda bad: bad.name)
@pytest.mark.parametrize(("field", "door"), DOORS, ids=[f"{f}-{d}" for f, d in DOORS])
def test_a_hostile_value_is_refused_at_every_door_and_changes_nothing(
    world: dict[str, Any], client: Client, bearer: Callable[..., Any], field: str, door: str, bad: Bad
) -> None:
    enter = FIELDS[field][door]
    before = _counts()
    if door in ("page", "api"):
        if not bad.over_http:
            pytest.skip("HTTP carries UTF-8: a lone surrogate arrives as U+FFFD, which is text")
        response = enter(world, client, bad.value, bearer) if door == "api" else enter(world, client, bad.value)
        _refused_over_http(response, HINTS[field])
    else:
        with pytest.raises(DomainError):
            enter(world, bad.value)
    assert _counts() == before


@pytest.mark.parametrize(("field", "door"), DOORS, ids=[f"{f}-{d}" for f, d in DOORS])
def test_a_good_value_passes_every_door(
    world: dict[str, Any], client: Client, bearer: Callable[..., Any], field: str, door: str
) -> None:
    """The other half of the table: each door does take a sound value, so a refusal above is the value's."""
    enter = FIELDS[field][door]
    good = COMPANY[0] if field == "applicant_name" else ("张三" if field == "holder_name" else "老年人优待证怎么办理")
    before = _counts()
    if door in ("page", "api"):
        response = enter(world, client, good, bearer) if door == "api" else enter(world, client, good)
        assert response.status_code in (200, 201, 302), response.content[:500]
    else:
        enter(world, good)
    assert sum(_counts().values()) == sum(before.values()) + 1
