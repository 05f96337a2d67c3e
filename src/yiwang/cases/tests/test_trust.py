"""Trust at the boundary for cases (issue 17): who an online applicant may be, whose an idempotency key is,
and the applicant's field rules that every entry point shares."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.parallel import at_once, require_postgresql
from yiwang.accounts.agents import agent_authorise
from yiwang.accounts.models import AccountKind
from yiwang.accounts.services import user_create
from yiwang.cases import services
from yiwang.cases.models import Case, IdType
from yiwang.cases.tests.test_intake import APPLICANT, FORM, e_licence
from yiwang.catalogue.models import ItemImplementation
from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.licences.models import LicenceUse

pytestmark = pytest.mark.django_db
FOOD = "食品经营许可（新办）"
CITIZEN_ID = "110105198505051233"
OTHER_ID = "110106199202024562"


@pytest.fixture
def accounts(demo_catalogue):  # type: ignore[no-untyped-def]
    """A citizen with an ID number, another person with an account, and the food company with its 营业执照."""
    citizen = user_create(username="zhang", password=None, full_name="张三", id_number=CITIZEN_ID)
    other = user_create(username="li", password=None, full_name="李四", id_number=OTHER_ID)
    company = user_create(
        username="canyin", password=None, kind=AccountKind.LEGAL_PERSON, full_name=APPLICANT.name,
        credit_code=APPLICANT.id_number,
    )  # fmt: skip
    e_licence("99004")
    return {"citizen": citizen, "other": other, "company": company}


def _food() -> ItemImplementation:
    return ItemImplementation.objects.get(current__name=FOOD)


def _post(client: Client, headers: dict[str, str], **fields: str):  # type: ignore[no-untyped-def]
    body = {"implementation": _food().code, "form_data": json.dumps(FORM), **fields}
    return client.post("/api/v1/cases", body, headers=headers)


def test_an_online_applicant_cannot_name_a_company_they_do_not_act_for(client, bearer, accounts) -> None:  # type: ignore[no-untyped-def]
    """Defect 1: the case was registered in the company's name and its licence used for the stranger."""
    response = _post(
        client, bearer(accounts["citizen"]), applicant_kind="legal_person", applicant_name=APPLICANT.name,
        applicant_id_type="credit_code", applicant_id_number=APPLICANT.id_number,
    )  # fmt: skip
    assert (response.status_code, response.json()["code"]) == (403, "applicant_not_authorised")
    assert "授权" in response.json()["message"]
    assert not Case.objects.exists() and not LicenceUse.objects.exists()


def test_an_online_applicant_cannot_name_another_person(client, bearer, accounts) -> None:  # type: ignore[no-untyped-def]
    for number in (OTHER_ID, "110101199003077774"):  # someone with an account; a valid number without one
        response = _post(
            client, bearer(accounts["citizen"]), applicant_kind="natural_person", applicant_name="李四",
            applicant_id_type="resident_id", applicant_id_number=number,
        )  # fmt: skip
        assert response.status_code == 403, response.json()
    assert not Case.objects.exists()


def test_online_the_identity_comes_from_the_account_and_a_typed_one_must_match(client, bearer, accounts) -> None:  # type: ignore[no-untyped-def]
    own = _post(client, bearer(accounts["citizen"]))
    assert own.status_code == 201, own.json()
    case = Case.objects.get()
    assert (case.applicant_name, case.applicant_id_number, case.applicant_account) == (
        "张三",
        CITIZEN_ID,
        accounts["citizen"],
    )
    renamed = _post(client, bearer(accounts["citizen"]), applicant_name="王五", applicant_id_number=CITIZEN_ID)
    assert (renamed.status_code, renamed.json()["code"]) == (403, "applicant_mismatch")
    assert Case.objects.count() == 1


