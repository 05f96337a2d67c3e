"""Reads of the organisation context."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.organisation.models import Department, Hall, Region, WindowGroup


def region_list(*, level: str | None = None, parent_code: str | None = None, search: str = "") -> QuerySet[Region]:
    regions = Region.objects.select_related("parent").order_by("code")
    if level:
        regions = regions.filter(level=level)
    if parent_code:
        regions = regions.filter(parent__code=parent_code)
    if search:
        regions = regions.filter(Q(name__icontains=search) | Q(code__startswith=search))
    return regions


def region_get(*, code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code).first()


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


def department_get(*, pk: int) -> Department | None:
    return Department.objects.select_related("region", "parent").filter(pk=pk).first()


def hall_list() -> QuerySet[Hall]:
    return Hall.objects.select_related("centre", "centre__region").order_by("centre__name", "name")


def window_groups_of_hall(*, hall: Hall) -> QuerySet[WindowGroup]:
    return (
        WindowGroup.objects.filter(hall=hall)
        .select_related("department")
        .prefetch_related("windows")
        .order_by("kind", "theme")
    )
