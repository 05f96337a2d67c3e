from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.selectors import acting_user
from yiwang.calendar.jobs import CALENDAR_IMPORT
from yiwang.calendar.models import CalendarDay, CalendarYear
from yiwang.calendar.services import CHANGE, calendar_day_set
from yiwang.core.jobs import job_submit


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"), help_text=_("Sheet 工作日历: 日期 | 类型 (休/班) | 说明.")
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Please upload an .xlsx workbook."))
        if upload.size and upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The workbook may not exceed 2 MB."))
        return upload


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
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

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perms(CHANGE):
            raise PermissionDenied
        form = CalendarImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = job_submit(
                kind=CALENDAR_IMPORT, created_by=acting_user(request), upload=upload, input_name=upload.name
            )
            return redirect("workbench:job", job_id=job.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import a year's working-day calendar from Excel"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "calendar/admin/import.html", context)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    list_display = ["year", "complete", "note"]