def test_an_authorised_agent_applies_for_the_company_and_its_licence_is_used(client, bearer, accounts) -> None:  # type: ignore[no-untyped-def]
    company, citizen = accounts["company"], accounts["citizen"]
    agent_authorise(
        principal=company, agent_login=CITIZEN_ID, items=[_food().code],
        valid_until=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    response = _post(client, bearer(citizen), applicant_id_type="credit_code", applicant_id_number=APPLICANT.id_number)
    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert (case.applicant_name, case.applicant_kind, case.applicant_account) == (
        APPLICANT.name,
        "legal_person",
        company,
    )
    assert (case.agent_account, case.agent_name) == (citizen, "张三")
    assert LicenceUse.objects.count() == 1  # the company's 营业执照, for the company's own case


def test_an_authorisation_for_another_item_does_not_cover_this_one(accounts) -> None:  # type: ignore[no-untyped-def]
    agent_authorise(
        principal=accounts["company"], agent_login=CITIZEN_ID, items=["some-other-item"],
        valid_until=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.case_submit(
            actor=accounts["citizen"], version=_food().current, channel="online",
            applicant=services.Applicant(kind="", name="", id_type="credit_code", id_number=APPLICANT.id_number),
            form_data=FORM,
        )  # fmt: skip
    assert not Case.objects.exists()


def test_a_key_belongs_to_its_caller(client, bearer, accounts) -> None:  # type: ignore[no-untyped-def]
    """Defect 2: another caller replaying a key got the first caller's case."""
    mine = _post(client, {**bearer(accounts["citizen"]), "Idempotency-Key": "k-1"})
    again = _post(client, {**bearer(accounts["citizen"]), "Idempotency-Key": "k-1"})
    theirs = _post(client, {**bearer(accounts["other"]), "Idempotency-Key": "k-1"})
    assert (mine.status_code, again.status_code, theirs.status_code) == (201, 200, 201)
    assert mine.json()["number"] == again.json()["number"] != theirs.json()["number"]
    assert theirs.json()["applicant"] == "李四"
    assert Case.objects.count() == 2


@pytest.mark.parametrize("key", ["x" * 101, "键", "a b", "a\x00b"])
def test_a_bad_key_is_refused_not_cut(client, bearer, accounts, key) -> None:  # type: ignore[no-untyped-def]
    response = _post(client, {**bearer(accounts["citizen"]), "Idempotency-Key": key})
    assert (response.status_code, response.json()["code"]) == (422, "idempotency_key_invalid")
    assert not Case.objects.exists()


BAD_APPLICANT_FIELDS = [
    ("applicant.phone", {"phone": "1" * 100_000}),
    ("applicant.phone", {"phone": "138😀0013800"}),
    ("applicant.phone", {"phone": "13800\x00138000"}),
    ("agent.name", {"agent_name": "代" * 100_001}),
    ("agent.name", {"agent_name": "王\x00五"}),
    ("applicant.name", {"name": "示范\x00餐饮"}),
    ("applicant.id_type", {"kind": "natural_person", "id_type": "martian", "id_number": "123"}),
]


@pytest.mark.parametrize(("field", "change"), BAD_APPLICANT_FIELDS)
def test_window_intake_refuses_what_the_api_refuses(demo_catalogue, make_user, city, field, change) -> None:  # type: ignore[no-untyped-def]
    """Defect 4: the window stored any phone, a 100,000-character agent name, and an id_type outside its
    choices skipped the resident-ID check. The service refuses them for every entry point."""
    from dataclasses import replace

    from yiwang.accounts.roles import Role

    with pytest.raises(ValidationFailed) as refused:
        services.case_submit(
            actor=make_user(Role.CLERK, region=city), version=_food().current, channel="window",
            applicant=replace(APPLICANT, **change), form_data=FORM,
        )  # fmt: skip
    assert field in {e["field"] for e in refused.value.details["errors"]}
    assert not Case.objects.exists()


def test_the_window_page_refuses_a_bad_phone_with_a_chinese_message(client, demo_catalogue, make_user, city) -> None:  # type: ignore[no-untyped-def]
    from yiwang.accounts.roles import Role

    client.force_login(make_user(Role.CLERK, region=city))
    implementation = _food()
    response = client.post(
        f"/workbench/cases/intake/?item={implementation.code}",
        {
            "applicant_kind": "legal_person", "applicant_name": APPLICANT.name, "applicant_id_type": IdType.CREDIT_CODE,
            "applicant_id_number": APPLICANT.id_number, "applicant_phone": "1" * 5000,
            **{f"field_{k}": v for k, v in FORM.items()},
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "请输入由数字组成的电话号码" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_with_one_key_give_one_case_one_201(client, bearer, accounts) -> None:  # type: ignore[no-untyped-def]
    """Defect 3: the cases path answered 201 to every duplicate of a key sent at once."""
    require_postgresql()
    headers = {**bearer(accounts["citizen"]), "Idempotency-Key": "one-click-twice"}
    responses = at_once([lambda: _post(Client(), headers)] * 6)
    outcomes = [(r.status_code, r.json().get("number", "")) if hasattr(r, "json") else (r, "") for r in responses]
    assert sorted(status for status, _n in outcomes) == [200] * 5 + [201], outcomes
    assert len({number for _s, number in outcomes}) == 1 and Case.objects.count() == 1
    # The number is drawn last (cases.numbering): the answer's is the stored one, never the provisional one.
    stored = Case.objects.get()
    assert stored.number == outcomes[0][1] and not stored.number.startswith("~")
    assert all(f"case{stored.pk}-" in m.file.name for m in stored.materials.all() if m.file)


@pytest.mark.parametrize(
    "form_data",
    [
        '{"name": ' + "[" * 9_000 + "]" * 9_000 + "}",  # the parser ran out of stack: a 500
        json.dumps({**FORM, next(iter(FORM)): {"nested": [[["x"]]]}}),  # an object is not a form value
    ],
)
def test_a_form_too_deep_or_of_objects_is_refused_with_a_field(client, bearer, accounts, form_data) -> None:  # type: ignore[no-untyped-def]
    """Defect 5: form_data nested a thousand levels deep answered 500; a nested object was stored as its str()."""
    response = client.post(
        "/api/v1/cases", {"implementation": _food().code, "form_data": form_data}, headers=bearer(accounts["citizen"])
    )
    assert response.status_code == 422, response.json()
    assert response.json()["details"]["errors"][0]["field"].startswith("form_data")
    assert not Case.objects.exists()
