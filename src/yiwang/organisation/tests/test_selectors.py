"""The reads other contexts make of the organisation (regions, departments, halls and windows)."""

from __future__ import annotations

import pytest

from yiwang.organisation import selectors
from yiwang.organisation.models import Department, Hall, Region, Window, WindowGroup, WindowKind

pytestmark = pytest.mark.django_db


def test_regions_by_level_and_code_prefix_and_a_regions_path(demo_city) -> None:  # type: ignore[no-untyped-def]
    wanted = set(Region.objects.filter(level__in=("city", "district")))
    assert wanted and set(selectors.region_list(levels=("city", "district"))) == wanted
    streets = list(selectors.region_list(level="township", code_prefix="990102"))
    assert streets and all(r.code.startswith("990102") and r.level == "township" for r in streets)
    assert selectors.region_path(code="990100") == Region.objects.get(code="990100").path
    assert selectors.region_path(code="000000") is None


def test_departments_active_or_all_by_id_and_by_credit_code(demo_city) -> None:  # type: ignore[no-untyped-def]
    closed, other = Department.objects.all()[:2]
    Department.objects.filter(pk=closed.pk).update(is_active=False)
    assert closed not in selectors.department_all(active_only=True)
    assert closed in selectors.department_all()
    assert selectors.department_get(pk=closed.pk) == closed
    assert selectors.department_get(pk=closed.pk, active_only=True) is None
    assert selectors.departments_by_pk(pks=[closed.pk, other.pk]) == {closed.pk: closed, other.pk: other}
    assert selectors.departments_by_pk(pks=Department.objects.filter(pk=other.pk).values_list("pk", flat=True)) == {
        other.pk: other
    }
    assert selectors.department_by_credit_code(credit_code=other.credit_code) == other


def test_halls_window_groups_and_the_windows_in_service(demo_city) -> None:  # type: ignore[no-untyped-def]
    window = Window.objects.select_related("group__hall").filter(group__kind=WindowKind.GENERAL).first()
    assert window is not None
    hall = window.group.hall
    Window.objects.filter(pk=window.pk).update(is_active=False)
    assert window not in selectors.windows_active()
    Window.objects.filter(pk=window.pk).update(is_active=True)
    assert window in selectors.windows_active(halls=[hall], group_kind=WindowKind.GENERAL)
    assert window not in selectors.windows_active(group_kind=WindowKind.SPECIAL)
    assert window not in selectors.windows_active(halls=Hall.objects.exclude(pk=hall.pk))
    assert selectors.window_get(pk=window.pk) == window
    assert selectors.hall_get(pk=hall.pk) == hall
    assert list(selectors.halls_by_pk()) == list(Hall.objects.order_by("pk"))
    assert selectors.window_group_get(pk=window.group_id, hall=hall) == window.group
    other_group = WindowGroup.objects.exclude(hall=hall).first()
    if other_group is not None:
        assert selectors.window_group_get(pk=other_group.pk, hall=hall) is None
