"""秒批: rules kept as data, evaluated at submission; all hold → accepted, approved, concluded and the
licence issued with no human step; any rule failing or undecided → the department decides (issue 7)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.files import image_bytes
from yiwang.accounts.models import User
from yiwang.cases import services as cases
from yiwang.cases.models import Case, CaseChannel, CaseStatus
from yiwang.catalogue.models import ItemImplementation
from yiwang.demo.city import demo_departments
from yiwang.demo.licences import OTHER_SENIOR, SENIOR, demo_licences_load
from yiwang.instant.models import InstantEvaluation
from yiwang.instant.rules import age_on, birth_date
from yiwang.licences.models import Licence
from yiwang.licences.selectors import licence_verify
from yiwang.licences.tests.test_lifecycle import form_for
from yiwang.sharing.models import DataQuery

pytestmark = pytest.mark.django_db
PHOTO = image_bytes("PNG")


@pytest.fixture
def rules(demo_catalogue) -> ItemImplementation:  # type: ignore[no-untyped-def]
    demo_licences_load(demo_departments())
    return ItemImplementation.objects.get(current__name="老年人优待证办理")


def _submit(implementation: ItemImplementation, who: tuple[str, str], account=None, uploads=None) -> Case:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = implementation.current
    photo = version.materials.get(name="近期免冠证件照片")
    files = uploads if uploads is not None else {photo.pk: SimpleUploadedFile("photo.png", PHOTO, "image/png")}
    return cases.case_submit(
        actor=None,
        version=version,
        channel=CaseChannel.ONLINE,
        applicant=cases.Applicant("natural_person", who[0], "resident_id", who[1], account=account),
        form_data=form_for(version),
        uploads=files,
    )


def test_age_comes_from_the_id_number() -> None:
    from datetime import date

    born = birth_date(SENIOR[1])
    assert born == date(1958, 3, 12)
    assert (age_on(born, date(2018, 3, 11)), age_on(born, date(2018, 3, 12))) == (59, 60)
    assert birth_date("110101199902300011") is None  # 30 February


def test_every_rule_holds_so_the_licence_is_issued_without_anyone(rules, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    senior = User.objects.get(username="demo-senior")
    with django_capture_on_commit_callbacks(execute=True):
        case = _submit(rules, SENIOR, account=senior)
    case.refresh_from_db()
    evaluation = InstantEvaluation.objects.get(case=case)
    assert evaluation.outcome == "approved" and [r["holds"] for r in evaluation.results] == [True, True, True]
    today = timezone.localdate()
    age = today.year - 1958 - ((today.month, today.day) < (3, 12))  # her age on the day the suite runs
    assert f"年满 {age} 周岁" in evaluation.results[0]["explanation"]
    assert "朝阳街道" in evaluation.results[1]["explanation"]
    assert (case.status, case.decision) == (CaseStatus.CONCLUDED, "approve")
    assert not case.events.exclude(actor=None).exists()  # no human step
    assert list(case.events.values_list("action", flat=True)) == ["submit", "accept", "decide", "conclude", "instant"]
    licence = Licence.objects.get(case=case)
    assert licence.holder_account == senior and licence.licence_type.code == "99012"
    assert licence.data["出生日期"] == "1958-03-12"  # the type's data item, from her ID number
    assert licence_verify(licence.identifier).authentic
    # The household rule asked the police's data, with the case as purpose; the ID card came from her licence.
    assert DataQuery.objects.filter(case_number=case.number, resource__code="household").count() == 2
    assert case.materials.get(requirement__name="申请人居民身份证").state == "exempt"
    # Her page shows the licence; the rule's explanation is on the case.
    client = Client()
    client.force_login(senior)
    assert licence.identifier in client.get("/my/").content.decode()
    assert "年满60周岁" in client.get(f"/my/cases/{case.number}/").content.decode()


def test_a_rule_that_fails_or_cannot_decide_leaves_the_case_to_people(
    rules, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # She already holds a 老年人优待证: the third rule fails.
    with django_capture_on_commit_callbacks(execute=True):
        holder = _submit(rules, OTHER_SENIOR)
    evaluation = InstantEvaluation.objects.get(case=holder)
    assert evaluation.outcome == "to_people" and [r["holds"] for r in evaluation.results] == [True, True, False]
    # Under 60 and unknown to the household register: one fails, one cannot decide.
    with django_capture_on_commit_callbacks(execute=True):
        young = _submit(rules, ("赵六", "110102199003120046"))
    assert [r["holds"] for r in InstantEvaluation.objects.get(case=young).results] == [False, None, True]
    for case in (holder, young):
        case.refresh_from_db()
        assert case.status == CaseStatus.SUBMITTED and not Licence.objects.filter(case=case).exists()
        assert case.events.filter(action="instant_declined").exists()


def test_rules_holding_but_a_material_missing_still_go_to_people(rules, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        case = _submit(rules, SENIOR, uploads={})
    evaluation = InstantEvaluation.objects.get(case=case)
    assert evaluation.outcome == "to_people" and "近期免冠证件照片" in evaluation.results[-1]["explanation"]
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.accepted_at is None


def test_administrators_keep_the_rules_as_data_on_a_page(client, rules, make_user) -> None:  # type: ignore[no-untyped-def]
    from yiwang.accounts.roles import Role
    from yiwang.instant.models import InstantRule

    url = f"/workbench/instant/{rules.code}/"
    client.force_login(make_user(Role.DEPT_ADMIN, department=rules.department))
    page = client.get(url).content.decode()
    assert "年满60周岁" in page and "household" in page
    form = {"kind_1": "age_at_least", "params_1": "{years: 60}", "description_1": "年满60周岁",
            "kind_2": "no_licence", "params_2": '{"licence_type": "00000"}', "description_2": ""}  # fmt: skip
    bad = client.post(url, form)
    assert bad.status_code == 422 and InstantRule.objects.filter(implementation=rules).count() == 3
    good = client.post(url, {"kind_1": "age_at_least", "params_1": '{"years": 65}', "description_1": "年满65周岁"})
    assert good.status_code == 302
    assert list(InstantRule.objects.filter(implementation=rules).values_list("params", flat=True)) == [{"years": 65}]
    from yiwang.organisation.models import Department

    other = make_user(Role.DEPT_ADMIN, department=Department.objects.get(short_name="公安局"))
    client.force_login(other)
    assert client.get(url).status_code == 404
