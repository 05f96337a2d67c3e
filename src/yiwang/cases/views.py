"""Workbench pages for cases: the list (most urgent first), a case with the steps the viewer may take,
and the general window's intake. Every write goes through cases.services, like the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.authz import can
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import account_by_document, user_has_role
from yiwang.cases import selectors, services
from yiwang.cases.actions import case_action_run
from yiwang.cases.deadlines import case_remaining, list_counter
from yiwang.cases.exemptions import exemptions_for
from yiwang.cases.files import material_uploads
from yiwang.cases.form_data import form_data_rows
from yiwang.cases.models import OPEN_STATUSES, Case, CaseStatus, IdType
from yiwang.cases.notices import NOTICES, notices_available
from yiwang.cases.workflow import WORKFLOW
from yiwang.catalogue import selectors as catalogue
from yiwang.catalogue.choices import SpecialProcedure
from yiwang.core.errors import DomainError, PermissionDenied
from yiwang.core.shell import acting_user, staff_required

if TYPE_CHECKING:
    from yiwang.catalogue.models import ImplementationVersion


def _viewer(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = acting_user(request)
    if not user_has_role(user=user, roles=selectors.CASE_VIEW_ROLES):
        raise PermissionDenied()
    return user


def _with_remaining(cases: list[Case]) -> list[tuple[Case, Any]]:
    today = timezone.localdate()
    counter = list_counter(today) if any(c.status in OPEN_STATUSES and c.due_on for c in cases) else None
    return [(c, case_remaining(c, today, counter)) for c in cases]


QUEUES = {
    "inbox": gettext_lazy("My department's review steps"),
    "extensions": gettext_lazy("Extension requests to approve"),
    "hand_out": gettext_lazy("Results ready to hand out"),
}


PAGE_SIZE = 50
STATES = {"open": gettext_lazy("In progress"), "done": gettext_lazy("Done")}


@require_GET
@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Most urgent first, 50 a page. Pages are counted forward only: a region's list holds millions of
    cases, and counting them on every view would cost more than showing them."""
    user = _viewer(request)
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    overdue = request.GET.get("overdue") == "1"
    lookup = request.GET.get("q", "").strip()[:40]
    # Open cases by default; a lookup searches everything.
    state = request.GET.get("state", "" if lookup else "open")
    state = state if state in STATES else ""
    queue = request.GET.get("queue", "")
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    if queue in QUEUES:
        cases = selectors.case_queue(user, queue)
    else:
        queue = ""
        cases = selectors.case_list(user, state=state, status=status, overdue=True if overdue else None, lookup=lookup)
    start = (page - 1) * PAGE_SIZE
    rows = list(cases[start : start + PAGE_SIZE + 1])
    if lookup and page == 1 and len(rows) == 1:
        return redirect("cases:detail", number=rows[0].number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "rows": _with_remaining(rows[:PAGE_SIZE]),
            "status": status,
            "statuses": CaseStatus.choices,
            "overdue": overdue,
            "lookup": lookup,
            "state": state,
            "states": list(STATES.items()),
            "queue": queue,
            "queues": list(QUEUES.items()),
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "query_string": query.urlencode(),
        },
    )


def _actions_for(user: Any, case: Case) -> list[str]:
    """The steps of the table the viewer may take from the case's status and that have a button of their own
    (materials arrive through their own form, an extension and a finished review step have theirs)."""
    return [
        action
        for action in WORKFLOW.actions_from(case.status)
        if action not in ("resubmit", "supply", "extend", "task_complete")
        and WORKFLOW.roles(action)
        and can(user, WORKFLOW.roles(action), department=case.department, region=case.region)
    ]


@require_GET
@staff_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _viewer(request)
    case = selectors.case_for(user, number)
    actions = _actions_for(user, case)
    is_approver = user_has_role(user=user, roles={Role.APPROVER})
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "left": case_remaining(case, timezone.localdate()),
            "actions": actions,
            "may_complete_task": is_approver and WORKFLOW.allows(case.status, "task_complete"),
            "may_extend": "decide" in actions,
            "pending_extension": case.extension_requests.filter(approved__isnull=True).first(),
            "is_head": can(user, {Role.DEPT_HEAD}, department=case.department),
            "form_rows": form_data_rows(case.version.form_fields.all(), case.form_data),
            "materials": case.materials.select_related("requirement"),
            "tasks": case.tasks.select_related("department"),
            "events": case.events.select_related("actor"),
            "deadline_changes": case.deadline_changes.all(),
            "notices": [(key, NOTICES[key].title) for key in notices_available(case)],
            "procedures": SpecialProcedure.choices,
            "today": timezone.localdate(),
        },
    )


