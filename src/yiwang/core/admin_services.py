"""Admin screens that write through their context's services (issue 17, defect 7).

The admin's own writes (``obj.save()``, ``formset.save()``, ``queryset.delete()``) skip the actor's
permission check, the field rules and the audit record. A screen built on these classes instead:

- checks each form, inline rows included, against the service's rules in ``clean()``
  (``ServiceRulesForm.rules``), so a bad value is refused on its field in the re-rendered form;
- saves the object (``save_model``, per screen) and each inline row (``save_inline``) through a
  service, which authorises the actor and writes the audit record in the admin's transaction;
- deletes only through ``delete_through_service``, which refuses unless the screen provides one;
- turns a refusal only the service can make (the actor's scope, a race) into a message on the form's
  page, the whole save rolled back with it, never a 500.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from yiwang.core.errors import DomainError, PermissionDenied
from yiwang.core.fields import Problem

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


class ServiceRulesForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form that asks the service's rules before the admin saves anything."""

    def rules(self, data: dict[str, Any]) -> list[Problem]:
        """The service's (field, message) problems with ``data``; a field the form lacks is read from
        ``self.instance``. Every subclass states its own."""
        return []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, message in self.rules(data):
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
            elif field not in self.fields:
                self.add_error(None, message)
        return data

    def value(self, data: dict[str, Any], name: str, default: Any = "") -> Any:
        """The submitted value of ``name``, else the stored one (a read-only field), else ``default``."""
        if name in self.fields:
            return data.get(name, default)
        return getattr(self.instance, name, default)


class ServiceAdminMixin(_ModelAdmin):
    """Put first in a ModelAdmin's bases; the screen writes ``save_model`` and, for inlines,
    ``save_inline`` with its services."""

    def save_inline(self, request: HttpRequest, parent: Model, row: Model) -> Model:
        """Creates or changes one inline row through a service; returns the stored row."""
        raise NotImplementedError(f"{type(self).__name__} saves {type(row).__name__} rows without a service")

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet[Any, Any, Any], change: bool
    ) -> None:
        # commit=False fills new_objects, changed_objects and deleted_objects (the admin's history
        # message reads them) and leaves the writing to the services.
        for row in formset.save(commit=False):
            row.pk = self.save_inline(request, form.instance, row).pk
        for row in formset.deleted_objects:
            self.delete_through_service(request, row)

    def delete_through_service(self, request: HttpRequest, obj: Model) -> None:
        """Deletes ``obj`` through a service. Without one, nothing is deleted."""
        raise PermissionDenied()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_through_service(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():  # the bulk action deletes all it was given, or nothing
            for obj in queryset:
                self.delete_through_service(request, obj)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refusal:
            return refused(request, refusal)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as refusal:
            return refused(request, refusal)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        try:  # its actions, "delete selected" among them
            return super().changelist_view(request, extra_context)
        except DomainError as refusal:
            return refused(request, refusal)


def refused(request: HttpRequest, refusal: DomainError) -> HttpResponse:
    """A service's refusal as a message on the page the administrator was on. The view's transaction
    has been rolled back by the time the refusal gets here, so nothing of the save remains."""
    messages.error(request, str(refusal.message))
    return HttpResponseRedirect(request.get_full_path())
