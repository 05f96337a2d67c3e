from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy

from yiwang.accounts.authz import scope_filter
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import acting_user
from yiwang.core.admin_imports import ExcelImportAdminMixin
from yiwang.organisation.forms import DepartmentAdminForm, OrganisationImportForm, RegionAdminForm
from yiwang.organisation.importer import organisation_template
from yiwang.organisation.jobs import ORGANISATION_IMPORT
from yiwang.organisation.models import Department, Hall, Region, ServiceCentre, Window, WindowGroup
from yiwang.organisation.services import department_upsert, region_upsert

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
    extra = 0


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin[ServiceCentre]):
    list_display = ["name", "region", "department", "phone"]
    autocomplete_fields = ["region", "department"]
    inlines = [HallInline]


class WindowGroupInline(admin.TabularInline[WindowGroup, Hall]):
    model = WindowGroup
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin[Hall]):
    list_display = ["name", "centre", "location"]
    list_select_related = ["centre"]
    inlines = [WindowGroupInline]


class WindowInline(admin.TabularInline[Window, WindowGroup]):
    model = Window
    extra = 0


@admin.register(WindowGroup)
class WindowGroupAdmin(admin.ModelAdmin[WindowGroup]):
    list_display = ["name", "hall", "kind", "theme", "department"]
    list_filter = ["kind", "theme"]
    list_select_related = ["hall", "hall__centre", "department"]
    inlines = [WindowInline]
