"""Window intake: submit, correction (一次性告知), resubmission, acceptance, refusal (行政许可法 §32)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.files import pdf_bytes
from yiwang.accounts.roles import Role
from yiwang.audit.models import AuditRecord
from yiwang.cases import services
from yiwang.cases.models import Case, CaseStatus, IdType, MaterialState, ReviewTask, TaskState
from yiwang.catalogue.models import ItemImplementation
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.organisation.models import Department

pytestmark = pytest.mark.django_db
PDF = pdf_bytes("a scanned page")
APPLICANT = services.Applicant(
    kind="legal_person", name="示范餐饮有限公司", id_type=IdType.CREDIT_CODE, id_number="91350100M000100Y43"
)
FORM = {"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"}


def _pdf(name: str = "scan.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def food(demo_catalogue):  # type: ignore[no-untyped-def]
    return ItemImplementation.objects.get(current__name="食品经营许可（新办）").current


@pytest.fixture
def clerk(make_user, city):  # type: ignore[no-untyped-def]
    return make_user(Role.CLERK, region=city)


def _materials(version) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {m.name: m.pk for m in version.materials.all()}


def e_licence(code: str, applicant: services.Applicant = APPLICANT) -> None:
    """The applicant holds a licence of this type in the e-licence library."""
    from yiwang.catalogue.models import LicenceType
    from yiwang.licences.services import licence_issue

    kind = LicenceType.objects.get(code=code)
    licence_issue(
        actor=None, licence_type=kind, issuer=kind.issuing_department, holder_name=applicant.name,
        holder_code=applicant.id_number, number=f"{code}-{applicant.id_number}",
    )  # fmt: skip


def test_a_case_at_the_window_through_correction_to_acceptance(food, clerk) -> None:  # type: ignore[no-untyped-def]
    ids = _materials(food)
    e_licence("99004")
    case = services.case_submit(
        actor=clerk,
        version=food,
        channel="window",
        applicant=APPLICANT,
        form_data=FORM,
        uploads={ids["食品经营许可申请书"]: _pdf()},
    )
    assert case.number.startswith("990100-")
    assert case.status == CaseStatus.SUBMITTED
    assert case.visits == 1
    states = {m.requirement.name: m.state for m in case.materials.select_related("requirement")}
    assert states["营业执照"] == MaterialState.EXEMPT  # 免提交: the applicant's e-licence supplies it
    assert states["食品经营许可申请书"] == MaterialState.RECEIVED
    assert states["食品安全管理制度文本"] == MaterialState.MISSING
    stored = case.materials.get(requirement_id=ids["食品经营许可申请书"])
    assert (stored.size, stored.content_type, len(stored.digest)) == (len(PDF), "application/pdf", 64)

    with pytest.raises(Conflict) as error:
        services.case_accept(actor=clerk, case=case)
    assert error.value.code == "materials_missing"

    missing = [n for n, s in states.items() if s == MaterialState.MISSING]
    items = [services.CorrectionItem(ids[n], "请补充提交") for n in missing]
    services.case_request_correction(actor=clerk, case=case, items=items)
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_REQUESTED
    notice = case.pauses.get()
    assert [i["material"] for i in notice.items] == missing  # every missing material, in one notice

    services.case_resubmit(actor=clerk, case=case, uploads={ids[n]: _pdf() for n in missing})
    case = services.case_accept(actor=clerk, case=case)
    assert case.status == CaseStatus.IN_REVIEW
    assert case.visits == 2  # the corrected materials were brought to a window: a second visit
    assert list(case.visit_records.values_list("purpose", flat=True)) == ["submit", "resubmit"]
    assert case.accepted_on == timezone.localdate()
    assert case.due_on is not None and case.due_on > case.accepted_on
    assert case.deadline_changes.count() == 1
    open_tasks = ReviewTask.objects.filter(case=case, state=TaskState.OPEN)
    assert [t.name for t in open_tasks] == ["审查"]
    assert [e.action for e in case.events.all()] == ["submit", "request_correction", "resubmit", "accept"]
    assert AuditRecord.objects.filter(action__startswith="cases.").count() == 4


def test_a_joint_approval_item_opens_a_task_per_department_in_parallel(demo_catalogue, clerk) -> None:  # type: ignore[no-untyped-def]
    version = ItemImplementation.objects.get(current__name="建设工程竣工联合验收").current
    ids = _materials(version)
    e_licence("99007")
    e_licence("99016")
    uploads = {pk: _pdf() for name, pk in ids.items() if name not in ("建设工程规划许可证", "建筑工程施工许可证")}
    case = services.case_submit(
        actor=clerk, version=version, channel="window", applicant=APPLICANT, form_data={}, uploads=uploads
    )
    services.case_accept(actor=clerk, case=case)
    departments = set(
        ReviewTask.objects.filter(case=case, state=TaskState.OPEN).values_list("department__short_name", flat=True)
    )
    assert departments == {"住建局", "自然资源局", "交通运输局"}


def test_bad_input_is_reported_at_once_and_nothing_is_kept(food, clerk) -> None:  # type: ignore[no-untyped-def]
    ids = _materials(food)
    with pytest.raises(ValidationFailed) as error:
        services.case_submit(
            actor=clerk,
            version=food,
            channel="window",
            applicant=services.Applicant(kind="legal_person", name="", id_type=IdType.CREDIT_CODE, id_number="123"),
            form_data={"main_business": "卖炸弹", "area": "很大"},
            uploads={ids["食品经营许可申请书"]: _pdf("scan.exe", b"MZ\x90\x00")},
        )
    fields = {e["field"] for e in error.value.details["errors"]}
    assert fields >= {
        "applicant.name",
        "applicant.id_number",
        "form_data.main_business",
        "form_data.area",
        "form_data.online_sale",
        f"materials.{ids['食品经营许可申请书']}",
    }
    assert not Case.objects.exists()


def test_a_renamed_file_is_caught_by_its_content(food, clerk) -> None:  # type: ignore[no-untyped-def]
    ids = _materials(food)
    with pytest.raises(ValidationFailed) as error:
        services.case_submit(
            actor=clerk,
            version=food,
            channel="window",
            applicant=APPLICANT,
            form_data=FORM,
            uploads={ids["食品经营许可申请书"]: _pdf("scan.pdf", b"MZ\x90\x00 not a pdf")},
        )
    assert "不是真正的 PDF 文件" in error.value.details["errors"][0]["message"]


def test_a_retried_submission_creates_one_case(food, clerk) -> None:  # type: ignore[no-untyped-def]
    first = services.case_submit(
        actor=clerk, version=food, channel="window", applicant=APPLICANT, form_data=FORM, idempotency_key="k-1"
    )
    again = services.case_submit(
        actor=clerk, version=food, channel="window", applicant=APPLICANT, form_data=FORM, idempotency_key="k-1"
    )
    assert first.pk == again.pk
    assert Case.objects.count() == 1


def test_refusal_names_reason_basis_and_the_competent_authority(food, clerk) -> None:  # type: ignore[no-untyped-def]
    case = services.case_submit(actor=clerk, version=food, channel="window", applicant=APPLICANT, form_data=FORM)
    with pytest.raises(ValidationFailed):
        services.case_refuse(actor=clerk, case=case, reason="", basis="")
    services.case_refuse(
        actor=clerk,
        case=case,
        reason="申请事项不属于本机关职权范围",
        basis="行政许可法第三十二条第一款第二项",
        competent_authority="示范市卫生健康委员会",
    )
    case.refresh_from_db()
    assert (case.status, case.competent_authority) == (CaseStatus.REFUSED, "示范市卫生健康委员会")
    with pytest.raises(Conflict) as error:
        services.case_accept(actor=clerk, case=case)
    assert error.value.code == "transition_not_allowed"


def test_a_late_correction_notice_is_refused_and_the_clock_starts_at_receipt(food, clerk) -> None:  # type: ignore[no-untyped-def]
    from yiwang.calendar.workdays import working_days_between

    case = services.case_submit(actor=clerk, version=food, channel="window", applicant=APPLICANT, form_data=FORM)
    # Six working days back, asked of the calendar: two calendar weeks can hold only four around 春节.
    today = timezone.localdate()
    received_on = today
    while working_days_between(received_on, today).working_days <= 5:
        received_on -= timedelta(days=1)
    back = timedelta(days=(today - received_on).days)
    Case.objects.filter(pk=case.pk).update(submitted_at=timezone.now() - back)
    item = services.CorrectionItem(case.materials.first().requirement_id, "请补充")
    with pytest.raises(Conflict) as error:
        services.case_request_correction(actor=clerk, case=case, items=[item])
    assert error.value.code == "correction_notice_late"
    # The materials are then taken as they are (容缺 or acceptance); acceptance counts from receipt.
    case.materials.update(state=MaterialState.RECEIVED)
    case = services.case_accept(actor=clerk, case=case)
    assert case.accepted_on == received_on
    assert "第三十二条" in case.deadline_changes.get().reason


def test_only_clerks_of_the_region_take_cases_at_the_window(food, make_user) -> None:  # type: ignore[no-untyped-def]
    from yiwang.organisation.models import Region

    other_region_clerk = make_user(Role.CLERK, region=Region.objects.get(code="990102"))
    approver = make_user(Role.APPROVER, department=Department.objects.get(short_name="公安局"))
    for actor in (other_region_clerk, approver):
        with pytest.raises(PermissionDenied):
            services.case_submit(actor=actor, version=food, channel="window", applicant=APPLICANT, form_data=FORM)


def test_a_walk_in_with_an_online_account_gets_the_case_on_their_page(food, clerk) -> None:  # type: ignore[no-untyped-def]
    from yiwang.accounts.services import company_register

    company = company_register(
        company_name="示范餐饮有限公司",
        credit_code="91350100M000100Y43",
        phone="13800138000",
        password="Yiwang-test-2026!",
    )
    uploads = {m.pk: _pdf() for m in food.materials.all() if not m.shared_data and m.necessity == "required"}
    linked = services.case_submit(
        actor=clerk, version=food, channel="window", applicant=APPLICANT, form_data=FORM, uploads=uploads
    )
    assert linked.applicant_account == company
    other = services.Applicant(
        kind="legal_person", name="另一家餐饮店", id_type=IdType.CREDIT_CODE, id_number="91350100M000102003"
    )
    walk_in = services.case_submit(
        actor=clerk, version=food, channel="window", applicant=other, form_data=FORM, uploads=uploads
    )
    assert walk_in.applicant_account is None


def test_the_intake_page_tells_the_clerk_whether_the_applicant_has_an_account(client, clerk, demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    from yiwang.accounts.services import citizen_register

    citizen_register(
        full_name="张三", id_number="11010519491231002X", phone="13800138001", password="Yiwang-test-2026!"
    )
    client.force_login(clerk)
    url = "/workbench/cases/intake/applicant/"
    found = client.get(url, {"applicant_id_type": "resident_id", "applicant_id_number": "11010519491231002x"})
    assert 'data-account="yes"' in found.content.decode() and "张三" in found.content.decode()
    unknown = client.get(url, {"applicant_id_type": "resident_id", "applicant_id_number": "110105198001010016"})
    assert 'data-account="no"' in unknown.content.decode()
    assert client.get(url, {"applicant_id_type": "resident_id", "applicant_id_number": ""}).content.strip() == b""