@require_POST
@staff_required
def case_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    user = _viewer(request)
    case = selectors.case_for(user, number)
    post = request.POST
    try:
        if action == "materials":
            uploads = material_uploads(request.FILES)
            if case.status == CaseStatus.ACCEPTED_PENDING:
                services.case_supply(actor=user, case=case, uploads=uploads)
            else:
                services.case_resubmit(actor=user, case=case, uploads=uploads)
        else:
            data: dict[str, Any] = {key: post.get(key) for key in post}
            data["items"] = [
                {"requirement_id": pk, "problem": post.get(f"problem_{pk}", "").strip() or _("Please supply it.")}
                for pk in post.getlist("material")
                if pk.isdigit()
            ]
            data["requirement_ids"] = [pk for pk in post.getlist("material") if pk.isdigit()]
            case_action_run(actor=user, case=case, action=action, data=data)
    except DomainError as error:
        problems = error.details.get("errors") or []
        messages.error(request, "；".join(str(p["message"]) for p in problems) if problems else str(error.message))
    else:
        messages.success(request, _("Done."))
    return redirect("cases:detail", number=case.number)


@require_GET
@staff_required
def intake_applicant(request: HttpRequest) -> HttpResponse:
    """htmx: does the applicant typed at the window have an online account? (existing account or walk-in)"""
    user = acting_user(request)
    if not user_has_role(user=user, roles={Role.CLERK}):
        raise PermissionDenied()
    number = request.GET.get("applicant_id_number", "").strip()[:40]
    id_type = request.GET.get("applicant_id_type", "")
    account = account_by_document(id_type=id_type, number=number) if number else None
    covered: list[tuple[str, str]] = []
    code = request.GET.get("item", "")[:40]
    implementation = catalogue.implementation_published_get(code=code) if code and number else None
    if implementation is not None and implementation.current is not None:
        requirements = list(implementation.current.materials.all())
        found = exemptions_for(requirements, number.upper())
        covered = [(r.name, found[r.pk].note) for r in requirements if r.pk in found]
    return render(request, "cases/_applicant_match.html", {"number": number, "account": account, "covered": covered})


@require_http_methods(["GET", "POST"])
@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    """一窗受理: find the item, identify the applicant, check the materials, fill the form, submit."""
    user = acting_user(request)
    if not user_has_role(user=user, roles={Role.CLERK}):
        raise PermissionDenied()
    q = request.GET.get("q", "").strip()[:50]
    code = request.GET.get("item", "") or request.POST.get("item", "")
    implementation = catalogue.implementation_published_get(code=code[:40]) if code else None
    version: ImplementationVersion | None = implementation.current if implementation else None
    errors: dict[str, str] = {}
    if request.method == "POST" and version is not None:
        post = request.POST
        try:
            uploads = material_uploads(request.FILES)
            case = services.case_submit(
                actor=user,
                version=version,
                channel="window",
                applicant=services.Applicant(
                    kind=post.get("applicant_kind", ""),
                    name=post.get("applicant_name", ""),
                    id_type=post.get("applicant_id_type", ""),
                    id_number=post.get("applicant_id_number", ""),
                    phone=post.get("applicant_phone", ""),
                    agent_name=post.get("agent_name", ""),
                ),
                form_data={f.key: post.get(f"field_{f.key}", "") for f in version.form_fields.all()},
                uploads=uploads,
                idempotency_key=post.get("idempotency_key") or None,
            )
        except DomainError as error:
            for problem in error.details.get("errors") or [{"field": "", "message": str(error.message)}]:
                errors.setdefault(str(problem["field"]), str(problem["message"]))
        else:
            messages.success(request, _("Case %(number)s received.") % {"number": case.number})
            return redirect("cases:detail", number=case.number)
    found = list(catalogue.published_list(q=q)[:20]) if q and version is None else []
    return render(
        request,
        "cases/intake.html",
        {
            "q": q,
            "found": found,
            "implementation": implementation,
            "version": version,
            "materials": version.materials.select_related("replaced_by") if version else [],
            "fields": version.form_fields.all() if version else [],
            "errors": errors,
            "post": request.POST,
            "values": {f.key: request.POST.get(f"field_{f.key}", "") for f in version.form_fields.all()}
            if version
            else {},
            "id_types": IdType.choices,
            "idempotency_key": request.POST.get("idempotency_key") or f"{user.pk}-{timezone.now().timestamp()}",
        },
        status=422 if errors else 200,
    )
