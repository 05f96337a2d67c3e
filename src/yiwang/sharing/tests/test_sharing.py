"""Data sharing: registered resources, queries by systems and staff with purpose and case, every access
logged and visible to the provider and the person, proofs replaced at submission (issue 7)."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.api_keys import api_key_issue
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.cases import services as cases
from yiwang.cases.models import MaterialState
from yiwang.catalogue.models import ItemImplementation
from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.demo.city import demo_departments
from yiwang.demo.licences import CITIZEN, demo_licences_load
from yiwang.licences.tests.test_lifecycle import form_for
from yiwang.organisation.models import Department
from yiwang.sharing.models import DataQuery, DataResource
from yiwang.sharing.services import data_query, data_resource_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    demo_licences_load(demo_departments())


def test_the_demo_registers_three_resources_each_replacing_a_demo_material(shared) -> None:  # type: ignore[no-untyped-def]
    resources = {r.code: r for r in DataResource.objects.select_related("provider")}
    assert set(resources) == {"social-insurance", "property", "household"}
    assert {r.provider.short_name for r in resources.values()} == {"人社局", "自然资源局", "公安局"}
    for resource in resources.values():
        assert ItemImplementation.objects.filter(current__materials__shared_data=resource.replaces).exists()
    catalogue = Client().get("/api/v1/sharing/resources").json()
    assert {r["code"] for r in catalogue} == set(resources) and catalogue[0]["legal_basis"]


def test_a_system_queries_with_its_scope_purpose_and_case_and_everything_is_logged(shared) -> None:  # type: ignore[no-untyped-def]
    raw, _ = api_key_issue(actor=None, name="市住房保障系统", scopes=["sharing:property"])
    client = Client()
    url = "/api/v1/sharing/resources/{}/query"
    body = {"subject_code": CITIZEN[1], "purpose": "公共租赁住房资格审核", "case_number": "ZF-2026-0001"}
    answer = client.post(url.format("property"), body, content_type="application/json", HTTP_X_API_KEY=raw)
    assert answer.status_code == 200 and answer.json()["found"] and answer.json()["data"]["套数"] == "1"
    no_scope = client.post(url.format("household"), body, content_type="application/json", HTTP_X_API_KEY=raw)
    assert no_scope.status_code == 403 and no_scope.json()["code"] == "insufficient_scope"
    no_purpose = client.post(
        url.format("property"), {**body, "purpose": ""}, content_type="application/json", HTTP_X_API_KEY=raw
    )
    assert no_purpose.status_code == 422 and no_purpose.json()["details"]["errors"][0]["field"] == "purpose"
    no_case = client.post(
        url.format("property"), {**body, "case_number": ""}, content_type="application/json", HTTP_X_API_KEY=raw
    )
    assert no_case.status_code == 422
    bad_subject = client.post(
        url.format("property"), {**body, "subject_code": "123"}, content_type="application/json", HTTP_X_API_KEY=raw
    )
    assert bad_subject.status_code == 422
    assert client.post(url.format("property"), body, content_type="application/json").status_code == 401
    log = list(DataQuery.objects.order_by("pk").values_list("outcome", "refusal"))
    assert log == [
        ("found", ""),
        ("refused", "insufficient_scope"),
        ("refused", "purpose_required"),
        ("refused", "case_required"),
        ("refused", "bad_subject"),
    ]
    query = DataQuery.objects.order_by("pk").first()
    assert query.party == "市住房保障系统" and query.subject_masked == "110101********1232"
    assert CITIZEN[1] not in str(list(DataQuery.objects.values()))  # the number itself is never kept


def test_staff_query_by_page_and_the_provider_reads_its_access_log(client, shared, make_user, city) -> None:  # type: ignore[no-untyped-def]
    clerk = make_user(Role.CLERK, region=city)
    client.force_login(clerk)
    form = {"resource": "household", "subject_code": CITIZEN[1], "purpose": "", "case_number": "X"}
    refused = client.post("/sharing/", form)
    assert refused.status_code == 422 and DataQuery.objects.get().outcome == "refused"
    done = client.post("/sharing/", {**form, "purpose": "核实户籍"})
    assert done.status_code == 200 and "东湖街道" in done.content.decode()
    assert client.get("/sharing/household/log/").status_code == 404  # not the provider
    police_head = make_user(Role.DEPT_HEAD, department=Department.objects.get(short_name="公安局"))
    client.force_login(police_head)
    log = client.get("/sharing/household/log/").content.decode()
    assert log.count("data-outcome") == 2 and "核实户籍" in log and CITIZEN[1] not in log
    auditor = make_user(Role.AUDITOR, region=city)
    with pytest.raises(PermissionDenied):  # 三员: the security roles query no business data
        data_query(resource_code="household", subject_code=CITIZEN[1], purpose="看看", case_number="1", user=auditor)


def test_the_person_sees_who_looked_up_their_data(shared) -> None:  # type: ignore[no-untyped-def]
    person = User.objects.get(username="demo-citizen")  # 张三, whose records the demo provides
    key, _ = api_key_issue(actor=None, name="市民政局低保系统", scopes=["sharing:*"])
    from yiwang.accounts.api_keys import api_key_for

    data_query(
        resource_code="social-insurance", subject_code=CITIZEN[1], purpose="低保家庭经济状况核对",
        case_number="DB-1", api_key=api_key_for(key),
    )  # fmt: skip
    client = Client()
    client.force_login(person)
    page = client.get("/my/").content.decode()
    assert "市民政局低保系统" in page and "低保家庭经济状况核对" in page and "社会保险参保缴费记录" in page


def test_shared_data_replaces_the_proof_at_submission_and_the_query_is_logged(shared, make_user, city) -> None:  # type: ignore[no-untyped-def]
    version = ItemImplementation.objects.get(current__name="公共租赁住房申请").current
    housing = version.materials.get(shared_data="不动产登记信息")
    clerk = make_user(Role.CLERK, region=city)

    def submit(code: str):  # type: ignore[no-untyped-def]
        return cases.case_submit(
            actor=clerk, version=version, channel="window",
            applicant=cases.Applicant("natural_person", "某人", "resident_id", code), form_data=form_for(version),
        )  # fmt: skip

    case = submit(CITIZEN[1])
    material = case.materials.get(requirement=housing)
    assert material.state == MaterialState.EXEMPT and "自然资源局" in material.note
    query = DataQuery.objects.get(case_number=case.number)
    assert (query.outcome, query.resource.code) == ("found", "property")
    # No record of this person: they supply the proof themselves.
    assert submit("110102198506200035").materials.get(requirement=housing).state == MaterialState.MISSING


def test_registering_a_resource_needs_fields_a_legal_basis_and_the_provider_s_administrator(shared, make_user) -> None:  # type: ignore[no-untyped-def]
    tax = Department.objects.get(short_name="税务局")
    with pytest.raises(ValidationFailed) as failed:
        data_resource_register(
            actor=None, provider=tax, code="Tax!", name="", fields=[], subject_kind="x", legal_basis=""
        )
    assert {e["field"] for e in failed.value.details["errors"]} == {
        "code", "name", "fields", "subject_kind", "legal_basis"
    }  # fmt: skip
    with pytest.raises(PermissionDenied):
        data_resource_register(
            actor=make_user(Role.DEPT_ADMIN, department=Department.objects.get(short_name="公安局")),
            provider=tax, code="tax-paid", name="完税信息", fields=[{"key": "税额", "label": "税额"}],
            subject_kind="person", legal_basis="《税收征收管理法》",
        )  # fmt: skip


def test_a_department_administrator_registers_a_resource_through_the_page(client, shared, make_user) -> None:  # type: ignore[no-untyped-def]
    tax = Department.objects.get(short_name="税务局")
    client.force_login(make_user(Role.DEPT_ADMIN, department=tax))
    form = {"provider": str(tax.pk), "code": "tax-paid", "name": "个人完税信息", "fields": "",
            "subject_kind": "person", "personal": "on", "legal_basis": ""}  # fmt: skip
    refused = client.post("/sharing/register/", form)
    assert refused.status_code == 422 and not DataResource.objects.filter(code="tax-paid").exists()
    done = client.post(
        "/sharing/register/", {**form, "fields": "税种\n纳税额：实缴税额（元）", "legal_basis": "《税收征收管理法》"}
    )
    assert done.status_code == 302
    resource = DataResource.objects.get(code="tax-paid")
    assert resource.fields == [{"key": "税种", "label": "税种"}, {"key": "纳税额", "label": "实缴税额（元）"}]
    client.force_login(make_user(Role.CLERK, region=tax.region))
    assert client.get("/sharing/register/").status_code == 404
