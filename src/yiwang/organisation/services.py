"""Writes of the organisation context.

Each service runs in one transaction and checks the actor's permission; ``actor=None`` means the
platform itself (migrations, the demo loader, management commands run by an operator).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record, field_changes, snapshot
from yiwang.core.authz import authorize
from yiwang.core.errors import PermissionDenied, raise_problems
from yiwang.core.identifiers import normalise_credit_code
from yiwang.core.roles import Role
from yiwang.organisation.models import (
    Department,
    Hall,
    Region,
    ServiceCentre,
    Window,
    WindowGroup,
    WindowKind,
)
from yiwang.organisation.rules import (
    centre_problems,
    department_problems,
    hall_problems,
    region_problems,
    window_group_problems,
    window_kind,
    window_problems,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def _require(actor: User | None, *perms: str, region: Region | None = None) -> None:
    """The model permission, and the region within the actor's scope (through ``core.authz``)."""
    if actor is None:
        return
    if not actor.has_perms(perms):
        raise PermissionDenied()
    authorize(actor, {Role.SYSADMIN, Role.CENTRE_ADMIN, Role.DEPT_ADMIN}, region=region)


REGION_FIELDS = ["code", "name", "level", "parent"]
DEPARTMENT_FIELDS = ["credit_code", "name", "short_name", "region", "parent", "is_active"]
CENTRE_FIELDS = ["name", "region", "department", "address", "phone", "opening_hours"]
HALL_FIELDS = ["centre", "name", "location"]
WINDOW_GROUP_FIELDS = ["hall", "name", "kind", "theme", "department"]
WINDOW_FIELDS = ["group", "number", "is_active"]

M = TypeVar("M", bound=Model)


def _stored(instance: M | None) -> M | None:
    """The row as stored, locked for the transaction, or None for a new one. The caller's instance may
    carry unsaved edits (the admin's form fills it in), so the record's "before" is read afresh."""
    if instance is None or instance.pk is None:
        return None
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _taken(rows: QuerySet[M], stored: M | None) -> bool:
    """Whether a row other than ``stored`` matches: a name or number already in use."""
    return (rows.exclude(pk=stored.pk) if stored is not None else rows).exists()


def _audit(actor: User | None, action: str, target: Any, before: dict[str, Any], fields: list[str]) -> None:
    """One audit record per real change; an upsert that changed nothing leaves no trace."""
    changes = field_changes(before, snapshot(target, fields))
    if changes:
        audit_record(actor=actor, action=action, target=target, changes=changes)


