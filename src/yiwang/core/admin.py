from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.core.models import TaskFailure
from yiwang.core.services import task_failure_resolve
from yiwang.core.shell import acting_user


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin[TaskFailure]):
    list_display = ["task_name", "error_type", "failed_at", "resolved_at"]
    list_filter = ["task_name", "resolved_at"]
    readonly_fields = [f.name for f in TaskFailure._meta.fields]
    actions = ["mark_resolved"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: TaskFailure | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Mark as dealt with"), permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[TaskFailure]) -> None:
        for failure in queryset.filter(resolved_at__isnull=True):
            task_failure_resolve(
                actor=acting_user(request),
                failure=failure,
                resolution=_("Dealt with by %(user)s") % {"user": request.user},
            )
        messages.success(request, _("Marked as dealt with."))
