from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy

from yiwang.core.admin_imports import ExcelImportAdminMixin
from yiwang.core.admin_services import ServiceAdminMixin
from yiwang.core.authz import scope_filter
from yiwang.core.roles import Role
from yiwang.core.shell import acting_user
from yiwang.organisation.forms import (
    CentreAdminForm,
    DepartmentAdminForm,
    HallAdminForm,
    OrganisationImportForm,
    RegionAdminForm,
    WindowAdminForm,
    WindowGroupAdminForm,
)
from yiwang.organisation.importer import organisation_template
from yiwang.organisation.jobs import ORGANISATION_IMPORT
from yiwang.organisation.models import Department, Hall, Region, ServiceCentre, Window, WindowGroup
from yiwang.organisation.services import (
    centre_save,
    department_upsert,
    hall_save,
    region_upsert,
    window_group_save,
    window_save,
)

IMPORT_PERMISSIONS = (
    "organisation.add_region",
    "organisation.change_region",
    "organisation.add_department",
    "organisation.change_department",
)


ADMINISTERING_ROLES = frozenset({Role.SYSADMIN, Role.CENTRE_ADMIN, Role.DEPT_ADMIN})


class ScopedAdmin:
    """Each administrator sees the rows their role assignments cover (accounts.authz)."""

    scope_department_field: str | None = None
    scope_region_field: str | None = "region"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return queryset  # type: ignore[no-any-return]
        return scope_filter(
            queryset,
            request.user,
            ADMINISTERING_ROLES,
            department_field=self.scope_department_field,
            region_field=self.scope_region_field,
        )


