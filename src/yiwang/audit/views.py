"""The security auditor's pages: search, filter and export the trail (三员分立: nobody else may)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from yiwang.audit.models import AuditResult
from yiwang.audit.selectors import AuditQuery, audit_actions, audit_search
from yiwang.audit.services import audit_record
from yiwang.core.errors import ValidationFailed
from yiwang.core.roles import Role
from yiwang.core.shell import acting_user_with, staff_required

if TYPE_CHECKING:
    from yiwang.accounts.models import User

EXPORT_LIMIT = 100_000


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Actor, object id, request id or address"), max_length=128, required=False)
    action = forms.CharField(label=gettext_lazy("Action"), max_length=64, required=False)
    result = forms.ChoiceField(
        label=gettext_lazy("Result"), choices=[("", gettext_lazy("All")), *AuditResult.choices], required=False
    )
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def query(self) -> AuditQuery:
        data = self.cleaned_data
        return AuditQuery(data["q"].strip(), data["action"].strip(), data["result"], data["since"], data["until"])


def _auditor(request: HttpRequest) -> User:
    return acting_user_with(request, {Role.AUDITOR})


@require_GET
@staff_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    _auditor(request)
    form = AuditFilterForm(request.GET or None)
    records = audit_search(form.query()) if form.is_valid() else audit_search(AuditQuery())
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {
            "form": form,
            "page": page,
            "actions": audit_actions(),
            "query_string": query_string.urlencode(),
        },
    )


@require_GET
@staff_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered trail as Excel; the export itself goes into the trail."""
    auditor = _auditor(request)
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        raise ValidationFailed(_("The search terms are not valid."))
    query = form.query() if request.GET else AuditQuery()
    records = audit_search(query)[:EXPORT_LIMIT]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit trail"))
    sheet.append(
        [
            _("Number"),
            _("Time"),
            _("Actor"),
            _("Roles held"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Changes"),
            _("Source address"),
            _("Request id"),
            _("Result"),
            _("SM3 digest"),
        ]
    )
    count = 0
    zone = timezone.get_current_timezone()
    for record in records.iterator(chunk_size=2000):
        sheet.append(
            [
                record.pk,
                record.occurred_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                record.actor_name,
                ",".join(record.actor_roles),
                record.action,
                record.object_type,
                record.object_id,
                str(record.changes) if record.changes else "",
                record.source_ip or "",
                record.request_id,
                record.get_result_display(),
                record.digest,
            ]
        )
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    audit_record(
        actor=auditor,
        action="audit.export",
        object_type="audit",
        changes={
            "filters": [None, {k: str(v) for k, v in vars(query).items() if v}],
            "rows": [None, count],
        },
    )
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename=audit-{timezone.now():%Y%m%d-%H%M%S}.xlsx"
    return response
