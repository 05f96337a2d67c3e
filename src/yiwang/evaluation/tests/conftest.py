"""A concluded case of a registered company (食品经营许可, 市场监管局), and the people of remediation:
the market regulator's head, another department's head, the centre's administrator and supervisor."""

from __future__ import annotations

from typing import Any

import pytest

from tests.files import pdf_bytes
from yiwang.accounts.roles import Role
from yiwang.organisation.models import Department


@pytest.fixture
def company(db: None) -> Any:
    from yiwang.accounts.services import company_register

    return company_register(
        company_name="示范餐饮有限公司", credit_code="91350100M000100Y43", phone="13800138002", password="Pw-2026-test!"
    )


@pytest.fixture
def people(make_user: Any, city: Any, demo_catalogue: None) -> dict[str, Any]:
    market = Department.objects.get(short_name="市场监管局")
    return {
        "clerk": make_user(Role.CLERK, region=city),
        "approver": make_user(Role.APPROVER, department=market),
        "head": make_user(Role.DEPT_HEAD, department=market),
        "other_head": make_user(Role.DEPT_HEAD, department=Department.objects.get(short_name="公安局")),
        "centre": make_user(Role.CENTRE_ADMIN, region=city),
        "supervisor": make_user(Role.SUPERVISOR, region=city),
        "market": market,
    }


def make_case(people: dict[str, Any], *, conclude: bool = True, result_number: str = "JY13599000000007") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.cases import services as cases
    from yiwang.catalogue.models import ItemImplementation

    version = ItemImplementation.objects.get(current__name="食品经营许可（新办）").current
    uploads = {
        m.pk: SimpleUploadedFile("scan.pdf", pdf_bytes(), content_type="application/pdf")
        for m in version.materials.all()
        if not m.shared_data and m.necessity == "required"
    }
    case = cases.case_submit(
        actor=people["clerk"], version=version, channel="window",
        applicant=cases.Applicant("legal_person", "示范餐饮有限公司", "credit_code", "91350100M000100Y43"),
        form_data={"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"}, uploads=uploads,
    )  # fmt: skip
    if conclude:
        cases.case_accept(actor=people["clerk"], case=case)
        for _step in range(2):
            cases.case_task_complete(actor=people["approver"], case=case, opinion="同意")
        cases.case_decide(actor=people["approver"], case=case, decision="approve", opinion="准予许可")
        cases.case_conclude(actor=people["approver"], case=case, result_number=result_number)
    case.refresh_from_db()
    return case


@pytest.fixture
def concluded(people: dict[str, Any], company: Any) -> Any:
    return make_case(people)


@pytest.fixture
def hall_visit(make_user: Any, city: Any) -> tuple[Any, Any, Any]:
    """A finished visit at window A01 of the demo hall (社会民生, a general window), its clerk and another."""
    from yiwang.hall import services as hall
    from yiwang.hall.models import QueueCategory
    from yiwang.hall.tests.conftest import MORNING
    from yiwang.organisation.models import Window

    clerk, other = make_user(Role.CLERK, region=city), make_user(Role.CLERK, region=city)
    hall.queue_take(category=QueueCategory.objects.get(prefix="A"), channel="phone", device="x", now=MORNING)
    hall.duty_start(actor=clerk, window=Window.objects.get(number="A01"), now=MORNING)
    visit = hall.queue_call_next(actor=clerk, now=MORNING)
    hall.queue_finish(actor=clerk, ticket=visit, now=MORNING)
    return visit, clerk, other


@pytest.fixture
def ticket_replied(make_user: Any, city: Any, demo_city: None) -> tuple[Any, Any]:
    """A 12345 complaint dispatched to 朝阳街道办事处 and replied; the supervisor who follows up."""
    from yiwang.demo.city import demo_departments
    from yiwang.demo.hotline import demo_hotline_load
    from yiwang.hotline import services as hotline

    demo_hotline_load(demo_departments())
    street = Department.objects.get(name="朝阳街道办事处")
    agent, officer = make_user(Role.HOTLINE_AGENT, region=city), make_user(Role.HANDLER, department=street)
    supervisor = make_user(Role.SUPERVISOR, region=city)
    intake = hotline.Intake(
        channel="phone", kind="complaint", category_code="CX0101", description="康宁里夜间施工噪音扰民",
        region_code="990102002", caller_name="王先生", caller_phone="13800138000",
    )  # fmt: skip
    ticket = hotline.ticket_create(actor=agent, intake=intake)
    ticket = hotline.ticket_dispatch(actor=make_user(Role.DISPATCHER, region=city), ticket=ticket)
    ticket = hotline.ticket_sign(actor=officer, ticket=ticket)
    ticket = hotline.ticket_reply(actor=officer, ticket=ticket, answer="已责令停工")
    return ticket, supervisor
