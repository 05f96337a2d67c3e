"""An admin "import from Excel" screen: upload, validate the file's type and size, run the import
as a background job (core.jobs) and follow it on the job page. Each context sets the constants."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.core.jobs import job_submit

if TYPE_CHECKING:
    from yiwang.accounts.models import User


class ExcelUploadForm(forms.Form):
    max_megabytes = 20
    file = forms.FileField(label=gettext_lazy("Excel workbook (.xlsx)"))

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Please upload an .xlsx workbook."))
        if upload.size and upload.size > self.max_megabytes * 1024 * 1024:
            raise forms.ValidationError(_("The workbook may not exceed %(n)d MB.") % {"n": self.max_megabytes})
        return upload


class ExcelImportAdminMixin:
    import_form: type[ExcelUploadForm]
    import_job_kind: str
    import_permissions: tuple[str, ...]
    import_template: str
    import_title: str | Promise

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perms(self.import_permissions):
            raise PermissionDenied
        form = self.import_form(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = job_submit(
                kind=self.import_job_kind,
                created_by=cast("User", request.user),
                upload=upload,
                input_name=upload.name,
            )
            return redirect("workbench:job", job_id=job.pk)
        admin: Any = self
        context = {
            **admin.admin_site.each_context(request),
            "title": self.import_title,
            "form": form,
            "opts": admin.model._meta,
        }
        return TemplateResponse(request, self.import_template, context)