def _region_path(code: str, parent: Region | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def region_upsert(
    *, actor: User | None, code: str, name: str, level: str, parent: Region | None
) -> tuple[Region, bool]:
    """Creates the region with ``code`` or updates its name, level and parent. Returns (region, created)."""
    _require(actor, "organisation.add_region", "organisation.change_region", region=parent)
    raise_problems(region_problems(code=code, name=name, level=level, parent_level=parent.level if parent else None))
    region = Region.objects.select_for_update().filter(code=code).first()
    before = snapshot(region, REGION_FIELDS) if region else {}
    if parent is not None and region is not None and parent.path.startswith(region.path):
        raise_problems([("parent", _("A region cannot be placed below itself."))])
    path = _region_path(code, parent)
    if region is None:
        region = Region.objects.create(code=code, name=name.strip(), level=level, parent=parent, path=path)
        _audit(actor, "organisation.region_create", region, {}, REGION_FIELDS)
        return region, True
    old_path = region.path
    region.name, region.level, region.parent, region.path = name.strip(), level, parent, path
    region.save()
    if old_path != path:
        _region_repath_descendants(old_path=old_path, new_path=path)
    _audit(actor, "organisation.region_update", region, before, REGION_FIELDS)
    return region, False


def _region_repath_descendants(*, old_path: str, new_path: str) -> None:
    for child in Region.objects.filter(path__startswith=old_path).exclude(path=old_path):
        child.path = new_path + child.path[len(old_path) :]
        child.save(update_fields=["path"])


@transaction.atomic
def department_upsert(
    *,
    actor: User | None,
    credit_code: str,
    name: str,
    region: Region,
    parent: Department | None = None,
    short_name: str = "",
    is_active: bool = True,
) -> tuple[Department, bool]:
    """Creates the department with ``credit_code`` or updates it. Returns (department, created)."""
    _require(actor, "organisation.add_department", "organisation.change_department", region=region)
    credit_code = normalise_credit_code(credit_code)
    raise_problems(department_problems(name=name, credit_code=credit_code))
    department = Department.objects.select_for_update().filter(credit_code=credit_code).first()
    if department is not None and parent is not None and parent.pk == department.pk:
        raise_problems([("parent", _("A department cannot be its own parent."))])
    before = snapshot(department, DEPARTMENT_FIELDS) if department else {}
    if department is None:
        department = Department(credit_code=credit_code)
    created = department.pk is None
    department.name, department.short_name = name.strip(), short_name.strip()
    department.region, department.parent, department.is_active = region, parent, is_active
    department.save()
    _audit(
        actor,
        "organisation.department_create" if created else "organisation.department_update",
        department,
        before,
        DEPARTMENT_FIELDS,
    )
    return department, created


@transaction.atomic
def centre_ensure(
    *,
    actor: User | None,
    name: str,
    region: Region,
    department: Department,
    address: str = "",
    phone: str = "",
    opening_hours: str = "",
) -> ServiceCentre:
    _require(actor, "organisation.add_servicecentre", "organisation.change_servicecentre", region=region)
    centre, created = ServiceCentre.objects.update_or_create(
        name=name,
        defaults={
            "region": region,
            "department": department,
            "address": address,
            "phone": phone,
            "opening_hours": opening_hours,
        },
    )
    if created:
        _audit(actor, "organisation.centre_create", centre, {}, ["name", "region", "department"])
    return centre


@transaction.atomic
def hall_ensure(*, actor: User | None, centre: ServiceCentre, name: str, location: str = "") -> Hall:
    _require(actor, "organisation.add_hall", "organisation.change_hall", region=centre.region)
    hall, created = Hall.objects.update_or_create(centre=centre, name=name, defaults={"location": location})
    if created:
        _audit(actor, "organisation.hall_create", hall, {}, ["centre", "name", "location"])
    return hall


@transaction.atomic
def window_group_ensure(
    *, actor: User | None, hall: Hall, theme: str, name: str, department: Department | None = None
) -> WindowGroup:
    """General windows serve a theme for every department; special windows belong to one."""
    _require(actor, "organisation.add_windowgroup", "organisation.change_windowgroup", region=hall.centre.region)
    kind = window_kind(theme)
    if kind == WindowKind.SPECIAL and department is None:
        raise_problems([("department", _("A special window group needs its department."))])
    if kind == WindowKind.GENERAL:
        department = None
    group, created = WindowGroup.objects.update_or_create(
        hall=hall, theme=theme, defaults={"name": name, "kind": kind, "department": department}
    )
    if created:
        _audit(actor, "organisation.window_group_create", group, {}, ["hall", "theme", "name", "kind", "department"])
    return group


@transaction.atomic
def windows_ensure(*, actor: User | None, group: WindowGroup, numbers: list[str]) -> list[Window]:
    _require(actor, "organisation.add_window", "organisation.change_window", region=group.hall.centre.region)
    taken = set(
        Window.objects.filter(group__hall=group.hall, number__in=numbers)
        .exclude(group=group)
        .values_list("number", flat=True)
    )
    if taken:
        raise_problems(
            [
                (
                    "number",
                    _("Window numbers already used in this hall: %(numbers)s") % {"numbers": ", ".join(sorted(taken))},
                )
            ]
        )
    windows = []
    for number in numbers:
        window, created = Window.objects.get_or_create(group=group, number=number)
        if created:
            _audit(actor, "organisation.window_create", window, {}, ["group", "number"])
        windows.append(window)
    return windows


@transaction.atomic
def centre_save(
    *,
    actor: User | None,
    centre: ServiceCentre | None = None,
    name: str,
    region: Region,
    department: Department,
    address: str = "",
    phone: str = "",
    opening_hours: str = "",
) -> ServiceCentre:
    """Creates a service centre (``centre=None``) or changes ``centre``; a centre moved to another
    region needs the actor's scope over both."""
    stored = _stored(centre)
    perm = "organisation.change_servicecentre" if stored else "organisation.add_servicecentre"
    _require(actor, perm, region=region)
    if stored is not None and stored.region_id != region.pk:
        _require(actor, perm, region=stored.region)
    raise_problems(centre_problems(name=name, address=address, phone=phone, opening_hours=opening_hours))
    if _taken(ServiceCentre.objects.filter(name=name.strip()), stored):
        raise_problems([("name", _("Another service centre already has this name."))])
    before = snapshot(stored, CENTRE_FIELDS) if stored else {}
    saved = stored or ServiceCentre()
    saved.name, saved.region, saved.department = name.strip(), region, department
    saved.address, saved.phone, saved.opening_hours = address.strip(), phone.strip(), opening_hours.strip()
    saved.save()
    _audit(
        actor, "organisation.centre_update" if stored else "organisation.centre_create", saved, before, CENTRE_FIELDS
    )
    return saved


@transaction.atomic
def hall_save(
    *, actor: User | None, centre: ServiceCentre, hall: Hall | None = None, name: str, location: str = ""
) -> Hall:
    """Creates a hall of ``centre`` (``hall=None``) or changes ``hall``, which stays in its centre:
    its queue, tickets and statistics belong to that centre's region."""
    stored = _stored(hall)
    _require(actor, "organisation.change_hall" if stored else "organisation.add_hall", region=centre.region)
    if stored is not None and stored.centre_id != centre.pk:
        raise_problems([("centre", _("A hall stays in its service centre."))])
    raise_problems(hall_problems(name=name, location=location))
    if _taken(Hall.objects.filter(centre=centre, name=name.strip()), stored):
        raise_problems([("name", _("This service centre already has a hall of this name."))])
    before = snapshot(stored, HALL_FIELDS) if stored else {}
    saved = stored or Hall(centre=centre)
    saved.name, saved.location = name.strip(), location.strip()
    saved.save()
    _audit(actor, "organisation.hall_update" if stored else "organisation.hall_create", saved, before, HALL_FIELDS)
    return saved


@transaction.atomic
def window_group_save(
    *,
    actor: User | None,
    hall: Hall,
    group: WindowGroup | None = None,
    name: str,
    theme: str,
    department: Department | None = None,
) -> WindowGroup:
    """Creates a window group of ``hall`` (``group=None``) or changes ``group``, which stays in its hall
    (its windows' numbers are unique there). The kind follows the theme."""
    stored = _stored(group)
    perm = "organisation.change_windowgroup" if stored else "organisation.add_windowgroup"
    _require(actor, perm, region=hall.centre.region)
    if stored is not None and stored.hall_id != hall.pk:
        raise_problems([("hall", _("A window group stays in its hall."))])
    raise_problems(window_group_problems(name=name, theme=theme, department=department))
    if _taken(WindowGroup.objects.filter(hall=hall, theme=theme), stored):
        raise_problems([("theme", _("This hall already has a window group of this theme."))])
    before = snapshot(stored, WINDOW_GROUP_FIELDS) if stored else {}
    saved = stored or WindowGroup(hall=hall)
    saved.name, saved.theme, saved.department = name.strip(), theme, department
    saved.kind = window_kind(theme)
    saved.save()
    _audit(
        actor,
        "organisation.window_group_update" if stored else "organisation.window_group_create",
        saved,
        before,
        WINDOW_GROUP_FIELDS,
    )
    return saved


@transaction.atomic
def window_save(
    *, actor: User | None, group: WindowGroup, window: Window | None = None, number: str, is_active: bool = True
) -> Window:
    """Creates a window of ``group`` (``window=None``) or changes ``window``: its number, unique in the
    hall, or whether it is in service. A window leaves service rather than being deleted."""
    stored = _stored(window)
    perm = "organisation.change_window" if stored else "organisation.add_window"
    _require(actor, perm, region=group.hall.centre.region)
    if stored is not None and stored.group_id != group.pk:
        raise_problems([("group", _("A window stays in its window group."))])
    raise_problems(window_problems(number=number))
    number = number.strip()
    if _taken(Window.objects.filter(group__hall=group.hall, number=number), stored):
        raise_problems([("number", _("Window numbers already used in this hall: %(numbers)s") % {"numbers": number})])
    before = snapshot(stored, WINDOW_FIELDS) if stored else {}
    saved = stored or Window(group=group)
    saved.number, saved.is_active = number, is_active
    saved.save()
    _audit(
        actor, "organisation.window_update" if stored else "organisation.window_create", saved, before, WINDOW_FIELDS
    )
    return saved
