"""Pages of the online hall: apply from a guide, the draft (saved as typed, materials uploaded one by
one), my page (个人主页 / 法人主页), one case with what is expected of me, and the public progress
lookup. Every write goes through online.services or cases.services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.agents import principals_of
from yiwang.accounts.choices import AccountKind
from yiwang.audit.choices import AuditResult
from yiwang.audit.services import audit_record
from yiwang.cases import services as cases
from yiwang.cases.choices import AWAITING_RESULT_STATUSES, OPEN_STATUSES, CaseStatus, DeliveryMethod
from yiwang.cases.deadlines import case_remaining
from yiwang.cases.files import ACCEPTED, material_uploads
from yiwang.cases.form_data import form_data_rows
from yiwang.cases.notices import NOTICES, notice_pdf, notices_available
from yiwang.catalogue.selectors import implementation_get, version_material_get
from yiwang.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from yiwang.core.middleware import client_ip
from yiwang.core.ratelimit import over_limit
from yiwang.core.shell import acting_user
from yiwang.notifications.selectors import inbox
from yiwang.online import selectors, services
from yiwang.online.registry import sections_for
from yiwang.online.rules import PUBLIC_KINDS, draft_problems, online_applicable

if TYPE_CHECKING:
    from yiwang.accounts.models import User

View = Callable[..., HttpResponse]


def applicant_required(view: View) -> View:
    """Citizens and companies (and agents, who are citizens); staff use the workbench.

    An autosave or upload arriving after the session ended is not redirected to the login page
    (htmx would paste it into the form): it says so in place, and what was saved before stays."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.headers.get("HX-Request") == "true":
            return render(request, "online/_logged_out.html")
        return _logged_in(request, *args, **kwargs)

    @login_required
    def _logged_in(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if acting_user(request).kind not in PUBLIC_KINDS:
            raise PermissionDenied(_("The online hall is for citizens and companies."), code="not_an_applicant")
        return view(request, *args, **kwargs)

    return wrapper


def _my_case(request: HttpRequest, number: str) -> Any:
    """One of my cases; asking for anyone else's is refused as not found, and recorded."""
    user = acting_user(request)
    try:
        return selectors.my_case(user, number)
    except NotFound:
        audit_record(
            actor=user,
            action="online.case_refused",
            object_type="case",
            object_id=number[:64],
            result=AuditResult.DENIED,
        )
        raise


def _errors(error: DomainError) -> dict[str, str]:
    found: dict[str, str] = {}
    for problem in error.details.get("errors") or [{"field": "", "message": str(error.message)}]:
        found.setdefault(str(problem["field"]), str(problem["message"]))
    return found


# --- my page ---------------------------------------------------------------------------------------


@require_GET
@applicant_required
def my_page(request: HttpRequest) -> HttpResponse:
    """两页: the personal page of a citizen, the company page of a company account."""
    user = acting_user(request)
    done = request.GET.get("cases") == "done"
    cases_shown = list(selectors.my_cases(user, done=done)[:50])
    today = timezone.localdate()
    return render(
        request,
        "online/my_page.html",
        {
            "company": user.kind == AccountKind.LEGAL_PERSON,
            "done": done,
            "rows": [(c, case_remaining(c, today)) for c in cases_shown],
            "drafts": selectors.my_drafts(user)[:20],
            "reminders": selectors.my_reminders(user),
            "messages_latest": inbox(user=user)[:5],
            "principals": principals_of(agent=user) if user.kind == AccountKind.NATURAL_PERSON else [],
            "sections": sections_for(user),
        },
    )


# --- applying ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@applicant_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """From a guide: on whose behalf (myself, or someone who authorised me), then the draft."""
    user = acting_user(request)
    implementation = implementation_get(code=code[:40])
    if implementation is None:
        raise NotFound(code="not_found")
    if not online_applicable(implementation.current):
        audit_record(actor=user, action="online.apply_refused", target=implementation, result=AuditResult.DENIED)
        raise DomainError(_("This item cannot be applied for online; please apply at a window."), code="not_online")
    principals = [a.principal for a in principals_of(agent=user)] if user.kind == AccountKind.NATURAL_PERSON else []
    if request.method == "POST" or not principals:
        principal: User = user
        chosen = request.POST.get("principal", "")
        if chosen and chosen != str(user.pk):
            found = next((p for p in principals if str(p.pk) == chosen), None)
            if found is None:
                raise PermissionDenied(_("You may not apply for this applicant."), code="not_authorised")
            principal = found
        draft = services.draft_start(actor=user, implementation=implementation, principal=principal)
        return redirect("online:draft", key=draft.key)
    return render(
        request,
        "online/apply.html",
        {"implementation": implementation, "version": implementation.current, "principals": principals},
    )


def _draft_context(draft: Any, errors: dict[str, str] | None = None) -> dict[str, Any]:
    files = {f.requirement_id: f for f in draft.files.all()}
    exemptions = services.draft_exemptions(draft)
    materials = [
        (m, files.get(m.pk), exemptions.get(m.pk)) for m in draft.version.materials.select_related("replaced_by")
    ]
    return {
        "draft": draft,
        "version": draft.version,
        "fields": draft.version.form_fields.all(),
        "materials": materials,
        "errors": errors or {},
        "outdated": draft.version_id != draft.implementation.current_id,
        "accept": ",".join(ACCEPTED),
        "max_bytes": _max_bytes(),
    }


def _max_bytes() -> int:
    return int(settings.YIWANG_UPLOAD_MAX_MB) * 1024 * 1024


@require_GET
@applicant_required
def draft_page(request: HttpRequest, key: str) -> HttpResponse:
    draft = selectors.my_draft(acting_user(request), key)
    if draft.case_id is not None:
        return redirect("online:case", number=draft.case.number)  # type: ignore[union-attr]
    return render(request, "online/draft.html", _draft_context(draft))


@require_POST
@applicant_required
def draft_save(request: HttpRequest, key: str) -> HttpResponse:
    """htmx autosave: every change is kept at once; the item's checks run on submission, and a value no
    field could hold is refused (nothing of the change kept) with the reason."""
    user = acting_user(request)
    draft = selectors.my_draft(user, key)
    try:
        draft = services.draft_save(actor=user, draft=draft, data=request.POST.dict())
    except ValidationFailed as failed:
        response = render(request, "online/_saved.html", {"draft": draft, "error": str(failed.message)}, status=422)
        response["HX-Reswap"] = "innerHTML"  # htmx swaps 4xx answers only when told to
        return response
    return render(request, "online/_saved.html", {"draft": draft})


@require_POST
@applicant_required
def draft_file(request: HttpRequest, key: str, requirement_id: int) -> HttpResponse:
    """One material (htmx, with a progress bar); sending it again replaces it."""
    user = acting_user(request)
    draft = selectors.my_draft(user, key)
    upload = request.FILES.get("file")
    requirement = version_material_get(version=draft.version, pk=requirement_id)
    error = ""
    stored = None
    if upload is None or requirement is None:
        error = _("Choose a file.")
    else:
        try:
            stored = services.draft_file_put(actor=user, draft=draft, requirement_id=requirement_id, upload=upload)
        except DomainError as problem:
            error = next(iter(_errors(problem).values()))
    response = render(
        request,
        "online/_material.html",
        {
            "draft": draft,
            "material": requirement,
            "stored": stored,
            "error": error,
            "accept": ",".join(ACCEPTED),
            "max_bytes": _max_bytes(),
        },
        status=422 if error else 200,
    )
    if error:
        response["HX-Reswap"] = "outerHTML"  # htmx swaps 4xx answers only when told to
    return response


@require_POST
@applicant_required
def draft_check(request: HttpRequest, key: str) -> HttpResponse:
    """检查: keeps what was typed, then either marks every problem in place or shows the whole
    application for a last look before it is submitted."""
    user = acting_user(request)
    draft = selectors.my_draft(user, key)
    if draft.case_id is not None:
        return redirect("online:case", number=draft.case.number)  # type: ignore[union-attr]
    try:
        draft = services.draft_save(actor=user, draft=draft, data=request.POST.dict())
    except ValidationFailed as failed:
        return render(request, "online/draft.html", _draft_context(draft, _errors(failed)), status=422)
    if draft.version_id != draft.implementation.current_id:
        draft = services.draft_refresh(actor=user, draft=draft)
        messages.warning(
            request,
            _("The item's requirements have changed since you started. Please check the application again."),
        )
        return redirect("online:draft", key=draft.key)
    problems = draft_problems(draft)
    if problems:
        errors: dict[str, str] = {}
        for field, message in problems:
            errors.setdefault(field, message)
        return render(request, "online/draft.html", _draft_context(draft, errors), status=422)
    exemptions = services.draft_exemptions(draft)
    return render(
        request,
        "online/review.html",
        {
            "draft": draft,
            "form_rows": form_data_rows(draft.version.form_fields.all(), draft.form_data),
            "files": draft.files.select_related("requirement").order_by("requirement__order"),
            "exempt": [(m, exemptions[m.pk]) for m in draft.version.materials.all() if m.pk in exemptions],
        },
    )


@require_POST
@applicant_required
def draft_submit(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    draft = selectors.my_draft(user, key)
    try:
        # What was typed last is kept first. A second click (or a retried request) finds the draft
        # submitted already and is answered with the same case below.
        services.draft_save(actor=user, draft=draft, data=request.POST.dict())
        draft.refresh_from_db()
    except Conflict:
        pass
    except ValidationFailed as failed:
        return render(request, "online/draft.html", _draft_context(draft, _errors(failed)), status=422)
    try:
        case = services.draft_submit(actor=user, draft=draft)
    except DomainError as error:
        if error.code == "version_changed":
            services.draft_refresh(actor=user, draft=draft)
            messages.warning(request, str(error.message))
            return redirect("online:draft", key=draft.key)
        draft.refresh_from_db()
        return render(request, "online/draft.html", _draft_context(draft, _errors(error)), status=422)
    messages.success(request, _("Your application %(number)s has been submitted.") % {"number": case.number})
    return redirect("online:case", number=case.number)


@require_POST
@applicant_required
def draft_discard(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    services.draft_discard(actor=user, draft=selectors.my_draft(user, key))
    messages.success(request, _("The draft has been deleted."))
    return redirect("online:my")


# --- one case ------------------------------------------------------------------------------------


@require_GET
@applicant_required
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    case = _my_case(request, number)
    return render(
        request,
        "online/case.html",
        {
            "case": case,
            "left": case_remaining(case, timezone.localdate()),
            "events": case.events.all(),
            "form_rows": form_data_rows(case.version.form_fields.all(), case.form_data),
            "to_fix": selectors.materials_to_fix(case)
            if case.status in (CaseStatus.CORRECTION_REQUESTED, CaseStatus.ACCEPTED_PENDING)
            else [],
            "expected": selectors.expected_of_applicant(case),
            "notices": [(key, NOTICES[key].title) for key in notices_available(case)],
            "may_withdraw": case.status in OPEN_STATUSES,  # the statuses cases.workflow lets withdraw
            "may_choose_delivery": case.status in AWAITING_RESULT_STATUSES,
            "delivery": getattr(case, "delivery", None),
            "methods": DeliveryMethod.choices,
            "accept": ",".join(ACCEPTED),
        },
    )


@require_POST
@applicant_required
def case_materials(request: HttpRequest, number: str) -> HttpResponse:
    """补正 resubmitted, or 容缺 materials supplied, from the applicant's own account."""
    user = acting_user(request)
    case = _my_case(request, number)
    try:
        uploads = material_uploads(request.FILES)
        if not uploads:
            raise DomainError(_("Choose the files to send."), code="nothing_sent")
        if case.status == CaseStatus.ACCEPTED_PENDING:
            cases.case_supply(actor=user, case=case, uploads=uploads)
        else:
            cases.case_resubmit(actor=user, case=case, uploads=uploads)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The materials have been sent."))
    return redirect("online:case", number=case.number)


@require_POST
@applicant_required
def case_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    user = acting_user(request)
    case = _my_case(request, number)
    try:
        cases.case_withdraw(actor=user, case=case, reason=request.POST.get("reason", "")[:500])
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("online:case", number=case.number)


@require_POST
@applicant_required
def case_delivery(request: HttpRequest, number: str) -> HttpResponse:
    user = acting_user(request)
    case = _my_case(request, number)
    try:
        cases.case_delivery_choose(
            actor=user, case=case, method=request.POST.get("method", ""), address=request.POST.get("address", "")
        )
    except DomainError as error:
        messages.error(request, next(iter(_errors(error).values())))
    else:
        messages.success(request, _("Your choice has been saved."))
    return redirect("online:case", number=case.number)


@require_GET
@applicant_required
def case_notice(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    user = acting_user(request)
    case = _my_case(request, number)
    pdf = notice_pdf(case, kind)
    audit_record(actor=user, action="cases.notice_download", target=case, changes={"notice": [None, kind]})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.number}-{kind}.pdf"'
    return response


# --- public progress lookup -------------------------------------------------------------------------

LOOKUPS_PER_MINUTE = 10
WRONG_PER_HOUR = 5


@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """办件进度查询 without logging in: number + applicant name + last four document characters."""
    number = request.GET.get("number", "").strip()[:40]
    name = request.GET.get("name", "").strip()[:200]
    tail = request.GET.get("id_tail", "").strip()[:4]
    context: dict[str, Any] = {"number": number, "name": name, "id_tail": tail, "asked": bool(name or tail)}
    status = 200
    if context["asked"]:
        address = client_ip(request) or "unknown"
        if over_limit(f"progress:ip:{address}", LOOKUPS_PER_MINUTE, 60) or (
            cache.get(f"progress:wrong:{number}", 0) >= WRONG_PER_HOUR
        ):
            context["limited"] = True
            status = 429
            audit_record(actor=None, action="cases.progress_lookup", object_type="case", result=AuditResult.DENIED)
        else:
            case = selectors.progress_lookup(number, name, tail)
            if case is None:
                over_limit(f"progress:wrong:{number}", WRONG_PER_HOUR, 3600)
                context["not_found"] = True
                audit_record(actor=None, action="cases.progress_lookup", object_type="case", result=AuditResult.FAILED)
            else:
                context["case"] = case
                context["left"] = case_remaining(case, timezone.localdate())
                audit_record(actor=None, action="cases.progress_lookup", target=case)
    return render(request, "online/progress.html", context, status=status)
