"""Budgets of case handling (issue 22, docs/performance.md): a window's submission and acceptance,
the approver's inbox and the clerk's list. SQL is pinned exactly below the budget so that any new
statement is noticed; CPU is bounded by the budget (tests/budget.py)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.budget import assert_within, measure
from tests.files import pdf_bytes
from yiwang.catalogue.models import ItemImplementation

PDF = pdf_bytes()
FOOD = "食品经营许可（新办）"


@pytest.fixture
def window(client: Client, make_user, bearer, city, demo_catalogue, production_tasks):  # type: ignore[no-untyped-def]
    from yiwang.accounts.roles import Role
    from yiwang.organisation.models import Department

    clerk = bearer(make_user(Role.CLERK, region=city))
    approver = bearer(make_user(Role.APPROVER, department=Department.objects.get(short_name="市场监管局")))
    implementation = ItemImplementation.objects.get(current__name=FOOD)
    required = [m.pk for m in implementation.current.materials.all() if not m.shared_data and m.necessity == "required"]

    def submit_and_accept() -> None:
        body = {
            "implementation": implementation.code,
            "applicant_kind": "legal_person",
            "applicant_name": "示范餐饮有限公司",
            "applicant_id_type": "credit_code",
            "applicant_id_number": "91350100M000100Y43",
            "form_data": json.dumps({"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"}),
            **{
                f"material_{pk}": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf") for pk in required
            },
        }
        created = client.post("/api/v1/cases", body, headers={**clerk, "Idempotency-Key": uuid.uuid4().hex})
        assert created.status_code == 201, created.content
        accepted = client.post(
            f"/api/v1/cases/{created.json()['number']}/actions/accept",
            {"opinion": "材料齐全，予以受理"},
            content_type="application/json",
            headers=clerk,
        )
        assert accepted.status_code == 200, accepted.content

    return {"client": client, "clerk": clerk, "approver": approver, "pair": submit_and_accept}


# Real transactions, as in production: the services' own BEGIN/COMMIT, no test-wide savepoint.
@pytest.mark.budget
@pytest.mark.django_db(transaction=True)
def test_a_window_submission_and_its_acceptance(window) -> None:  # type: ignore[no-untyped-def]
    """The pair measured by bench/cases.py over HTTP: 24 statements (token, roles, the version, the
    walk-in's account, case, figures mark, the licences that may replace materials, materials, visit,
    history, audit, then the number and the case's number — last, cases.numbering; then token, roles,
    locked case, materials, deadline log, case, figures mark, review tasks, history, audit, history read)."""
    measured = measure("case: submit + accept (API, 6 PDF materials)", window["pair"], cpu_budget_ms=60, sql_budget=25)
    assert measured.sql == 24, measured
    assert_within(measured)


@pytest.mark.budget
@pytest.mark.django_db(transaction=True)
def test_the_approvers_inbox_and_the_clerks_list(window) -> None:  # type: ignore[no-untyped-def]
    client = window["client"]
    for _ in range(3):
        window["pair"]()

    def inbox() -> None:
        assert client.get("/api/v1/cases?queue=inbox", headers=window["approver"]).json()["count"] == 3

    def listed() -> None:
        assert client.get("/api/v1/cases?state=open&page_size=50", headers=window["clerk"]).status_code == 200

    inbox_measured = measure("case: approver's inbox (API)", inbox, cpu_budget_ms=25, sql_budget=4)
    list_measured = measure("case: clerk's open cases (API)", listed, cpu_budget_ms=25, sql_budget=4)
    assert (inbox_measured.sql, list_measured.sql) == (4, 4)  # token, roles, count, page
    assert_within(inbox_measured)
    assert_within(list_measured)
