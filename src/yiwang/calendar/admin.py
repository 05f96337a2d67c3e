from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from yiwang.calendar.jobs import CALENDAR_IMPORT
from yiwang.calendar.models import CalendarDay, CalendarYear
from yiwang.calendar.services import (
    CHANGE,
    calendar_day_clear,
    calendar_day_set,
    calendar_year_set,
    day_problems,
    year_problems,
)
from yiwang.core.admin_imports import ExcelImportAdminMixin, ExcelUploadForm
from yiwang.core.admin_services import ServiceAdminMixin, ServiceRulesForm
from yiwang.core.fields import Problem
from yiwang.core.shell import acting_user


class CalendarImportForm(ExcelUploadForm):
    max_megabytes = 2
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"), help_text=_("Sheet 工作日历: 日期 | 类型 (休/班) | 说明.")
    )


class CalendarDayForm(ServiceRulesForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "reason"]

    def rules(self, data: dict[str, Any]) -> list[Problem]:
        return day_problems(
            when=self.value(data, "date", None), kind=self.value(data, "kind"), reason=self.value(data, "reason")
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(ServiceAdminMixin, ExcelImportAdminMixin, admin.ModelAdmin[CalendarDay]):
    import_form = CalendarImportForm
    import_job_kind = CALENDAR_IMPORT
    import_permissions = CHANGE
    import_template = "calendar/admin/import.html"
    import_title = _("Import a year's working-day calendar from Excel")
    form = CalendarDayForm
    list_display = ["date", "kind", "reason", "updated_by", "updated_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["reason"]
    fields = ["date", "kind", "reason"]
    change_list_template = "calendar/admin/day_changelist.html"

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        saved = calendar_day_set(actor=acting_user(request), when=obj.date, kind=obj.kind, reason=obj.reason)
        obj.pk = saved.pk

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarDay | None = None) -> list[str]:
        return ["date"] if obj is not None else []  # the service keys a day by its date

    def delete_through_service(self, request: HttpRequest, obj: Model) -> None:
        # A day leaves the table (and deadlines may move): audited like a change.
        assert isinstance(obj, CalendarDay)
        calendar_day_clear(actor=acting_user(request), when=obj.date)

    def get_urls(self) -> list[URLPattern]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="calendar_import"),
            *super().get_urls(),
        ]


class CalendarYearForm(ServiceRulesForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "complete", "note"]

    def rules(self, data: dict[str, Any]) -> list[Problem]:
        return year_problems(year=self.value(data, "year", None), note=self.value(data, "note"))


@admin.register(CalendarYear)
class CalendarYearAdmin(ServiceAdminMixin, admin.ModelAdmin[CalendarYear]):
    form = CalendarYearForm
    list_display = ["year", "complete", "note"]

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarYear | None = None) -> list[str]:
        return ["year"] if obj is not None else []  # the service keys a year by its number

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        saved = calendar_year_set(actor=acting_user(request), year=obj.year, complete=obj.complete, note=obj.note)
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: CalendarYear | None = None) -> bool:
        return False  # unticking "schedule complete" withdraws a year; the row keeps what was said of it
