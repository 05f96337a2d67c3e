"""The workbench pages for cases: a clerk registers and accepts, an approver reviews, the head extends."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.files import pdf_bytes
from yiwang.accounts.roles import Role
from yiwang.cases.models import Case, CaseStatus
from yiwang.catalogue.models import ItemImplementation

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()


def _intake_post(client: Client, **overrides):  # type: ignore[no-untyped-def]
    implementation = ItemImplementation.objects.get(current__name="食品经营许可（新办）")
    files = {
        f"material_{m.pk}": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
        for m in implementation.current.materials.all()
        if not m.shared_data and m.name != "食品安全管理制度文本"
    }
    data = {
        "item": implementation.code,
        "idempotency_key": "page-1",
        "applicant_kind": "legal_person",
        "applicant_name": "示范餐饮有限公司",
        "applicant_id_type": "credit_code",
        "applicant_id_number": "91350100M000100Y43",
        "field_main_business": "餐饮服务经营者",
        "field_area": "120",
        "field_online_sale": "否",
        **files,
        **overrides,
    }
    return client.post(f"/workbench/cases/intake/?item={implementation.code}", data)


def test_the_window_finds_the_item_and_registers_the_case(people, login) -> None:  # type: ignore[no-untyped-def]
    client = login(people["clerk"])
    found = client.get("/workbench/cases/intake/?q=spjyxk").content.decode()
    assert "食品经营许可（新办）" in found
    response = _intake_post(client)
    assert response.status_code == 302
    case = Case.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert case.number in page
    assert "主体业态" in page and "main_business" not in page  # the form as people read it
    assert "<dt>是否网络经营</dt><dd>否</dd>" in page
    assert 'data-action="request_correction"' in page
    # A double click sends the same page key: still one case.
    _intake_post(client)
    assert Case.objects.count() == 1


def test_bad_input_is_marked_in_place_and_nothing_saved(people, login) -> None:  # type: ignore[no-untyped-def]
    client = login(people["clerk"])
    response = _intake_post(client, applicant_id_number="123", field_area="很大", idempotency_key="page-2")
    assert response.status_code == 422
    page = response.content.decode()
    assert "请更正标出的内容，尚未保存任何数据。" in page
    assert "示范餐饮有限公司" in page  # what was typed is kept
    assert 'value="很大"' in page
    assert not Case.objects.exists()


def test_correction_acceptance_review_extension_through_the_pages(people, login) -> None:  # type: ignore[no-untyped-def]
    clerk = login(people["clerk"])
    _intake_post(clerk)
    case = Case.objects.get()
    missing = case.materials.get(requirement__name="食品安全管理制度文本")
    clerk.post(f"/workbench/cases/{case.number}/request_correction/", {"material": [missing.requirement_id]})
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_REQUESTED
    clerk.post(
        f"/workbench/cases/{case.number}/materials/",
        {f"material_{missing.requirement_id}": SimpleUploadedFile("fix.pdf", PDF, content_type="application/pdf")},
    )
    clerk.post(f"/workbench/cases/{case.number}/accept/")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW

    approver = Client()
    approver.force_login(people["approver"])
    listed = approver.get("/workbench/cases/").content.decode()
    assert case.number in listed and "个工作日" in listed
    assert case.number in approver.get("/workbench/cases/?queue=inbox").content.decode()
    approver.post(f"/workbench/cases/{case.number}/task_complete/", {"opinion": "符合条件"})
    approver.post(f"/workbench/cases/{case.number}/extend/", {"days": "3", "reason": "需现场复核"})
    head = Client()
    head.force_login(people["head"])
    assert case.number in head.get("/workbench/cases/?queue=extensions").content.decode()
    assert 'data-action="extension_approve"' in head.get(f"/workbench/cases/{case.number}/").content.decode()
    head.post(f"/workbench/cases/{case.number}/extension_decide/", {"approve": "1"})
    case.refresh_from_db()
    assert case.extension_days == 3
    refused = approver.post(
        f"/workbench/cases/{case.number}/decide/", {"decision": "approve", "opinion": ""}, follow=True
    )
    assert "作出决定须填写意见。" in refused.content.decode()


def test_only_staff_who_handle_cases_open_the_pages(make_user, login, demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    assert login(make_user(Role.AUDITOR)).get("/workbench/cases/").status_code == 403
    assert login(make_user(Role.APPROVER)).get("/workbench/cases/intake/").status_code == 403
