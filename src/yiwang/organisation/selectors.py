"""Reads of the organisation context."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db.models import Q, QuerySet

from yiwang.organisation.models import Department, Hall, Region, ServiceCentre, Window, WindowGroup


def region_list(
    *,
    level: str | None = None,
    levels: Collection[str] = (),
    parent_code: str | None = None,
    code_prefix: str = "",
    search: str = "",
) -> QuerySet[Region]:
    regions = Region.objects.select_related("parent").order_by("code")
    if level:
        regions = regions.filter(level=level)
    if levels:
        regions = regions.filter(level__in=list(levels))
    if code_prefix:
        regions = regions.filter(code__startswith=code_prefix)
    if parent_code:
        regions = regions.filter(parent__code=parent_code)
    if search:
        regions = regions.filter(Q(name__icontains=search) | Q(code__startswith=search))
    return regions


def region_get(*, code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code).first()


def region_path(*, code: str) -> str | None:
    """The path of the region with this code (what a subtree filter needs), ``None`` for an unknown code."""
    return Region.objects.filter(code=code).values_list("path", flat=True).first()


def region_subtree(*, region: Region) -> QuerySet[Region]:
    """The region and everything below it."""
    return Region.objects.filter(path__startswith=region.path)


def department_list(
    *, region_code: str | None = None, within_code: str | None = None, search: str = ""
) -> QuerySet[Department]:
    departments = Department.objects.select_related("region", "parent").filter(is_active=True)
    if region_code:
        departments = departments.filter(region__code=region_code)
    if within_code:
        root = region_get(code=within_code)
        departments = departments.filter(region__path__startswith=root.path) if root else departments.none()
    if search:
        departments = departments.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    return departments.order_by("region__code", "name")


def department_get(*, pk: int, active_only: bool = False) -> Department | None:
    departments = Department.objects.select_related("region", "parent").filter(pk=pk)
    return (departments.filter(is_active=True) if active_only else departments).first()


def department_all(*, active_only: bool = False) -> QuerySet[Department]:
    """Every department (the active ones only, if asked), in the model's order; callers narrow by scope."""
    return Department.objects.filter(is_active=True) if active_only else Department.objects.all()


def department_by_credit_code(*, credit_code: str) -> Department | None:
    return Department.objects.filter(credit_code=credit_code).first()


def departments_by_pk(*, pks: Iterable[int]) -> dict[int, Department]:
    """The departments with these ids (a list, or a query of ids for one statement), by id, in the model's order."""
    return {department.pk: department for department in Department.objects.filter(pk__in=pks)}


def hall_list() -> QuerySet[Hall]:
    return Hall.objects.select_related("centre", "centre__region").order_by("centre__name", "name")


def hall_get(*, pk: int) -> Hall | None:
    return Hall.objects.select_related("centre__region").filter(pk=pk).first()


def halls_by_pk() -> QuerySet[Hall]:
    """Every hall with its centre and region, oldest first; callers narrow by scope."""
    return Hall.objects.select_related("centre__region").order_by("pk")


def window_group_get(*, pk: int, hall: Hall) -> WindowGroup | None:
    """A window group of this hall (``None`` for another hall's)."""
    return WindowGroup.objects.filter(pk=pk, hall=hall).first()


def window_get(*, pk: int) -> Window | None:
    """A window with its group, hall and centre (where a clerk signs on)."""
    return Window.objects.select_related("group__hall__centre").filter(pk=pk).first()


def windows_active(*, halls: Iterable[Hall] | None = None, group_kind: str = "") -> QuerySet[Window]:
    """The windows in service (of these halls, of general or special groups), in the model's order."""
    windows = Window.objects.filter(is_active=True)
    if halls is not None:
        windows = windows.filter(group__hall__in=halls)
    if group_kind:
        windows = windows.filter(group__kind=group_kind)
    return windows


def window_groups_of_hall(*, hall: Hall) -> QuerySet[WindowGroup]:
    return (
        WindowGroup.objects.filter(hall=hall)
        .select_related("department")
        .prefetch_related("windows")
        .order_by("kind", "theme")
    )


def centre_department(*, region: Region) -> Department | None:
    """The department that runs the service centre of ``region`` or of its nearest ancestor with one: it
    publishes what the centre's hall, hotline and trading platform make public."""
    place: Region | None = region
    while place is not None:
        centre = ServiceCentre.objects.filter(region=place).select_related("department").first()
        if centre is not None:
            return centre.department
        place = place.parent
    return None


def region_by_pk(*, pk: int) -> Region | None:
    return Region.objects.select_related("parent").filter(pk=pk).first()


def main_centre_department() -> Department | None:
    """The department running the highest-level service centre (the city's: its 12345 hotline)."""
    centres = ServiceCentre.objects.select_related("department", "region").order_by("region__path")
    top = min(centres, key=lambda c: len(c.region.path), default=None)
    return top.department if top is not None else None
