from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.selectors import acting_user
from yiwang.calendar.jobs import CALENDAR_IMPORT
from yiwang.calendar.models import CalendarDay, CalendarYear
from yiwang.calendar.services import CHANGE, calendar_day_set
from yiwang.core.admin_imports import ExcelImportAdminMixin, ExcelUploadForm


class CalendarImportForm(ExcelUploadForm):
    max_megabytes = 2
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"), help_text=_("Sheet 工作日历: 日期 | 类型 (休/班) | 说明.")
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(ExcelImportAdminMixin, admin.ModelAdmin[CalendarDay]):
    import_form = CalendarImportForm
    import_job_kind = CALENDAR_IMPORT
    import_permissions = CHANGE
    import_template = "calendar/admin/import.html"
    import_title = _("Import a year's working-day calendar from Excel")
    list_display = ["date", "kind", "reason", "updated_by", "updated_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["reason"]
    fields = ["date", "kind", "reason"]
    change_list_template = "calendar/admin/day_changelist.html"

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        saved = calendar_day_set(actor=acting_user(request), when=obj.date, kind=obj.kind, reason=obj.reason)
        obj.pk = saved.pk

    def get_urls(self) -> list[URLPattern]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="calendar_import"),
            *super().get_urls(),
        ]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    list_display = ["year", "complete", "note"]
