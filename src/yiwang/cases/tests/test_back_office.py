"""Back office: review steps, joint approval, special procedures, extensions, decision and hand-out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tests.files import pdf_bytes
from tests.workflow_walk import walk
from yiwang.accounts.roles import Role
from yiwang.calendar.workdays import working_days_between
from yiwang.cases import services
from yiwang.cases.models import Case, CaseStatus, MaterialState
from yiwang.cases.tests.test_intake import APPLICANT, FORM, _materials, _pdf
from yiwang.catalogue.models import ItemImplementation, LicenceType
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.licences.services import licence_issue
from yiwang.organisation.models import Department

pytestmark = pytest.mark.django_db


def _accepted(people, name: str = "食品经营许可（新办）", form=FORM) -> Case:  # type: ignore[no-untyped-def]
    version = ItemImplementation.objects.get(current__name=name).current
    uploads = {m.pk: _pdf() for m in version.materials.all() if not m.shared_data and m.necessity == "required"}
    case = services.case_submit(
        actor=people["clerk"], version=version, channel="window", applicant=APPLICANT, form_data=form, uploads=uploads
    )
    return services.case_accept(actor=people["clerk"], case=case)


def test_review_special_procedure_extension_decision_and_hand_out(people) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    due = case.due_on
    services.case_task_complete(actor=people["approver"], case=case, opinion="材料齐全，符合条件")
    # A site inspection stops the clock; its working days are added when it ends.
    services.case_suspend(
        actor=people["approver"], case=case, procedure="site_inspection", reason="需现场核查经营场所", expected_days=3
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    pause = case.pauses.get(kind="special")
    # Two weeks back: even the longest holiday (National Day, the Spring Festival: 8–9 days) leaves working
    # days in them, whatever day the test clock starts on.
    started = timezone.localdate() - timedelta(days=14)
    type(pause).objects.filter(pk=pause.pk).update(started_on=started)
    case = services.case_resume(actor=people["approver"], case=case, result="现场核查合格")
    # Those days' working days (ten in ordinary weeks; fewer over a holiday, more with a 调休 day).
    assert case.paused_days == working_days_between(started, timezone.localdate()).working_days > 0
    assert case.due_on > due

    request = services.case_extension_request(actor=people["approver"], case=case, days=5, reason="需征求相关部门意见")
    with pytest.raises(PermissionDenied):  # the approver cannot approve their own request
        services.case_extension_decide(actor=people["approver"], request=request, approve=True)
    before = Case.objects.get(pk=case.pk).due_on
    services.case_extension_decide(actor=people["head"], request=request, approve=True)
    case.refresh_from_db()
    assert case.extension_days == 5
    assert case.due_on > before
    with pytest.raises(ValidationFailed):  # §42: at most 10 more working days in all
        services.case_extension_request(actor=people["approver"], case=case, days=6, reason="再延")

    with pytest.raises(Conflict) as unfinished:
        services.case_decide(actor=people["approver"], case=case, decision="approve", opinion="同意")
    assert unfinished.value.code == "review_unfinished"
    services.case_task_complete(actor=people["approver"], case=case, opinion="同意许可")
    with pytest.raises(ValidationFailed):
        services.case_decide(actor=people["approver"], case=case, decision="approve", opinion="")
    services.case_decide(actor=people["approver"], case=case, decision="approve", opinion="准予许可")
    services.case_conclude(actor=people["approver"], case=case, result_number="JY13599000000001")
    with pytest.raises(ValidationFailed):  # express delivery needs carrier, waybill and address
        services.case_hand_out(actor=people["clerk"], case=case, method="express")
    case = services.case_hand_out(
        actor=people["clerk"],
        case=case,
        method="express",
        carrier="中国邮政 EMS",
        waybill="1234567890123",
        address="示范市城东区市民大道 1 号",
    )
    assert case.status == CaseStatus.DELIVERED
    assert case.delivery.waybill == "1234567890123"
    assert [e.action for e in case.events.all()] == [
        "submit",
        "accept",
        "task_complete",
        "suspend",
        "resume",
        "extension_request",
        "extend",
        "task_complete",
        "decide",
        "conclude",
        "hand_out",
    ]


def test_another_department_cannot_act_on_the_case(people) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    with pytest.raises(Conflict) as error:
        services.case_task_complete(actor=people["police_approver"], case=case, opinion="同意")
    assert error.value.code == "no_open_task"
    with pytest.raises(PermissionDenied):
        services.case_decide(actor=people["police_approver"], case=case, decision="approve", opinion="同意")
    with pytest.raises(PermissionDenied):
        services.case_task_complete(actor=people["clerk"], case=case, opinion="同意")


def test_joint_approval_waits_for_every_department(people, make_user) -> None:  # type: ignore[no-untyped-def]
    housing_approver = make_user(Role.APPROVER, department=Department.objects.get(short_name="住建局"))
    resources_approver = make_user(Role.APPROVER, department=Department.objects.get(short_name="自然资源局"))
    transport_approver = make_user(Role.APPROVER, department=Department.objects.get(short_name="交通运输局"))
    case = _accepted(people, "建设工程竣工联合验收", form={})
    services.case_task_complete(actor=housing_approver, case=case, opinion="质量验收合格")
    services.case_task_complete(actor=resources_approver, case=case, opinion="规划核实合格")
    open_names = list(case.tasks.filter(state="open").values_list("name", flat=True))
    assert open_names == ["联合审查"]  # the next step waits for the last department
    services.case_task_complete(actor=transport_approver, case=case, opinion="同意")
    assert list(case.tasks.filter(state="open").values_list("name", flat=True)) == ["决定"]


def test_pending_materials_must_arrive_or_the_case_lapses(people) -> None:  # type: ignore[no-untyped-def]
    version = ItemImplementation.objects.get(current__name="食品经营许可（新办）").current
    ids = _materials(version)
    deferrable = ids["食品安全管理人员培训合格证明"]
    # The company holds its 营业执照 as an e-licence, so it is not asked for it.
    kind = LicenceType.objects.get(code="99004")
    licence_issue(
        actor=None, licence_type=kind, issuer=kind.issuing_department, holder_name=APPLICANT.name,
        holder_code=APPLICANT.id_number, number=APPLICANT.id_number,
    )  # fmt: skip
    uploads = {pk: _pdf() for name, pk in ids.items() if name not in ("营业执照", "食品安全管理人员培训合格证明")}
    case = services.case_submit(
        actor=people["clerk"], version=version, channel="window", applicant=APPLICANT, form_data=FORM, uploads=uploads
    )
    with pytest.raises(ValidationFailed):  # only 容缺-eligible materials may be promised
        services.case_accept_pending(
            actor=people["clerk"],
            case=case,
            requirement_ids=[ids["食品经营许可申请书"]],
            until=timezone.localdate() + timedelta(days=10),
        )
    for far in (timezone.localdate() + timedelta(days=400), date(9999, 12, 31)):  # a typing mistake, not a promise
        with pytest.raises(ValidationFailed):
            services.case_accept_pending(actor=people["clerk"], case=case, requirement_ids=[deferrable], until=far)
    case = services.case_accept_pending(
        actor=people["clerk"], case=case, requirement_ids=[deferrable], until=timezone.localdate() + timedelta(days=10)
    )
    assert case.status == CaseStatus.ACCEPTED_PENDING
    assert case.materials.get(requirement_id=deferrable).state == MaterialState.PENDING
    with pytest.raises(Conflict):  # cannot be decided until supplied
        services.case_decide(actor=people["approver"], case=case, decision="approve", opinion="同意")
    assert services.cases_lapse_pending(today=timezone.localdate() + timedelta(days=5)) == 0
    assert services.cases_lapse_pending(today=timezone.localdate() + timedelta(days=11)) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN


def test_supplying_the_pending_materials_opens_the_review(people) -> None:  # type: ignore[no-untyped-def]
    version = ItemImplementation.objects.get(current__name="食品经营许可（新办）").current
    ids = _materials(version)
    deferrable = ids["食品安全管理人员培训合格证明"]
    # The company holds its 营业执照 as an e-licence, so it is not asked for it.
    kind = LicenceType.objects.get(code="99004")
    licence_issue(
        actor=None, licence_type=kind, issuer=kind.issuing_department, holder_name=APPLICANT.name,
        holder_code=APPLICANT.id_number, number=APPLICANT.id_number,
    )  # fmt: skip
    uploads = {pk: _pdf() for name, pk in ids.items() if name not in ("营业执照", "食品安全管理人员培训合格证明")}
    case = services.case_submit(
        actor=people["clerk"], version=version, channel="window", applicant=APPLICANT, form_data=FORM, uploads=uploads
    )
    services.case_accept_pending(
        actor=people["clerk"], case=case, requirement_ids=[deferrable], until=timezone.localdate() + timedelta(days=10)
    )
    case = services.case_supply(actor=people["clerk"], case=case, uploads={deferrable: _pdf()})
    assert case.status == CaseStatus.IN_REVIEW
    assert case.tasks.filter(state="open").exists()


def test_the_applicant_withdraws(people) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    services.case_withdraw(actor=people["clerk"], case=case, reason="申请人不再需要")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.case_task_complete(actor=people["approver"], case=case, opinion="同意")


def test_a_file_of_the_wrong_kind_cannot_be_supplied(people) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    with pytest.raises(Conflict):
        services.case_supply(actor=people["clerk"], case=case, uploads={1: SimpleUploadedFile("x.pdf", pdf_bytes())})


def test_every_status_and_step_of_the_table_through_the_services(people) -> None:  # type: ignore[no-untyped-def]
    """The case's table walked completely: each step from each status through its service, each in a
    transaction rolled back after, with what the step needs besides the status prepared for it."""
    from yiwang.cases.models import CasePause, PauseKind, TaskState
    from yiwang.cases.workflow import WORKFLOW
    from yiwang.catalogue.models import SpecialProcedure

    case = _accepted(people)
    deferrable = _materials(case.version)["食品安全管理人员培训合格证明"]
    today = timezone.localdate()
    steps = {
        "pre_review": lambda c: services.case_pre_review(actor=None, case=c, opinion="材料齐全"),
        "accept": lambda c: services.case_accept(actor=None, case=c),
        "refuse": lambda c: services.case_refuse(actor=None, case=c, reason="不属于本机关职权", basis="§32"),
        "request_correction": lambda c: services.case_request_correction(
            actor=None, case=c, items=[services.CorrectionItem(c.materials.first().requirement_id, "请补正")]
        ),
        "resubmit": lambda c: services.case_resubmit(actor=None, case=c, uploads={}),
        "accept_pending": lambda c: services.case_accept_pending(
            actor=None, case=c, requirement_ids=[deferrable], until=today + timedelta(days=10)
        ),
        "supply": lambda c: services.case_supply(actor=None, case=c, uploads={deferrable: _pdf()}),
        "lapse": lambda c: services.cases_lapse_pending(today=today),
        "task_complete": lambda c: services.case_task_complete(actor=None, case=c, opinion="同意"),
        "suspend": lambda c: services.case_suspend(
            actor=None, case=c, procedure=SpecialProcedure.values[0], reason="需现场核查", expected_days=3
        ),
        "resume": lambda c: services.case_resume(actor=None, case=c, result="核查合格"),
        "extend": lambda c: services.case_extension_request(actor=None, case=c, days=1, reason="需征求意见"),
        "decide": lambda c: services.case_decide(actor=None, case=c, decision="approve", opinion="准予许可"),
        "conclude": lambda c: services.case_conclude(actor=None, case=c, result_number="JY1"),
        "hand_out": lambda c: services.case_hand_out(actor=None, case=c, method="pickup", recipient="张三"),
        "close": lambda c: services.case_close(actor=None, case=c),
        "withdraw": lambda c: services.case_withdraw(actor=None, case=c),
        "terminate": lambda c: services.case_terminate(actor=None, case=c, reason="申请人已注销"),
    }

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                Case.objects.filter(pk=case.pk).update(status=status, pending_until=today - timedelta(days=1))
                case.materials.filter(requirement_id=deferrable).update(
                    state=MaterialState.PENDING if action == "supply" else MaterialState.MISSING
                )
                if action == "decide":
                    case.tasks.update(state=TaskState.DONE)
                if action == "resume":
                    CasePause.objects.create(
                        case=case, kind=PauseKind.SPECIAL, procedure=SpecialProcedure.values[0], reason="核查",
                        expected_days=3, started_on=today,
                    )  # fmt: skip
                steps[action](Case.objects.get(pk=case.pk))
                return Case.objects.get(pk=case.pk).status
            finally:
                transaction.set_rollback(True)

    assert set(steps) == set(WORKFLOW.actions)
    walk(WORKFLOW, CaseStatus.values, run, code="transition_not_allowed", quiet={"lapse"})


def test_the_nightly_task_is_registered() -> None:
    from huey.contrib.djhuey import HUEY

    from yiwang.cases import tasks

    assert tasks.cases_pending_lapse.task_class in HUEY._registry._periodic_tasks


def test_an_on_the_spot_item_is_concluded_in_one_sitting(people) -> None:  # type: ignore[no-untyped-def]
    version = ItemImplementation.objects.get(current__name="营业执照遗失补领").current
    uploads = {m.pk: _pdf() for m in version.materials.all() if not m.shared_data}
    case = services.case_submit(
        actor=people["clerk"], version=version, channel="window", applicant=APPLICANT, form_data={}, uploads=uploads
    )
    case = services.case_handle_on_the_spot(actor=people["clerk"], case=case, decision="approve", opinion="当场办结")
    assert case.status == CaseStatus.CONCLUDED
    assert case.due_on == case.accepted_on  # promised 0 working days
    food = _accepted(people)
    with pytest.raises(Conflict) as error:
        services.case_handle_on_the_spot(actor=people["clerk"], case=food, decision="approve", opinion="x")
    assert error.value.code == "not_on_the_spot"


def test_only_the_head_terminates(people) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    with pytest.raises(PermissionDenied):
        services.case_terminate(actor=people["approver"], case=case, reason="申请人主体资格已注销")
    services.case_terminate(actor=people["head"], case=case, reason="申请人主体资格已注销")
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED


def test_concluded_results_wait_at_the_hand_out_window(people) -> None:  # type: ignore[no-untyped-def]
    from yiwang.cases import selectors

    version = ItemImplementation.objects.get(current__name="营业执照遗失补领").current
    uploads = {m.pk: _pdf() for m in version.materials.all() if not m.shared_data}
    case = services.case_submit(
        actor=people["clerk"], version=version, channel="window", applicant=APPLICANT, form_data={}, uploads=uploads
    )
    services.case_handle_on_the_spot(actor=people["clerk"], case=case, decision="approve", opinion="当场办结")
    assert list(selectors.ready_for_hand_out(people["clerk"])) == [case]
    assert list(selectors.approver_inbox(people["approver"])) == []
    services.case_hand_out(actor=people["clerk"], case=case, method="pickup", recipient="张三")
    assert list(selectors.ready_for_hand_out(people["clerk"])) == []


def test_the_remaining_days_stand_still_during_a_special_procedure(people) -> None:  # type: ignore[no-untyped-def]
    """§45: the time of a special procedure is not counted, so the count-down pauses with it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from yiwang.cases.deadlines import case_remaining

    shanghai = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2026, 9, 29, 10, tzinfo=shanghai)):
        case = _accepted(people)
        assert case.due_on == date(2026, 10, 12)  # five working days over the National Day week
        assert case_remaining(case, date(2026, 9, 29)).working_days == 5
    with time_machine.travel(datetime(2026, 9, 30, 10, tzinfo=shanghai)):
        case = services.case_suspend(
            actor=people["approver"], case=case, procedure="site_inspection", reason="现场核查", expected_days=3
        )
        assert case_remaining(case, date(2026, 9, 30)).working_days == 4
    left = case_remaining(case, date(2026, 10, 9))
    assert (left.working_days, left.stopped) == (4, True)
    with time_machine.travel(datetime(2026, 10, 9, 10, tzinfo=shanghai)):
        case = services.case_resume(actor=people["approver"], case=case, result="合格")
    assert (case.paused_days, case.due_on, case.clock_stopped_on) == (2, date(2026, 10, 14), None)
    assert case_remaining(case, date(2026, 10, 9)).working_days == 4
