"""Licence types, manual issuing, revoke / annul / expire / re-issue, the wallet with share links and
uses, licences standing in for materials, and other departments' use by API (issue 7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests.workflow_walk import walk
from yiwang.accounts.api_keys import api_key_issue
from yiwang.accounts.roles import Role
from yiwang.accounts.services import citizen_register
from yiwang.audit.models import AuditRecord
from yiwang.cases import services as cases
from yiwang.cases.models import MaterialState
from yiwang.catalogue.models import ItemImplementation, LicenceType
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.licences import services
from yiwang.licences.models import Licence, LicenceStatus, LicenceUse
from yiwang.licences.selectors import licence_valid_for, licence_verify
from yiwang.licences.workflow import WORKFLOW
from yiwang.organisation.models import Department

pytestmark = pytest.mark.django_db
PERSON = ("张三", "11010519491231002X")
PASSWORD = "Yiwang-test-2026!"


def form_for(version) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A valid form for any demo item (the online tests' example values)."""
    from yiwang.online.tests.test_online import _form

    return {key[6:]: value for key, value in _form(version).items()}


def _id_card(holder: tuple[str, str] = PERSON, **extra) -> Licence:  # type: ignore[no-untyped-def]
    kind = LicenceType.objects.get(code="99001")
    assert kind.issuing_department is not None
    return services.licence_issue(
        actor=None,
        licence_type=kind,
        issuer=kind.issuing_department,
        holder_name=holder[0],
        holder_code=holder[1],
        number=holder[1],
        data={"性别": "男", "民族": "汉", "出生日期": "1949-12-31", "住址": "示范市城东区"},
        **extra,
    )


