"""Draft → review → published; versions; immutability; who may do what (docs/catalogue.md)."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.workflow_walk import walk
from yiwang.audit.models import AuditRecord
from yiwang.catalogue import services
from yiwang.catalogue.models import ImplementationVersion, Level, VersionStatus
from yiwang.catalogue.tests.conftest import draft as _draft
from yiwang.catalogue.workflow import WORKFLOW
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_the_whole_life_of_an_implementation(people, base_item) -> None:  # type: ignore[no-untyped-def]
    version = _draft(people, base_item)
    assert version.implementation.code == f"{people['market'].credit_code}3000120123000"
    services.version_submit(actor=people["dept_admin"], version=version)
    services.version_publish(actor=people["centre_admin"], version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.implementation.current == version

    draft = services.implementation_change(actor=people["dept_admin"], implementation=version.implementation)
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert [s.name for s in draft.steps.all()] == ["受理", "审查决定"]
    services.version_update(actor=people["dept_admin"], version=draft, promised_limit=3)
    services.version_submit(actor=people["dept_admin"], version=draft)
    services.version_publish(actor=people["centre_admin"], version=draft)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUPERSEDED
    assert version.promised_limit == 5  # what cases under version 1 keep
    assert version.implementation.current.number == 2
    assert AuditRecord.objects.filter(action="catalogue.version_publish").count() == 2


def test_a_published_version_is_immutable(people, base_item) -> None:  # type: ignore[no-untyped-def]
    version = _draft(people, base_item)
    services.version_submit(actor=people["dept_admin"], version=version)
    with pytest.raises(Conflict) as error:
        services.version_update(actor=people["dept_admin"], version=version, name="改名")
    assert error.value.code == "version_immutable"
    services.version_publish(actor=people["centre_admin"], version=version)
    with pytest.raises(Conflict):
        services.version_update(actor=people["dept_admin"], version=version, promised_limit=1)
    assert ImplementationVersion.objects.get(pk=version.pk).promised_limit == 5


def test_submitting_lists_every_missing_element_at_once(people, base_item) -> None:  # type: ignore[no-untyped-def]
    version = services.implementation_draft_create(
        actor=people["dept_admin"], base_item=base_item, department=people["market"], level=Level.CITY, name="空草稿"
    )
    with pytest.raises(ValidationFailed) as error:
        services.version_submit(actor=people["dept_admin"], version=version)
    fields = {e["field"] for e in error.value.details["errors"]}
    assert {
        "conditions",
        "legal_basis",
        "handling_place",
        "statutory_limit",
        "promised_limit",
        "visits",
        "service_objects",
        "channels",
        "online_depth",
        "result_type",
        "steps",
    } <= fields
    assert ImplementationVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT


def test_a_promise_longer_than_the_law_is_refused_and_nothing_changes(people, base_item) -> None:  # type: ignore[no-untyped-def]
    version = _draft(people, base_item)
    with pytest.raises(ValidationFailed) as error:
        services.version_update(actor=people["dept_admin"], version=version, promised_limit=25)
    assert error.value.details["errors"][0]["message"] == "承诺办结时限不能超过法定办结时限（20）。"
    assert ImplementationVersion.objects.get(pk=version.pk).promised_limit == 5


def test_licensing_fees_need_a_legal_basis(people, base_item) -> None:  # type: ignore[no-untyped-def]
    version = _draft(people, base_item, fees=[{"name": "工本费", "standard": "10元", "basis": ""}])
    with pytest.raises(ValidationFailed) as error:
        services.version_submit(actor=people["dept_admin"], version=version)
    assert [e["field"] for e in error.value.details["errors"]] == ["fees"]


def test_only_the_department_drafts_and_only_the_region_s_centre_publishes(people, base_item) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.implementation_draft_create(
            actor=people["other_dept_admin"],
            base_item=base_item,
            department=people["market"],
            level=Level.CITY,
            name="越权",
        )
    version = _draft(people, base_item)
    services.version_submit(actor=people["dept_admin"], version=version)
    for outsider in (people["dept_admin"], people["district_centre_admin"]):
        with pytest.raises(PermissionDenied):
            services.version_publish(actor=outsider, version=version)
    assert ImplementationVersion.objects.get(pk=version.pk).status == VersionStatus.REVIEW


def test_a_returned_version_goes_back_to_draft_with_the_reason(people, base_item) -> None:  # type: ignore[no-untyped-def]
    version = _draft(people, base_item)
    services.version_submit(actor=people["dept_admin"], version=version)
    services.version_return(actor=people["centre_admin"], version=version, reason="受理条件表述不清")
    version.refresh_from_db()
    assert (version.status, version.review_note) == (VersionStatus.DRAFT, "受理条件表述不清")


def test_every_status_and_step_of_the_table_through_the_services(people, base_item) -> None:  # type: ignore[no-untyped-def]
    """The table walked completely: each step from each status, each in a transaction rolled back after."""
    version = _draft(people, base_item)
    services.version_submit(actor=None, version=version)
    services.version_publish(actor=None, version=version)
    steps = {
        "submit": lambda v: services.version_submit(actor=None, version=v),
        "return": lambda v: services.version_return(actor=None, version=v, reason="请补充"),
        "publish": lambda v: services.version_publish(actor=None, version=v),
        "suspend": lambda v: services.version_suspend(actor=None, version=v, reason="暂停"),
        "resume": lambda v: services.version_resume(actor=None, version=v),
        "cancel": lambda v: services.version_cancel(actor=None, version=v, reason="取消"),
    }

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                if action == "supersede":  # no one's step: publishing a newer version takes it
                    newer = services.implementation_change(actor=None, implementation=version.implementation)
                    services.version_submit(actor=None, version=newer)
                    ImplementationVersion.objects.filter(pk=version.pk).update(status=status)
                    services.version_publish(actor=None, version=newer)
                else:
                    ImplementationVersion.objects.filter(pk=version.pk).update(status=status)
                    steps[action](ImplementationVersion.objects.get(pk=version.pk))
                return ImplementationVersion.objects.get(pk=version.pk).status
            finally:
                transaction.set_rollback(True)

    assert set(steps) | {"supersede"} == set(WORKFLOW.actions)
    walk(WORKFLOW, VersionStatus.values, run, code="transition_not_allowed")


def test_the_differences_between_two_versions(people, base_item) -> None:  # type: ignore[no-untyped-def]
    from yiwang.catalogue.models import MaterialRequirement
    from yiwang.catalogue.selectors import version_diff

    first = _draft(people, base_item)
    MaterialRequirement.objects.create(version=first, order=1, name="营业执照", necessity="required")
    services.version_submit(actor=people["dept_admin"], version=first)
    services.version_publish(actor=people["centre_admin"], version=first)
    second = services.implementation_change(actor=people["dept_admin"], implementation=first.implementation)
    assert version_diff(first, second).empty

    services.version_update(actor=people["dept_admin"], version=second, promised_limit=3)
    second.steps.filter(name="审查决定").update(working_days=2)
    MaterialRequirement.objects.create(version=second, order=2, name="食品安全管理制度", necessity="deferrable")
    diff = version_diff(first, ImplementationVersion.objects.get(pk=second.pk))
    assert diff.fields == {"promised_limit": (5, 3)}
    assert diff.added == {"materials": ["食品安全管理制度"]}
    assert diff.changed == {"steps": {"审查决定": {"working_days": (4, 2)}}}
    assert diff.removed == {}


@pytest.mark.django_db(transaction=True)
def test_parallel_changes_and_publications_never_fork_a_version(people, base_item) -> None:  # type: ignore[no-untyped-def]
    """Two administrators clicking at once: one new version, one publication, the other refused."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite already serialises writers; the race is PostgreSQL's")
    version = _draft(people, base_item)
    services.version_submit(actor=people["dept_admin"], version=version)
    outcomes: list[str] = []

    def run(call) -> None:  # type: ignore[no-untyped-def]
        try:
            call()
            outcomes.append("ok")
        except Conflict as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    def race(call) -> None:  # type: ignore[no-untyped-def]
        threads = [threading.Thread(target=run, args=(call,)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    race(lambda: services.version_publish(actor=people["centre_admin"], version=version))
    assert sorted(outcomes) == ["ok"] + ["transition_not_allowed"] * 5
    outcomes.clear()
    race(lambda: services.implementation_change(actor=people["dept_admin"], implementation=version.implementation))
    assert sorted(outcomes) == ["ok"] + ["version_in_progress"] * 5
    assert ImplementationVersion.objects.filter(implementation=version.implementation).count() == 2
