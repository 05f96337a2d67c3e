"""下放 (delegate down) and 委托 (entrust): a new implementation drafted from the published one."""

from __future__ import annotations

import pytest

from yiwang.audit.models import AuditRecord
from yiwang.catalogue import services
from yiwang.catalogue.models import ImplementerNature, Level, PowerSource, VersionStatus
from yiwang.catalogue.tests.conftest import draft as _draft
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.core.identifiers import credit_code_with_check
from yiwang.organisation.models import Department, Region
from yiwang.organisation.services import department_upsert

pytestmark = pytest.mark.django_db


def _published(people, base_item):  # type: ignore[no-untyped-def]
    version = _draft(people, base_item)
    services.version_submit(actor=people["dept_admin"], version=version)
    return services.version_publish(actor=people["centre_admin"], version=version)


def _department(name: str, region_code: str, serial: int) -> Department:
    department, _created = department_upsert(
        actor=None,
        credit_code=credit_code_with_check(f"11{region_code}{serial:09d}"[:17]),
        name=name,
        region=Region.objects.get(code=region_code),
    )
    return department


def test_delegating_down_drafts_the_item_for_the_lower_department(people, base_item) -> None:  # type: ignore[no-untyped-def]
    published = _published(people, base_item)
    district_market = _department("城东区市场监督管理局", "990102", 1)
    draft = services.implementation_delegate(
        actor=people["centre_admin"], implementation=published.implementation, to=district_market
    )
    assert draft.status == VersionStatus.DRAFT
    assert draft.implementation.level == Level.COUNTY
    assert draft.implementation.code == f"{district_market.credit_code}4{base_item.base_code}"
    assert (draft.power_source, draft.entrusting_department) == (PowerSource.DELEGATED, people["market"])
    assert [s.name for s in draft.steps.all()] == ["受理", "审查决定"]  # the content comes along
    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED  # the original stays until it is cancelled
    assert AuditRecord.objects.filter(action="catalogue.implementation_delegate").exists()


def test_entrusting_a_peer_body(people, base_item) -> None:  # type: ignore[no-untyped-def]
    published = _published(people, base_item)
    centre = Department.objects.get(short_name="政数局")
    draft = services.implementation_entrust(
        actor=people["centre_admin"], implementation=published.implementation, to=centre
    )
    assert draft.power_source == PowerSource.ENTRUSTED_PEER
    assert draft.implementer_nature == ImplementerNature.ENTRUSTED_BODY
    assert draft.implementation.level == Level.CITY


def test_what_delegation_refuses(people, base_item) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(people, base_item)
    district_market = _department("城东区市场监督管理局", "990102", 1)
    with pytest.raises(Conflict):  # not published
        services.implementation_delegate(
            actor=people["centre_admin"], implementation=draft.implementation, to=district_market
        )
    services.version_submit(actor=people["dept_admin"], version=draft)
    services.version_publish(actor=people["centre_admin"], version=draft)
    with pytest.raises(ValidationFailed):  # delegation goes down, never sideways
        services.implementation_delegate(
            actor=people["centre_admin"],
            implementation=draft.implementation,
            to=Department.objects.get(short_name="公安局"),
        )
    with pytest.raises(PermissionDenied):  # a district centre cannot take the city's power
        services.implementation_delegate(
            actor=people["district_centre_admin"], implementation=draft.implementation, to=district_market
        )
    with pytest.raises(PermissionDenied):  # department administrators do not delegate
        services.implementation_delegate(
            actor=people["dept_admin"], implementation=draft.implementation, to=district_market
        )
    services.implementation_delegate(
        actor=people["centre_admin"], implementation=draft.implementation, to=district_market
    )
    with pytest.raises(Conflict):  # once
        services.implementation_delegate(
            actor=people["centre_admin"], implementation=draft.implementation, to=district_market
        )
