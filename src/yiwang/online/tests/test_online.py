"""The online hall: apply from a guide with a draft saved as typed, correction and resubmission online,
tracking, receiving, the two pages and the public progress lookup (issue 6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.files import pdf_bytes
from yiwang.accounts.agents import agent_authorise
from yiwang.accounts.roles import Role
from yiwang.accounts.services import citizen_register, company_register
from yiwang.audit.models import AuditRecord
from yiwang.cases import services as cases
from yiwang.cases.models import Case, CaseChannel, CaseStatus
from yiwang.catalogue.models import FieldType, ImplementationVersion, ItemImplementation
from yiwang.demo.catalogue import EXAMPLES
from yiwang.online import services
from yiwang.online.models import Draft
from yiwang.online.rules import online_applicable

pytestmark = pytest.mark.django_db
PDF = pdf_bytes("a scanned page")
PASSWORD = "Yiwang-test-2026!"


@pytest.fixture
def citizen(demo_catalogue):  # type: ignore[no-untyped-def]
    return citizen_register(full_name="张三", id_number="11010519491231002X", phone="13800138001", password=PASSWORD)


@pytest.fixture
def company(demo_catalogue):  # type: ignore[no-untyped-def]
    return company_register(
        company_name="示范餐饮有限公司", credit_code="91350100M000100Y43", phone="13800138002", password=PASSWORD
    )


def _pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _value(field: Any) -> str:
    if field.field_type == FieldType.CHOICE:
        return str(field.choices[0])
    if field.field_type == FieldType.NUMBER:
        low = field.min_value if field.min_value is not None else Decimal(1)
        return str(max(low, Decimal(1)))
    return EXAMPLES[field.field_type]


def _form(version: ImplementationVersion) -> dict[str, str]:
    return {f"field_{f.key}": _value(f) for f in version.form_fields.all()}


def _required(version: ImplementationVersion) -> list[int]:
    return [m.pk for m in version.materials.all() if not m.shared_data and m.necessity == "required"]


def _apply_through_the_pages(client: Client, implementation: ItemImplementation) -> Any:
    started = client.get(f"/my/apply/{implementation.code}/")
    assert started.status_code == 302, started.content[:500]
    draft_url = started["Location"]
    assert client.get(draft_url).status_code == 200
    version = implementation.current
    assert client.post(draft_url + "save/", _form(version)).status_code == 200
    for requirement_id in _required(version):
        uploaded = client.post(f"{draft_url}files/{requirement_id}/", {"file": _pdf()})
        assert uploaded.status_code == 200, uploaded.content.decode()[:500]
    review = client.post(draft_url + "check/", _form(version))
    assert review.status_code == 200 and "确认提交" in review.content.decode(), review.content.decode()[:3000]
    return client.post(draft_url + "submit/")


def test_every_online_demo_implementation_can_be_applied_for_online(client: Client, citizen, company) -> None:  # type: ignore[no-untyped-def]
    implementations = [
        i
        for i in ItemImplementation.objects.filter(base_item__base_code__startswith="99").select_related("current")
        if online_applicable(i.current)
    ]
    assert len(implementations) >= 30
    for implementation in implementations:
        applicant = citizen if "自然人" in implementation.current.service_objects else company
        client.force_login(applicant)
        response = _apply_through_the_pages(client, implementation)
        assert response.status_code == 302, (implementation.current.name, response.content.decode()[:2000])
        case = Case.objects.get(implementation=implementation)
        assert response["Location"] == f"/my/cases/{case.number}/"
        assert (case.channel, case.applicant_account, case.status) == (CaseChannel.ONLINE, applicant, "submitted")
        page = client.get(response["Location"])
        assert page.status_code == 200 and case.number in page.content.decode()
    assert Draft.objects.filter(case__isnull=True).count() == 0


def test_a_retried_submission_creates_one_case(citizen) -> None:  # type: ignore[no-untyped-def]
    implementation = ItemImplementation.objects.get(current__name="居民身份证换领")
    draft = services.draft_start(actor=citizen, implementation=implementation)
    assert (draft.applicant_name, draft.applicant_id_number) == ("张三", "11010519491231002X")  # from the account
    services.draft_save(actor=citizen, draft=draft, data=_form(implementation.current))
    for requirement_id in _required(implementation.current):
        services.draft_file_put(actor=citizen, draft=draft, requirement_id=requirement_id, upload=_pdf())
    first = services.draft_submit(actor=citizen, draft=draft)
    again = services.draft_submit(actor=citizen, draft=draft)
    assert first.pk == again.pk
    assert Case.objects.count() == 1
    # The page's second click lands on the same case too.
    client = Client()
    client.force_login(citizen)
    clicked = client.post(f"/my/drafts/{draft.key}/submit/", _form(implementation.current))
    assert clicked.status_code == 302 and clicked["Location"] == f"/my/cases/{first.number}/"
    # Reopening the guide starts a new draft, not the submitted one.
    assert services.draft_start(actor=citizen, implementation=implementation).pk != draft.pk


def test_bad_input_is_marked_in_place_and_the_draft_is_kept(client: Client, company) -> None:  # type: ignore[no-untyped-def]
    implementation = ItemImplementation.objects.get(current__name="食品经营许可（新办）")
    client.force_login(company)
    draft_url = client.get(f"/my/apply/{implementation.code}/")["Location"]
    wrong = client.post(f"{draft_url}files/{_required(implementation.current)[0]}/", {"file": _pdf("scan.exe")})
    assert wrong.status_code == 422
    assert "只接受 PDF、JPG、PNG 或 OFD 文件" in wrong.content.decode()
    checked = client.post(draft_url + "check/", {"field_area": "很大", "field_main_business": "餐饮服务经营者"})
    assert checked.status_code == 422
    assert "经营场所面积" in checked.content.decode() and "请提交" in checked.content.decode()  # missing scans listed
    response = client.post(draft_url + "submit/", {"field_area": "很大", "field_main_business": "餐饮服务经营者"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "请更正标出的内容，尚未提交。" in page
    assert 'value="很大"' in page  # what was typed stays
    assert not Case.objects.exists()
    draft = Draft.objects.get()
    assert draft.form_data["area"] == "很大" and draft.case is None


def test_an_item_not_online_and_someone_elses_draft_are_refused(client: Client, citizen, company) -> None:  # type: ignore[no-untyped-def]
    implementation = ItemImplementation.objects.get(current__name="居民身份证换领")
    ImplementationVersion.objects.filter(pk=implementation.current_id).update(online_depth=[1])
    client.force_login(citizen)
    refused = client.get(f"/my/apply/{implementation.code}/")
    assert refused.status_code == 400 and "不能在线申报" in refused.content.decode()
    food = ItemImplementation.objects.get(current__name="食品经营许可（新办）")
    draft = services.draft_start(actor=company, implementation=food)
    assert client.get(f"/my/drafts/{draft.key}/").status_code == 404
    assert client.post(f"/my/drafts/{draft.key}/submit/").status_code == 404


def test_staff_use_the_workbench_not_the_online_hall(client: Client, make_user, city) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.CLERK, region=city))
    response = client.get("/my/")
    assert response.status_code == 403
    assert AuditRecord.objects.filter(action="auth.permission_denied").exists()


def test_correction_online_then_acceptance_and_the_result(client: Client, make_user, city, company) -> None:  # type: ignore[no-untyped-def]
    implementation = ItemImplementation.objects.get(current__name="食品经营许可（新办）")
    client.force_login(company)
    number = _apply_through_the_pages(client, implementation)["Location"].split("/")[-2]
    case = Case.objects.get(number=number)
    clerk = make_user(Role.CLERK, region=city)
    missing = case.materials.filter(requirement__necessity="required").exclude(state="exempt").first()
    cases.case_request_correction(
        actor=clerk, case=case, items=[cases.CorrectionItem(missing.requirement_id, "扫描件不清晰，请重新上传")]
    )
    page = client.get(f"/my/cases/{number}/").content.decode()
    assert "扫描件不清晰，请重新上传" in page and "data-expected" in page
    inbox = client.get("/notifications/").content.decode()
    assert "扫描件不清晰" in inbox and f"/my/cases/{number}/" in inbox
    client.post(f"/my/cases/{number}/materials/", {f"material_{missing.requirement_id}": _pdf("clear.pdf")})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.visits == 0  # sent from home: no visit to a hall
    cases.case_accept(actor=clerk, case=case)
    events = client.get(f"/my/cases/{number}/").content.decode()
    assert events.count('data-event="') >= 4 and "收到补正材料" in events

    # Receive: electronic result once concluded.
    client.post(f"/my/cases/{number}/delivery/", {"method": "electronic"})
    approver = make_user(Role.APPROVER, department=case.department)
    for _step in range(2):
        cases.case_task_complete(actor=approver, case=case, opinion="同意")
    cases.case_decide(actor=approver, case=case, decision="approve", opinion="准予许可")
    cases.case_conclude(actor=approver, case=case, result_number="JY13599000000009")
    result = client.get(f"/my/cases/{number}/notices/result.pdf")
    assert result.status_code == 200 and result.content.startswith(b"%PDF")


def test_the_applicant_withdraws_before_the_decision(client: Client, citizen) -> None:  # type: ignore[no-untyped-def]
    implementation = ItemImplementation.objects.get(current__name="居民身份证换领")
    client.force_login(citizen)
    number = _apply_through_the_pages(client, implementation)["Location"].split("/")[-2]
    client.post(f"/my/cases/{number}/withdraw/", {"reason": "已在外地办理"})
    assert Case.objects.get(number=number).status == CaseStatus.WITHDRAWN
    assert number in client.get("/my/?cases=done").content.decode()


def test_an_agent_applies_for_a_company_that_authorised_them(client: Client, citizen, company) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    food = ItemImplementation.objects.get(current__name="食品经营许可（新办）")
    client.force_login(citizen)
    choice = client.get(f"/my/apply/{food.code}/")
    assert choice.status_code == 302  # no principal yet: straight to a draft for myself
    Draft.objects.all().delete()
    agent_authorise(
        principal=company,
        agent_login="11010519491231002X",
        items=[food.code],
        valid_until=timezone.localdate() + timedelta(days=30),
    )
    assert "示范餐饮有限公司" in client.get(f"/my/apply/{food.code}/").content.decode()
    started = client.post(f"/my/apply/{food.code}/", {"principal": company.pk})
    draft = Draft.objects.get(key=started["Location"].split("/")[-2])
    assert (draft.principal, draft.applicant_id_number, draft.agent_name) == (company, "91350100M000100Y43", "张三")
    for requirement_id in _required(food.current):
        services.draft_file_put(actor=citizen, draft=draft, requirement_id=requirement_id, upload=_pdf())
    services.draft_save(actor=citizen, draft=draft, data=_form(food.current))
    case = services.draft_submit(actor=citizen, draft=draft)
    assert (case.applicant_account, case.agent_account) == (company, citizen)
    other = ItemImplementation.objects.get(current__name="居民身份证换领")
    refused = client.post(f"/my/apply/{other.code}/", {"principal": company.pk})
    assert refused.status_code == 403


def test_progress_lookup_without_login_is_minimal_limited_and_audited(client: Client, citizen) -> None:  # type: ignore[no-untyped-def]
    implementation = ItemImplementation.objects.get(current__name="居民身份证换领")
    client.force_login(citizen)
    number = _apply_through_the_pages(client, implementation)["Location"].split("/")[-2]
    client.logout()
    found = client.get("/progress/", {"number": number, "name": "张三", "id_tail": "002x"})
    page = found.content.decode()
    assert found.status_code == 200 and "居民身份证换领" in page and 'data-status="submitted"' in page
    assert "11010519491231002X" not in page and "13800138001" not in page
    wrong = client.get("/progress/", {"number": number, "name": "李四", "id_tail": "002X"})
    assert "没有找到" in wrong.content.decode()
    assert AuditRecord.objects.filter(action="cases.progress_lookup").count() == 2
    guesses = {"number": number, "name": "张三", "id_tail": "0000"}
    statuses = [client.get("/progress/", guesses).status_code for _ in range(12)]
    assert statuses[-1] == 429


def test_refusals_are_recorded_and_a_save_after_logout_says_so(client: Client, citizen, company) -> None:  # type: ignore[no-untyped-def]
    food = ItemImplementation.objects.get(current__name="食品经营许可（新办）")
    client.force_login(company)
    number = _apply_through_the_pages(client, food)["Location"].split("/")[-2]
    draft = services.draft_start(actor=company, implementation=food)
    client.force_login(citizen)
    assert client.get(f"/my/cases/{number}/").status_code == 404
    assert client.post(f"/my/cases/{number}/withdraw/").status_code == 404
    assert AuditRecord.objects.filter(action="online.case_refused", object_id=number, result="denied").count() == 2
    ImplementationVersion.objects.filter(pk=food.current_id).update(online_depth=[1])
    client.get(f"/my/apply/{food.code}/")
    assert AuditRecord.objects.filter(action="online.apply_refused", result="denied").exists()

    client.force_login(company)
    client.logout()
    late = client.post(f"/my/drafts/{draft.key}/save/", {"field_area": "99"}, headers={"HX-Request": "true"})
    assert late.status_code == 200 and "data-logged-out" in late.content.decode()
    assert client.post(f"/my/drafts/{draft.key}/save/", {"field_area": "99"}).status_code == 302  # to the login page


def test_the_pre_review_result_reaches_the_applicant(client: Client, make_user, citizen) -> None:  # type: ignore[no-untyped-def]
    from yiwang.notifications.models import Notification

    implementation = ItemImplementation.objects.get(current__name="居民身份证换领")
    client.force_login(citizen)
    number = _apply_through_the_pages(client, implementation)["Location"].split("/")[-2]
    case = Case.objects.get(number=number)
    approver = make_user(Role.APPROVER, department=case.department)
    cases.case_pre_review(actor=approver, case=case, opinion="材料齐全，请按预约时间到窗口采集人像")
    message = Notification.objects.filter(recipient=citizen).latest("created_at")
    assert "材料齐全，请按预约时间到窗口采集人像" in message.body and message.link == f"/my/cases/{number}/"
    page = client.get(f"/my/cases/{number}/").content.decode()
    assert 'data-status="pre_reviewed"' in page and "材料齐全，请按预约时间到窗口采集人像" in page
