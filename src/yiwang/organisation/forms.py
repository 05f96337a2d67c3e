from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.admin_imports import ExcelUploadForm
from yiwang.core.admin_services import ServiceRulesForm
from yiwang.core.fields import Problem
from yiwang.core.identifiers import normalise_credit_code
from yiwang.organisation.models import Department, Hall, Region, ServiceCentre, Window, WindowGroup
from yiwang.organisation.rules import (
    centre_problems,
    credit_code_problems,
    hall_problems,
    region_problems,
    window_group_problems,
    window_kind,
    window_problems,
)


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


# The admin's forms of the hall side: each asks the rules its service (organisation.services) applies,
# so a refused value shows on its field instead of reaching the service.


class CentreAdminForm(ServiceRulesForm):
    class Meta:
        model = ServiceCentre
        fields = ["name", "region", "department", "address", "phone", "opening_hours"]

    def rules(self, data: dict[str, Any]) -> list[Problem]:
        return centre_problems(
            name=self.value(data, "name"),
            address=self.value(data, "address"),
            phone=self.value(data, "phone"),
            opening_hours=self.value(data, "opening_hours"),
        )


class HallAdminForm(ServiceRulesForm):
    class Meta:
        model = Hall
        fields = ["centre", "name", "location"]

    def rules(self, data: dict[str, Any]) -> list[Problem]:
        return hall_problems(name=self.value(data, "name"), location=self.value(data, "location"))


class WindowGroupAdminForm(ServiceRulesForm):
    class Meta:
        model = WindowGroup
        fields = ["hall", "name", "theme", "department"]

    def rules(self, data: dict[str, Any]) -> list[Problem]:
        theme = self.value(data, "theme")
        # The kind is not typed: it follows the theme, as the service sets it (and the model's
        # constraint on kind and department is checked against it).
        self.instance.kind = window_kind(theme)
        return window_group_problems(
            name=self.value(data, "name"), theme=theme, department=self.value(data, "department", None)
        )


class WindowAdminForm(ServiceRulesForm):
    class Meta:
        model = Window
        fields = ["group", "number", "is_active"]

    def rules(self, data: dict[str, Any]) -> list[Problem]:
        return window_problems(number=self.value(data, "number"))
