from __future__ import annotations

import pytest

from yiwang.accounts.roles import Role
from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.organisation.models import Region, RegionLevel, WindowKind, WindowTheme
from yiwang.organisation.selectors import region_subtree
from yiwang.organisation.services import (
    department_upsert,
    region_upsert,
    window_group_ensure,
    windows_ensure,
)

pytestmark = pytest.mark.django_db


def test_region_path_makes_a_subtree_one_query() -> None:
    province, _ = region_upsert(actor=None, code="990000", name="示范省", level=RegionLevel.PROVINCE, parent=None)
    city, _ = region_upsert(actor=None, code="990100", name="示范市", level=RegionLevel.CITY, parent=province)
    district, _ = region_upsert(actor=None, code="990102", name="城东区", level=RegionLevel.DISTRICT, parent=city)
    street, _ = region_upsert(
        actor=None, code="990102001", name="东湖街道", level=RegionLevel.TOWNSHIP, parent=district
    )
    other, _ = region_upsert(actor=None, code="990200", name="邻市", level=RegionLevel.CITY, parent=province)
    assert street.path == "/990000/990100/990102/990102001/"
    assert set(region_subtree(region=city)) == {city, district, street}
    assert other not in region_subtree(region=city)


def test_moving_a_region_moves_its_subtree() -> None:
    a, _ = region_upsert(actor=None, code="990100", name="甲市", level=RegionLevel.CITY, parent=None)
    b, _ = region_upsert(actor=None, code="990200", name="乙市", level=RegionLevel.CITY, parent=None)
    district, _ = region_upsert(actor=None, code="990102", name="城东区", level=RegionLevel.DISTRICT, parent=a)
    region_upsert(actor=None, code="990102001", name="东湖街道", level=RegionLevel.TOWNSHIP, parent=district)
    region_upsert(actor=None, code="990102", name="城东区", level=RegionLevel.DISTRICT, parent=b)
    assert Region.objects.get(code="990102001").path == "/990200/990102/990102001/"


@pytest.mark.parametrize(
    ("code", "level", "field"),
    [
        ("99010", RegionLevel.CITY, "code"),
        ("990102001", RegionLevel.DISTRICT, "code"),  # a district code has 6 digits
        ("990102", "county", "level"),
    ],
)
def test_region_rules(code: str, level: str, field: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        region_upsert(actor=None, code=code, name="某地", level=level, parent=None)
    assert error.value.details["errors"][0]["field"] == field


def test_a_parent_must_be_higher() -> None:
    street, _ = region_upsert(actor=None, code="990102001", name="东湖街道", level=RegionLevel.TOWNSHIP, parent=None)
    with pytest.raises(ValidationFailed):
        region_upsert(actor=None, code="990102", name="城东区", level=RegionLevel.DISTRICT, parent=street)


def test_department_needs_a_valid_credit_code(city: Region) -> None:
    with pytest.raises(ValidationFailed) as error:
        department_upsert(actor=None, credit_code="91110108551385082R", name="某局", region=city)
    assert error.value.message == "统一社会信用代码的校验码不正确。"


def test_department_upsert_is_keyed_on_credit_code(city: Region) -> None:
    first, created = department_upsert(actor=None, credit_code="91110108551385082Q", name="某局", region=city)
    again, created_again = department_upsert(actor=None, credit_code="91110108551385082q", name="某某局", region=city)
    assert created and not created_again
    assert again.pk == first.pk and again.name == "某某局"


def test_writes_check_the_actor_permission(city: Region, make_user) -> None:  # type: ignore[no-untyped-def]
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied):
        department_upsert(actor=clerk, credit_code="91110108551385082Q", name="某局", region=city)
    sysadmin = make_user(Role.SYSADMIN)
    _department, created = department_upsert(actor=sysadmin, credit_code="91110108551385082Q", name="某局", region=city)
    assert created


def test_window_groups_follow_their_theme(demo_city: None) -> None:
    from yiwang.organisation.models import Hall

    hall = Hall.objects.get()
    group = window_group_ensure(actor=None, hall=hall, theme=WindowTheme.REGISTRATION, name="注册登记类")
    assert group.kind == WindowKind.GENERAL and group.department is None
    with pytest.raises(ValidationFailed):
        window_group_ensure(actor=None, hall=hall, theme=WindowTheme.TAXATION, name="税务")


def test_window_numbers_are_unique_in_a_hall(demo_city: None) -> None:
    from yiwang.organisation.models import WindowGroup

    registration = WindowGroup.objects.get(theme=WindowTheme.REGISTRATION)
    with pytest.raises(ValidationFailed):
        windows_ensure(actor=None, group=registration, numbers=["A01"])  # A01 belongs to 社会民生类


def test_a_regional_administrator_writes_only_inside_the_region(city: Region, make_user) -> None:  # type: ignore[no-untyped-def]
    east = Region.objects.get(code="990102")
    admin = make_user(Role.SYSADMIN, region=east)
    region_upsert(actor=admin, code="990102003", name="新街道", level=RegionLevel.TOWNSHIP, parent=east)
    with pytest.raises(PermissionDenied) as error:
        region_upsert(
            actor=admin,
            code="990103003",
            name="别处街道",
            level=RegionLevel.TOWNSHIP,
            parent=Region.objects.get(code="990103"),
        )
    assert error.value.code == "out_of_scope"
