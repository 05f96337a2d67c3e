from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.admin_imports import ExcelUploadForm
from yiwang.core.identifiers import normalise_credit_code
from yiwang.organisation.models import Department, Region
from yiwang.organisation.rules import credit_code_problems, region_problems


class OrganisationImportForm(ExcelUploadForm):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_("Sheets 行政区划 and/or 部门, with the headers of the template."),
    )


class RegionAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent: Region | None = data.get("parent")
        for field, message in region_problems(
            code=data.get("code") or self.instance.code or "",
            name=data.get("name", ""),
            level=data.get("level", ""),
            parent_level=parent.level if parent else None,
        ):
            self.add_error(field if field in self.fields else None, message)
        return data


class DepartmentAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Department
        fields = ["name", "short_name", "credit_code", "region", "parent", "is_active"]

    def clean_credit_code(self) -> str:
        code = normalise_credit_code(self.cleaned_data.get("credit_code", ""))
        for _field, message in credit_code_problems(code):
            raise forms.ValidationError(message)
        return code
