"""The cases API: submission with an Idempotency-Key, reading, listing and actions (issue 5, item 7)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.files import pdf_bytes
from yiwang.cases.models import Case
from yiwang.catalogue.models import ItemImplementation

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()


def _submit(client: Client, headers, item: str = "食品经营许可（新办）", **extra):  # type: ignore[no-untyped-def]
    implementation = ItemImplementation.objects.get(current__name=item)
    files = {
        f"material_{m.pk}": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
        for m in implementation.current.materials.all()
        if not m.shared_data and m.necessity == "required"
    }
    body = {
        "implementation": implementation.code,
        "applicant_kind": "legal_person",
        "applicant_name": "示范餐饮有限公司",
        "applicant_id_type": "credit_code",
        "applicant_id_number": "91350100M000100Y43",
        "form_data": json.dumps({"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"}),
        **files,
        **extra,
    }
    return client.post("/api/v1/cases", body, headers=headers)


def test_submit_accept_and_read_through_the_api(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    clerk = bearer(people["clerk"])
    created = _submit(client, clerk)
    assert created.status_code == 201, created.json()
    number = created.json()["number"]
    assert created.json()["applicant_id_number"].startswith("9135") and "*" in created.json()["applicant_id_number"]
    accepted = client.post(
        f"/api/v1/cases/{number}/actions/accept",
        {"opinion": "材料齐全"},
        content_type="application/json",
        headers=clerk,
    )
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["status"] == "in_review"
    assert body["due_on"] and body["remaining_working_days"] >= 0
    assert [e["action"] for e in body["events"]] == ["submit", "accept"]
    listed = client.get("/api/v1/cases?status=in_review", headers=bearer(people["approver"])).json()
    assert [c["number"] for c in listed["items"]] == [number]


def test_each_step_has_its_own_body_and_an_unknown_step_is_invalid(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    from yiwang.cases.workflow import WORKFLOW

    paths = client.get("/api/v1/openapi.json").json()["paths"]
    steps = {
        path.rsplit("/", 1)[-1]: operation["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        for path, operation in paths.items()
        if path.startswith("/api/v1/cases/{number}/actions/")
    }
    assert steps["refuse"].endswith("/CaseRefuseIn") and steps["hand_out"].endswith("/CaseHandOutIn")
    assert "{action}" not in steps
    # Every step of the table a person takes through the API; materials (resubmit, supply) have their own
    # address, and the nightly lapse is no one's.
    assert set(WORKFLOW.actions) - {"resubmit", "supply", "lapse"} <= set(steps)
    number = _submit(client, bearer(people["clerk"])).json()["number"]
    unknown = client.post(
        f"/api/v1/cases/{number}/actions/approve", {}, content_type="application/json", headers=bearer(people["clerk"])
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "validation_error")


def test_a_retried_submission_with_the_same_key_creates_one_case(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    headers = {**bearer(people["clerk"]), "Idempotency-Key": "page-7f3a"}
    first = _submit(client, headers)
    again = _submit(client, headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.count() == 1


def test_an_illegal_step_is_409_with_a_code(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    clerk = bearer(people["clerk"])
    number = _submit(client, clerk).json()["number"]
    response = client.post(
        f"/api/v1/cases/{number}/actions/conclude",
        {},
        content_type="application/json",
        headers=bearer(people["approver"]),
    )
    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")
    assert "不能进行此操作" in response.json()["message"]


def test_bad_input_gets_every_problem_and_no_case(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    response = _submit(
        client,
        bearer(people["clerk"]),
        form_data=json.dumps({"main_business": "卖炸弹"}),
        applicant_id_number="123",
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["details"]["errors"]}
    assert {"applicant.id_number", "form_data.main_business", "form_data.area"} <= fields
    assert not Case.objects.exists()
    wrong_json = _submit(client, bearer(people["clerk"]), form_data="{not json")
    assert wrong_json.status_code == 422


def test_other_departments_and_strangers_see_nothing(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    number = _submit(client, bearer(people["clerk"])).json()["number"]
    assert client.get(f"/api/v1/cases/{number}", headers=bearer(people["police_approver"])).status_code == 404
    assert client.get(f"/api/v1/cases/{number}", headers=bearer(people["citizen"])).status_code == 404
    assert client.get("/api/v1/cases", headers=bearer(people["police_approver"])).json()["count"] == 0
    assert client.get(f"/api/v1/cases/{number}").status_code == 401


def test_a_company_applies_online_and_sees_only_their_own(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    from yiwang.accounts.models import AccountKind
    from yiwang.accounts.services import user_create

    company = user_create(
        username="canyin", password=None, kind=AccountKind.LEGAL_PERSON, full_name="示范餐饮有限公司",
        credit_code="91350100M000100Y43",
    )  # fmt: skip
    created = _submit(client, bearer(company))
    assert created.status_code == 201
    assert created.json()["channel"] == "online"
    assert client.get("/api/v1/cases", headers=bearer(company)).json()["count"] == 1
    assert client.get("/api/v1/cases", headers=bearer(people["citizen"])).json()["count"] == 0
    # A citizen naming the company is refused (test_trust.py has the whole rule).
    assert _submit(client, bearer(people["citizen"])).status_code == 403


def test_list_and_detail_query_counts_are_pinned(client: Client, bearer, people, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    clerk, approver = bearer(people["clerk"]), bearer(people["approver"])
    numbers = [_submit(client, clerk).json()["number"] for _ in range(3)]
    for number in numbers:
        client.post(f"/api/v1/cases/{number}/actions/accept", {}, content_type="application/json", headers=clerk)
    # token, roles, count, page; the working-day calendar is the process's copy (calendar.workdays)
    with django_assert_num_queries(4):
        listed = client.get("/api/v1/cases?state=open&page_size=50", headers=clerk).json()
    assert [c["remaining_working_days"] is not None for c in listed["items"]] == [True, True, True]
    client.get("/api/v1/cases/none", headers=approver)  # the token's first use is recorded
    with django_assert_num_queries(4):
        assert client.get("/api/v1/cases?queue=inbox", headers=approver).json()["count"] == 3
    with django_assert_num_queries(5):  # token, roles, case, materials, events
        client.get(f"/api/v1/cases/{numbers[0]}", headers=clerk)


def test_open_cases_most_urgent_first_the_rest_newest_first(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    clerk = bearer(people["clerk"])
    first, second, third = (_submit(client, clerk).json()["number"] for _ in range(3))
    client.post(f"/api/v1/cases/{second}/actions/accept", {}, content_type="application/json", headers=clerk)
    Case.objects.filter(number=third).update(status="withdrawn")
    opened = client.get("/api/v1/cases?state=open", headers=clerk).json()["items"]
    assert [c["number"] for c in opened] == [second, first]  # a due date before none
    done = client.get("/api/v1/cases?state=done", headers=clerk).json()["items"]
    assert [c["number"] for c in done] == [third]
    everything = client.get("/api/v1/cases", headers=clerk).json()["items"]
    assert [c["number"] for c in everything] == [third, second, first]
    wrong = client.get("/api/v1/cases?queue=everything", headers=clerk)
    assert wrong.status_code == 422


def _notice_text(client: Client, headers, number: str, kind: str) -> str:  # type: ignore[no-untyped-def]
    import io

    from pypdf import PdfReader

    response = client.get(f"/api/v1/cases/{number}/notices/{kind}", headers=headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return text.replace(" ", "").replace("\n", "")


def test_notices_are_pdf_with_readable_chinese(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    clerk = bearer(people["clerk"])
    number = _submit(client, clerk).json()["number"]
    missing = client.get(f"/api/v1/cases/{number}/notices/acceptance", headers=clerk)
    assert (missing.status_code, missing.json()["code"]) == (409, "no_such_notice")
    client.post(f"/api/v1/cases/{number}/actions/accept", {}, content_type="application/json", headers=clerk)
    text = _notice_text(client, clerk, number, "acceptance")
    assert "受理通知书" in text
    assert number in text
    assert "食品经营许可（新办）" in text
    assert "《中华人民共和国行政许可法》第三十二条第一款第（五）项" in text
    assert "示范市市场监督管理局" in text


def test_a_refusal_notice_names_the_competent_authority_and_the_remedy(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    clerk = bearer(people["clerk"])
    number = _submit(client, clerk).json()["number"]
    client.post(
        f"/api/v1/cases/{number}/actions/refuse",
        {
            "reason": "申请事项不属于本机关职权范围。",
            "basis": "《中华人民共和国行政许可法》第三十二条",
            "competent_authority": "示范市卫生健康委员会",
        },
        content_type="application/json",
        headers=clerk,
    )
    text = _notice_text(client, clerk, number, "refusal")
    assert "不予受理通知书" in text
    assert "示范市卫生健康委员会" in text
    assert "行政复议" in text


def test_a_submitted_file_is_served_only_to_those_who_may_see_the_case(client: Client, bearer, people) -> None:  # type: ignore[no-untyped-def]
    from yiwang.audit.models import AuditRecord

    clerk = bearer(people["clerk"])
    number = _submit(client, clerk).json()["number"]
    case = Case.objects.get(number=number)
    material = case.materials.exclude(file="").first()
    url = f"/api/v1/cases/{number}/materials/{material.requirement_id}/file"
    response = client.get(url, headers=clerk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert AuditRecord.objects.filter(action="cases.material_download").count() == 1
    assert client.get(url, headers=bearer(people["police_approver"])).status_code == 404
    assert client.get(url).status_code == 401