@admin.register(Region)
class RegionAdmin(ScopedAdmin, ExcelImportAdminMixin, admin.ModelAdmin[Region]):
    import_form = OrganisationImportForm
    import_job_kind = ORGANISATION_IMPORT
    import_permissions = IMPORT_PERMISSIONS
    import_template = "organisation/admin/import.html"
    import_title = gettext_lazy("Import regions and departments from Excel")
    scope_region_field = "self"

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    form = RegionAdminForm
    autocomplete_fields = ["parent"]

    def save_model(self, request: HttpRequest, obj: Region, form: Any, change: bool) -> None:
        # Through the service, which keeps the subtree paths right when a region moves.
        saved, _created = region_upsert(
            actor=acting_user(request),
            code=obj.code,
            name=obj.name,
            level=obj.level,
            parent=obj.parent,
        )
        obj.pk, obj.path = saved.pk, saved.path

    def get_readonly_fields(self, request: HttpRequest, obj: Region | None = None) -> list[str]:
        return ["code"] if obj is not None else []

    change_list_template = "organisation/admin/region_changelist.html"

    def get_urls(self) -> list[URLPattern]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="organisation_import"),
            path(
                "import/template.xlsx",
                self.admin_site.admin_view(self.template_view),
                name="organisation_import_template",
            ),
            *super().get_urls(),
        ]

    def template_view(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            organisation_template(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = "attachment; filename=organisation-template.xlsx"
        return response


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin, admin.ModelAdmin[Department]):
    scope_department_field = "pk"

    form = DepartmentAdminForm
    list_display = ["name", "credit_code", "region", "parent", "is_active"]
    list_filter = ["is_active", "region__level"]
    search_fields = ["name", "short_name", "credit_code"]
    autocomplete_fields = ["region", "parent"]
    list_select_related = ["region", "parent"]

    def save_model(self, request: HttpRequest, obj: Department, form: Any, change: bool) -> None:
        saved, _created = department_upsert(
            actor=acting_user(request),
            credit_code=obj.credit_code,
            name=obj.name,
            region=obj.region,
            parent=obj.parent,
            short_name=obj.short_name,
            is_active=obj.is_active,
        )
        obj.pk = saved.pk

    def get_readonly_fields(self, request: HttpRequest, obj: Department | None = None) -> list[str]:
        return ["credit_code"] if obj is not None else []


class HallInline(admin.TabularInline[Hall, ServiceCentre]):
    model = Hall
    form = HallAdminForm
    extra = 0
    can_delete = False  # a hall's queue, tickets and statistics are its history: it is kept


@admin.register(ServiceCentre)
class ServiceCentreAdmin(ServiceAdminMixin, ScopedAdmin, admin.ModelAdmin[ServiceCentre]):
    form = CentreAdminForm
    list_display = ["name", "region", "department", "phone"]
    autocomplete_fields = ["region", "department"]
    inlines = [HallInline]

    def save_model(self, request: HttpRequest, obj: ServiceCentre, form: Any, change: bool) -> None:
        obj.pk = centre_save(
            actor=acting_user(request),
            centre=obj,
            name=obj.name,
            region=obj.region,
            department=obj.department,
            address=obj.address,
            phone=obj.phone,
            opening_hours=obj.opening_hours,
        ).pk

    def save_inline(self, request: HttpRequest, parent: Model, row: Model) -> Model:
        assert isinstance(parent, ServiceCentre) and isinstance(row, Hall)
        return hall_save(actor=acting_user(request), centre=parent, hall=row, name=row.name, location=row.location)

    def has_delete_permission(self, request: HttpRequest, obj: ServiceCentre | None = None) -> bool:
        return False  # its halls and every case and ticket of them name the centre: it is kept


class WindowGroupInline(admin.TabularInline[WindowGroup, Hall]):
    model = WindowGroup
    form = WindowGroupAdminForm
    fields = ["name", "theme", "department", "kind"]
    readonly_fields = ["kind"]
    extra = 0
    autocomplete_fields = ["department"]
    can_delete = False  # queue categories and tickets name their window group: it is kept


@admin.register(Hall)
class HallAdmin(ServiceAdminMixin, ScopedAdmin, admin.ModelAdmin[Hall]):
    scope_region_field = "centre__region"

    form = HallAdminForm
    list_display = ["name", "centre", "location"]
    list_select_related = ["centre"]
    inlines = [WindowGroupInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Hall | None = None) -> list[str]:
        return ["centre"] if obj is not None else []  # a hall stays in its centre (hall_save)

    def save_model(self, request: HttpRequest, obj: Hall, form: Any, change: bool) -> None:
        obj.pk = hall_save(
            actor=acting_user(request), centre=obj.centre, hall=obj, name=obj.name, location=obj.location
        ).pk

    def save_inline(self, request: HttpRequest, parent: Model, row: Model) -> Model:
        assert isinstance(parent, Hall) and isinstance(row, WindowGroup)
        return window_group_save(
            actor=acting_user(request),
            hall=parent,
            group=row,
            name=row.name,
            theme=row.theme,
            department=row.department,
        )

    def has_delete_permission(self, request: HttpRequest, obj: Hall | None = None) -> bool:
        return False  # tickets, bookings and the hall's statistics name it: it is kept


class WindowInline(admin.TabularInline[Window, WindowGroup]):
    model = Window
    form = WindowAdminForm
    fields = ["number", "is_active"]
    extra = 0
    can_delete = False  # cases, tickets and ratings name the window: it leaves service ("in service" off)


@admin.register(WindowGroup)
class WindowGroupAdmin(ServiceAdminMixin, ScopedAdmin, admin.ModelAdmin[WindowGroup]):
    scope_region_field = "hall__centre__region"

    form = WindowGroupAdminForm
    list_display = ["name", "hall", "kind", "theme", "department"]
    list_filter = ["kind", "theme"]
    list_select_related = ["hall", "hall__centre", "department"]
    fields = ["hall", "name", "theme", "department", "kind"]
    autocomplete_fields = ["department"]
    inlines = [WindowInline]

    def get_readonly_fields(self, request: HttpRequest, obj: WindowGroup | None = None) -> list[str]:
        # The kind follows the theme; a group stays in its hall (window_group_save).
        return ["kind", "hall"] if obj is not None else ["kind"]

    def save_model(self, request: HttpRequest, obj: WindowGroup, form: Any, change: bool) -> None:
        obj.pk = window_group_save(
            actor=acting_user(request),
            hall=obj.hall,
            group=obj,
            name=obj.name,
            theme=obj.theme,
            department=obj.department,
        ).pk

    def save_inline(self, request: HttpRequest, parent: Model, row: Model) -> Model:
        assert isinstance(parent, WindowGroup) and isinstance(row, Window)
        return window_save(
            actor=acting_user(request), group=parent, window=row, number=row.number, is_active=row.is_active
        )

    def has_delete_permission(self, request: HttpRequest, obj: WindowGroup | None = None) -> bool:
        return False  # queue categories and tickets name the group: it is kept
