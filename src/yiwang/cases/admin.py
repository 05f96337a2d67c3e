"""Cases in the admin: the centre administrator's read-only view of every case of the region, with
archiving (closing handed-out cases) through the same service the workbench and the API use.

Nothing about a case is edited here: every change of a case is a step of its workflow
(cases.services), with its permission check, audit record and history entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.cases import selectors
from yiwang.cases.models import Case, CaseEvent, CasePause, CaseStatus, DeadlineChange, ReviewTask, SubmittedMaterial
from yiwang.cases.services import case_close
from yiwang.core.errors import DomainError
from yiwang.core.masking import mask_id_number
from yiwang.core.shell import acting_user


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MaterialInline(ReadOnlyInline):
    model = SubmittedMaterial
    fields = ["requirement", "state", "file_name", "size", "digest", "note"]
    readonly_fields = ["requirement", "state", "file_name", "size", "digest", "note"]


class TaskInline(ReadOnlyInline):
    model = ReviewTask
    fields = ["order", "name", "department", "state", "assignee", "finished_at", "opinion"]
    readonly_fields = ["order", "name", "department", "state", "assignee", "finished_at", "opinion"]


class PauseInline(ReadOnlyInline):
    model = CasePause
    fields = ["kind", "procedure", "reason", "started_on", "ended_on", "working_days", "result"]
    readonly_fields = ["kind", "procedure", "reason", "started_on", "ended_on", "working_days", "result"]


class DeadlineInline(ReadOnlyInline):
    model = DeadlineChange
    fields = ["at", "old_due", "new_due", "provisional", "reason"]
    readonly_fields = ["at", "old_due", "new_due", "provisional", "reason"]


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "opinion"]
    readonly_fields = ["at", "action", "from_status", "to_status", "actor", "opinion"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["number", "item", "department", "status", "channel", "submitted_at", "due_on"]
    list_filter = ["status", "channel"]
    search_fields = ["=number", "=applicant_name"]
    list_select_related = ["department", "version"]
    show_full_result_count = False  # a region holds millions of cases: no count of them all per page
    list_per_page = 50
    ordering = ["-submitted_at", "pk"]
    actions = ["close_cases"]
    inlines = [MaterialInline, TaskInline, PauseInline, DeadlineInline, EventInline]
    fieldsets = [
        (None, {"fields": ["number", "status", "item", "department", "channel", "window"]}),
        (
            gettext_lazy("Applicant"),
            {"fields": ["applicant_kind", "applicant_name", "applicant_id_type", "masked_id_number", "agent_name"]},
        ),
        (
            gettext_lazy("Dates and deadlines"),
            {
                "fields": [
                    "submitted_at",
                    "accepted_at",
                    "accepted_on",
                    "due_on",
                    "statutory_due_on",
                    "due_provisional",
                    "paused_days",
                    "extension_days",
                    "pending_until",
                    "decided_at",
                    "concluded_at",
                    "closed_at",
                ]
            },
        ),
        (
            gettext_lazy("Outcome"),
            {"fields": ["decision", "decision_basis", "result_name", "result_number", "refusal_reason", "visits"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        if request.user.is_superuser:
            return super().get_queryset(request)
        return selectors.cases_visible(acting_user(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Case | None = None) -> list[str]:
        return [str(name) for _title, options in self.fieldsets for name in options["fields"]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases are submitted at a window or online, never typed into the admin

    def has_delete_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False  # case files are archives (档案): they are closed, not deleted

    @admin.display(description=gettext_lazy("Item"))
    def item(self, case: Case) -> str:
        return case.version.name

    @admin.display(description=gettext_lazy("document number"))
    def masked_id_number(self, case: Case) -> str:
        return mask_id_number(case.applicant_id_number)  # personal data masked by default

    @admin.action(description=gettext_lazy("Close (archive) the selected handed-out cases"), permissions=["view"])
    def close_cases(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        closed, refused = 0, []
        for case in queryset.filter(status=CaseStatus.DELIVERED):
            try:
                case_close(actor=acting_user(request), case=case)
                closed += 1
            except DomainError as error:
                refused.append(f"{case.number}: {error.message}")
        skipped = queryset.exclude(status=CaseStatus.DELIVERED).count()
        if closed:
            messages.success(request, _("%(n)d cases closed.") % {"n": closed})
        if skipped:
            messages.warning(request, _("%(n)d cases were not handed out yet and stay open.") % {"n": skipped})
        for message in refused:
            messages.error(request, message)