def test_licence_types_carry_their_gb_code_metadata_and_validity(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    kind = LicenceType.objects.get(code="99001")
    assert len(kind.gb_code) == 21 and kind.gb_code[18:].isdigit()
    assert [f["key"] for f in kind.fields] == ["性别", "民族", "出生日期", "住址"]
    licence = _id_card()
    # The identifier carries the GB/T 36904 type code; an ID card is valid 20 years from issue.
    assert licence.identifier.startswith(f"1.2.156.3005.2.{kind.gb_code}.{kind.issuing_department.credit_code}.")
    assert licence.valid_until == licence.valid_from.replace(year=licence.valid_from.year + 20) - timedelta(days=1)
    driving = LicenceType.objects.get(code="99003")  # six years; 29 February has no match in 2030
    assert services.validity_until(driving, date(2024, 2, 29)) == date(2030, 2, 27)
    assert services.validity_until(kind, date(2024, 2, 29)) == date(2044, 2, 28)


def test_a_department_issues_by_hand_with_its_metadata_checked(demo_catalogue, make_user) -> None:  # type: ignore[no-untyped-def]
    police = Department.objects.get(short_name="公安局")
    kind = LicenceType.objects.get(code="99001")
    admin = make_user(Role.DEPT_ADMIN, department=police)
    with pytest.raises(ValidationFailed) as failed:
        services.licence_issue(
            actor=admin, licence_type=kind, issuer=police, holder_name="", holder_code="123", number="",
            data={"出生日期": "去年"}, check_data=True,
        )  # fmt: skip
    fields = {e["field"] for e in failed.value.details["errors"]}
    assert {"holder_name", "holder_code", "number", "data.性别", "data.出生日期"} <= fields
    assert Licence.objects.count() == 0
    market_admin = make_user(Role.DEPT_ADMIN, department=Department.objects.get(short_name="市场监管局"))
    with pytest.raises(PermissionDenied):  # another department's licence type
        services.licence_issue(
            actor=market_admin, licence_type=kind, issuer=police, holder_name="张三", holder_code=PERSON[1], number="1"
        )


def test_revoke_annul_expire_and_reissue_are_visible_in_verification(demo_catalogue, make_user) -> None:  # type: ignore[no-untyped-def]
    police = Department.objects.get(short_name="公安局")
    head = make_user(Role.DEPT_HEAD, department=police)
    licence = _id_card()
    with pytest.raises(ValidationFailed):  # a reason is required
        services.licence_revoke(actor=head, licence=licence, reason=" ")
    new = services.licence_reissue(
        actor=head, licence=licence, reason="住址变更", data={**licence.data, "住址": "示范市城西区"}
    )
    assert (new.version, new.number, new.replaces_id) == (2, licence.number, licence.pk)
    assert new.identifier.split(".")[-3] == licence.identifier.split(".")[-3]  # same serial, next version
    old = licence_verify(licence.identifier)
    assert (old.licence.status, old.authentic, old.replaced_by) == ("annulled", True, new.identifier)
    assert [e.action for e in old.events] == ["issue", "reissue"] and old.events[1].reason == "住址变更"
    assert licence_verify(new.identifier).authentic
    with pytest.raises(Conflict):  # an annulled version cannot be revoked
        services.licence_revoke(actor=head, licence=licence, reason="吊销")
    services.licence_revoke(actor=head, licence=new, reason="伪造申请材料，依法撤销")
    checked = licence_verify(new.identifier)
    assert checked.licence.status == "revoked" and checked.events[-1].reason == "伪造申请材料，依法撤销"
    assert AuditRecord.objects.filter(action="licences.revoke").count() == 1
    # Expiry: a licence past its last day becomes expired overnight, once.
    short = _id_card(("李四", "110101198001011232"), valid_until=timezone.localdate() - timedelta(days=1))
    from yiwang.licences.tasks import licences_expire_nightly

    assert licences_expire_nightly.call_local() == 1 and services.licences_expire() == 0
    assert licence_verify(short.identifier).licence.status == "expired"
    body = Client().get("/api/v1/licences/verify", {"identifier": new.identifier}).json()
    assert body["status"] == "revoked" and [h["action"] for h in body["history"]] == ["issue", "revoke"]


def test_every_status_and_step_of_the_table_through_the_services(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    """The licence's table walked completely, each step in a transaction rolled back after; the nightly
    expiry is a sweep that passes over every licence it may not expire."""
    licence = _id_card(valid_until=timezone.localdate() - timedelta(days=1))
    steps = {
        "revoke": lambda: services.licence_revoke(actor=None, licence=licence, reason="依法撤销"),
        "annul": lambda: services.licence_annul(actor=None, licence=licence, reason="持证人申请注销"),
        "reissue": lambda: services.licence_reissue(actor=None, licence=licence, reason="住址变更"),
        "expire": lambda: services.licences_expire(),
    }

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                Licence.objects.filter(pk=licence.pk).update(status=status)
                steps[action]()
                return Licence.objects.get(pk=licence.pk).status
            finally:
                transaction.set_rollback(True)

    assert set(steps) == set(WORKFLOW.actions)
    walk(WORKFLOW, LicenceStatus.values, run, code="licence_status", quiet={"expire"})


def test_a_valid_licence_replaces_the_material_at_the_window_and_the_use_is_recorded(  # type: ignore[no-untyped-def]
    demo_catalogue, make_user, city
) -> None:
    version = ItemImplementation.objects.get(current__name="无犯罪记录证明开具").current
    id_card = version.materials.get(replaced_by__code="99001")
    clerk = make_user(Role.CLERK, region=city)
    applicant = cases.Applicant("natural_person", *PERSON[:1], "resident_id", PERSON[1])

    def submit():  # type: ignore[no-untyped-def]
        return cases.case_submit(
            actor=clerk, version=version, channel="window", applicant=applicant,
            form_data=form_for(version),
        )  # fmt: skip

    without = submit()
    assert without.materials.get(requirement=id_card).state == MaterialState.MISSING  # no licence: asked for it
    licence = _id_card()
    case = submit()
    material = case.materials.get(requirement=id_card)
    assert material.state == MaterialState.EXEMPT and "居民身份证" in material.note and PERSON[1] not in material.note
    use = LicenceUse.objects.get(licence=licence)
    assert (use.case, use.department) == (case, case.department) and id_card.name in use.purpose
    # A revoked licence no longer stands in for the paper.
    services.licence_revoke(actor=None, licence=licence, reason="证件作废")
    assert licence_valid_for(PERSON[1], id_card.replaced_by_id) is None
    assert submit().materials.get(requirement=id_card).state == MaterialState.MISSING


def test_the_intake_check_tells_the_clerk_which_materials_not_to_ask_for(
    client, demo_catalogue, make_user, city
) -> None:  # type: ignore[no-untyped-def]
    version = ItemImplementation.objects.get(current__name="无犯罪记录证明开具")
    client.force_login(make_user(Role.CLERK, region=city))
    url = "/workbench/cases/intake/applicant/"
    params = {"applicant_id_type": "resident_id", "applicant_id_number": PERSON[1], "item": version.code}
    assert 'data-covered="none"' in client.get(url, params).content.decode()
    _id_card()
    page = client.get(url, params).content.decode()
    assert "data-covered" in page and "申请人居民身份证" in page and PERSON[1] not in page  # masked


def test_the_holder_shares_a_licence_for_a_while_and_sees_every_use(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    holder = citizen_register(full_name=PERSON[0], id_number=PERSON[1], phone="13800138001", password=PASSWORD)
    licence = _id_card()
    assert licence.holder_account == holder  # linked to the account by ID number
    me = Client()
    me.force_login(holder)
    page = me.get(f"/licences/mine/{licence.identifier}/")
    assert page.status_code == 200
    refused = me.post(f"/licences/mine/{licence.identifier}/share/", {"recipient": "", "purpose": "租房", "days": "99"})
    assert refused.status_code == 422
    created = me.post(
        f"/licences/mine/{licence.identifier}/share/", {"recipient": "示范银行", "purpose": "开户核验", "days": "7"}
    )
    link = created.content.decode().split("data-share-link>")[1].split("<")[0]
    stranger = Client()
    shown = stranger.get(link.replace("http://testserver", ""))
    text = shown.content.decode()
    assert shown.status_code == 200 and 'data-verified="authentic"' in text and PERSON[0] in text
    use = LicenceUse.objects.get(licence=licence)
    assert (use.party, use.purpose) == ("示范银行", "开户核验")
    assert "示范银行" in me.get(f"/licences/mine/{licence.identifier}/").content.decode()
    # Withdrawn or expired, the link shows nothing.
    share = licence.share_links.get()
    me.post(f"/licences/mine/{licence.identifier}/share/{share.pk}/revoke/")
    assert stranger.get(link.replace("http://testserver", "")).status_code == 404
    assert LicenceUse.objects.filter(licence=licence).count() == 1
    # Someone else's licence is not found for them.
    other = citizen_register(full_name="李四", id_number="110102198506200035", phone="13800138009", password=PASSWORD)
    me.force_login(other)
    assert me.get(f"/licences/mine/{licence.identifier}/").status_code == 404


def test_other_systems_use_a_licence_with_purpose_and_case_under_their_scope(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    licence = _id_card()
    raw, _key = api_key_issue(actor=None, name="示范市住房保障系统", scopes=["licences:use"])
    other, _k = api_key_issue(actor=None, name="无关系统", scopes=["sharing:*"])
    client = Client()
    body = {"holder_code": PERSON[1], "licence_type": "99001", "purpose": "公租房资格审核", "case_number": "ZF-2026-1"}
    assert client.post("/api/v1/licences/use", body, content_type="application/json").status_code == 401
    denied = client.post("/api/v1/licences/use", body, content_type="application/json", HTTP_X_API_KEY=other)
    assert denied.status_code == 403 and denied.json()["code"] == "insufficient_scope"
    no_purpose = client.post(
        "/api/v1/licences/use", {**body, "purpose": ""}, content_type="application/json", HTTP_X_API_KEY=raw
    )
    assert no_purpose.status_code == 422 and AuditRecord.objects.filter(action="licences.use_refused").exists()
    found = client.post("/api/v1/licences/use", body, content_type="application/json", HTTP_X_API_KEY=raw)
    assert found.status_code == 200 and found.json()["identifier"] == licence.identifier
    assert LicenceUse.objects.get(licence=licence).party == "示范市住房保障系统"
    gone = client.post(
        "/api/v1/licences/use", {**body, "holder_code": "110101198001011232"}, content_type="application/json",
        HTTP_X_API_KEY=raw,
    )  # fmt: skip
    assert gone.status_code == 404


def test_the_department_desk_issues_revokes_and_reissues_through_its_pages(client, demo_catalogue, make_user) -> None:  # type: ignore[no-untyped-def]
    police = Department.objects.get(short_name="公安局")
    client.force_login(make_user(Role.DEPT_ADMIN, department=police))
    assert "居民身份证" in client.get("/licences/manage/").content.decode()
    bad = client.post("/licences/manage/issue/99001/", {"holder_name": "张三", "holder_code": "1", "number": ""})
    assert bad.status_code == 422 and Licence.objects.count() == 0
    form = {
        "holder_name": "张三", "holder_code": PERSON[1], "number": PERSON[1], "valid_from": "2026-01-05",
        "data_性别": "男", "data_民族": "汉", "data_出生日期": "1949-12-31", "data_住址": "示范市城东区",
    }  # fmt: skip
    issued = client.post("/licences/manage/issue/99001/", form)
    assert issued.status_code == 302
    licence = Licence.objects.get()
    assert licence.valid_until == date(2046, 1, 4) and licence_verify(licence.identifier).authentic
    no_reason = client.post(f"/licences/manage/{licence.identifier}/revoke/", {"reason": ""})
    assert no_reason.status_code == 422
    reissued = client.post(
        f"/licences/manage/{licence.identifier}/reissue/", {"reason": "换领新证", "holder_name": "张三"}
    )
    assert reissued.status_code == 302 and Licence.objects.get(version=2).replaces == licence
    assert client.get("/licences/manage/issue/99004/").status_code == 404  # not the police's type


def test_verification_query_counts_are_pinned(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    """The public verification is the hot path: one read of the licence with its issuer, type, key and
    successor, its history, and the audit record of the verification."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    licence = _id_card()
    client = Client()
    client.get("/api/v1/licences/verify", {"identifier": licence.identifier})  # warm caches
    with CaptureQueriesContext(connection) as api:
        client.get("/api/v1/licences/verify", {"identifier": licence.identifier})
    with CaptureQueriesContext(connection) as page:
        shown = client.get("/licences/verify/", {"identifier": licence.identifier})
    with CaptureQueriesContext(connection) as unknown:
        client.get("/api/v1/licences/verify", {"identifier": "1.2.156.3005.2.X"})
    assert shown.status_code == 200 and b'data-verified="authentic"' in shown.content
    assert (len(api), len(page), len(unknown)) == (3, 3, 1), [q["sql"][:80] for q in api + page]
