"""Scoped authorisation: departments and region subtrees (organisation.md: every staff permission
is scoped to departments and a region subtree)."""

from __future__ import annotations

import pytest

from yiwang.accounts.authz import authorize, can, owner_filter, scope_filter
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.core.errors import PermissionDenied
from yiwang.core.identifiers import credit_code_with_check
from yiwang.organisation.models import Department, Region
from yiwang.organisation.services import department_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(demo_city: None) -> dict[str, object]:
    city = Region.objects.get(code="990100")
    east = Region.objects.get(code="990102")
    west = Region.objects.get(code="990103")
    east_street = Region.objects.get(code="990102001")
    east_office, _ = department_upsert(
        actor=None, credit_code=credit_code_with_check("11990102000000101"), name="城东区市场监督管理局", region=east
    )
    west_office, _ = department_upsert(
        actor=None, credit_code=credit_code_with_check("11990103000000102"), name="城西区市场监督管理局", region=west
    )
    return {
        "city": city,
        "east": east,
        "west": west,
        "east_street": east_street,
        "east_office": east_office,
        "west_office": west_office,
        "city_market": Department.objects.get(short_name="市场监管局"),
    }


def test_a_department_scoped_approver_acts_only_on_their_department(make_user, places) -> None:  # type: ignore[no-untyped-def]
    approver = make_user(Role.APPROVER, department=places["east_office"], region=places["east"])
    assert can(approver, {Role.APPROVER}, department=places["east_office"])
    assert not can(approver, {Role.APPROVER}, department=places["west_office"])
    assert not can(approver, {Role.APPROVER}, department=places["city_market"])
    with pytest.raises(PermissionDenied) as error:
        authorize(approver, {Role.APPROVER}, department=places["west_office"])
    assert error.value.code == "out_of_scope"


def test_a_region_scoped_clerk_acts_on_every_department_below_the_region(make_user, places) -> None:  # type: ignore[no-untyped-def]
    # The clerk works for the 政数局 but, at the general window, accepts items of every department.
    clerk = make_user(Role.CLERK, department=places["city_market"], region=places["east"])
    assert can(clerk, {Role.CLERK}, department=places["east_office"])
    assert can(clerk, {Role.CLERK}, region=places["east_street"])
    assert not can(clerk, {Role.CLERK}, department=places["west_office"])
    assert not can(clerk, {Role.CLERK}, region=places["city"])


def test_the_wrong_role_is_plainly_denied(make_user, places) -> None:  # type: ignore[no-untyped-def]
    clerk = make_user(Role.CLERK, region=places["city"])
    with pytest.raises(PermissionDenied) as error:
        authorize(clerk, {Role.APPROVER}, department=places["east_office"])
    assert error.value.code == "permission_denied"


def test_an_unscoped_assignment_is_unrestricted(make_user, places) -> None:  # type: ignore[no-untyped-def]
    supervisor = make_user(Role.SUPERVISOR)
    assert can(supervisor, {Role.SUPERVISOR}, department=places["west_office"])


def test_scope_filter_narrows_lists(make_user, places) -> None:  # type: ignore[no-untyped-def]
    approver = make_user(Role.APPROVER, department=places["east_office"])
    clerk = make_user(Role.CLERK, region=places["east"])
    departments = Department.objects.all()
    assert list(scope_filter(departments, approver, {Role.APPROVER}, department_field="pk")) == [places["east_office"]]
    assert set(scope_filter(departments, clerk, {Role.CLERK}, department_field="pk")) == {places["east_office"]}
    assert not scope_filter(departments, make_user(Role.CITIZEN), {Role.CLERK}).exists()


def test_scope_filter_costs_one_query_per_request(make_user, places, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    clerk = User.objects.get(pk=make_user(Role.CLERK, region=places["east"]).pk)
    with django_assert_num_queries(2):  # the assignments once, then the filtered list
        list(scope_filter(Department.objects.all(), clerk, {Role.CLERK}, department_field="pk"))
        can(clerk, {Role.CLERK}, department=places["east_office"])
        assert user_has_role(user=clerk, roles={Role.CLERK})  # roles come from the same cached load


def test_owners_see_their_own(make_user) -> None:  # type: ignore[no-untyped-def]
    from yiwang.accounts.models import RoleAssignment

    citizen, other = make_user(Role.CITIZEN), make_user(Role.CITIZEN)
    mine = owner_filter(RoleAssignment.objects.all(), citizen, owner_field="user")
    assert [a.user for a in mine] == [citizen]
    assert other not in [a.user for a in mine]
