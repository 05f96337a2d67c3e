"""API: cases — submit (with an Idempotency-Key), read, list and act. The same services as the pages."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from yiwang.accounts.api_auth import api_auth
from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.audit.services import audit_record
from yiwang.cases import selectors, services
from yiwang.cases.actions import case_action_run
from yiwang.cases.deadlines import Remaining, case_remaining, list_counter
from yiwang.cases.files import material_uploads
from yiwang.cases.models import Case, CaseChannel, CaseStatus
from yiwang.cases.notices import notice_pdf
from yiwang.catalogue.selectors import version_published_for_submission
from yiwang.core.api_support import Day, ErrorOut, Pagination
from yiwang.core.errors import NotFound, PermissionDenied, raise_problems
from yiwang.core.fields import json_object
from yiwang.core.idempotency import idempotency_key_of
from yiwang.core.masking import mask_id_number
from yiwang.core.shell import acting_user

router = Router(tags=["cases"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


class CaseSummary(Schema):
    number: str
    status: CaseStatus
    item: str = Field(..., alias="version.name")
    implementation: str = Field(..., alias="implementation.code")
    department: str = Field(..., alias="department.name")
    applicant: str = Field(..., alias="applicant_name")
    channel: CaseChannel
    submitted_at: datetime
    accepted_on: date | None
    due_on: date | None
    due_provisional: bool
    remaining_working_days: int | None = None
    warning: str | None = None

    @staticmethod
    def resolve_remaining_working_days(obj: Case, context: dict[str, Any]) -> int | None:
        left = _remaining(obj, context)
        return left.working_days if left else None

    @staticmethod
    def resolve_warning(obj: Case, context: dict[str, Any]) -> str | None:
        left = _remaining(obj, context)
        return left.level if left else None


def _remaining(case: Case, context: dict[str, Any] | None) -> Remaining | None:
    """One working-day counter per request, shared by every case in a page."""
    if case.due_on is None:
        return None
    today = timezone.localdate()
    request = (context or {}).get("request")
    if request is None:
        return case_remaining(case, today)
    counter = getattr(request, "_yiwang_workdays", None)
    if counter is None:
        counter = list_counter(today)
        request._yiwang_workdays = counter
    return case_remaining(case, today, counter)


class CaseMaterialOut(Schema):
    requirement_id: int
    name: str = Field(..., alias="requirement.name")
    state: str
    file_name: str
    size: int
    digest: str
    note: str


class CaseEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: datetime
    opinion: str


class CaseDetail(CaseSummary):
    applicant_id_number: str
    statutory_due_on: date | None
    paused_days: int
    extension_days: int
    decision: str
    visits: int
    form_data: dict[str, Any]
    materials: list[CaseMaterialOut]
    events: list[CaseEventOut]

    @staticmethod
    def resolve_applicant_id_number(obj: Case) -> str:
        return mask_id_number(obj.applicant_id_number)  # personal data masked by default

    @staticmethod
    def resolve_materials(obj: Case) -> list[Any]:
        return (
            list(obj.materials.all())
            if _prefetched(obj, "materials")
            else list(obj.materials.select_related("requirement"))
        )

    @staticmethod
    def resolve_events(obj: Case) -> list[Any]:
        return list(obj.events.all())


def _prefetched(case: Case, relation: str) -> bool:
    """Whether ``selectors.case_detail_loaded`` loaded ``relation`` already (every handler here does)."""
    return relation in getattr(case, "_prefetched_objects_cache", {})


class SubmitIn(Schema):
    implementation: str = Field(..., max_length=40, description="实施编码 of a published implementation")
    applicant_kind: Literal["natural_person", "legal_person"] | None = Field(
        None, description="at a window: required; online: taken from the account"
    )
    applicant_name: str = Field(
        "", max_length=200, description="at a window: as on the document; online: the account's, or leave empty"
    )
    applicant_id_type: Literal["resident_id", "credit_code", "passport", "other"] | None = Field(
        None, description="at a window: required; online: taken from the account"
    )
    applicant_id_number: str = Field(
        "",
        max_length=40,
        description="at a window: as on the document; online: empty for yourself, or the document number of the "
        "person or company that authorised you as its agent for this item",
    )
    applicant_phone: str = Field("", max_length=20)
    agent_name: str = Field("", max_length=100, description="at a window only; online the agent is the account")
    form_data: str = Field("{}", max_length=20_000, description="the item's form fields as a JSON object")


class CaseFilter(Schema):
    state: Literal["open", "done"] | None = Field(
        None, description="open: the clock is running (most urgent first); done: the rest; absent: all, newest first"
    )
    status: CaseStatus | None = None
    department: int | None = Field(None, ge=1, le=2**62)
    implementation: str = Field("", max_length=40)
    submitted_from: Day | None = None
    submitted_to: Day | None = None
    overdue: bool | None = None
    queue: Literal["inbox", "extensions", "hand_out"] | None = Field(
        None,
        description="a work queue instead: my departments' review steps, extensions to approve, results to hand out",
    )


# One body per step of a case (POST /cases/{number}/actions/<step>): the fields each step reads, under the
# names and limits the single catch-all body had, so that clients send what they always sent.


class CaseOpinionIn(Schema):
    """pre_review, accept, task_complete."""

    opinion: str = Field("", max_length=2000)


class CaseReasonIn(Schema):
    """terminate, withdraw."""

    reason: str = Field("", max_length=2000)


class CaseCloseIn(Schema):
    """Closing (archiving) needs nothing but the case (an empty object)."""


class CaseOnTheSpotIn(Schema):
    decision: str = Field("", description="approve (the default) or reject")
    opinion: str = Field("", max_length=2000)
    result_number: str = Field("", max_length=100)


class CaseRefuseIn(Schema):
    reason: str = Field("", max_length=2000)
    basis: str = Field("", max_length=2000)
    competent_authority: str = Field("", max_length=200)


class CaseCorrectionIn(Schema):
    items: list[dict[str, Any]] = Field(default_factory=list, description="requirement_id, problem, defective")


class CaseAcceptPendingIn(Schema):
    requirement_ids: list[int] = Field(default_factory=list, description="the promised materials")
    until: Day | None = None
    opinion: str = Field("", max_length=2000)


class CaseSuspendIn(Schema):
    procedure: str = ""
    reason: str = Field("", max_length=2000)
    expected_days: int = Field(0, ge=0, le=365)


class CaseResumeIn(Schema):
    result: str = Field("", max_length=2000)


class CaseExtendIn(Schema):
    days: int = Field(0, ge=0, le=60)
    reason: str = Field("", max_length=2000)


class CaseExtensionDecideIn(Schema):
    approve: bool | None = Field(None, description="the head's answer")
    opinion: str = Field("", max_length=2000)


class CaseDecideIn(Schema):
    decision: str = ""
    opinion: str = Field("", max_length=2000)
    basis: str = Field("", max_length=2000)


class CaseConcludeIn(Schema):
    result_number: str = Field("", max_length=100)


class CaseHandOutIn(Schema):
    method: str = ""
    recipient: str = Field("", max_length=100)
    address: str = Field("", max_length=300)
    carrier: str = Field("", max_length=50)
    waybill: str = Field("", max_length=50)


def _uploads(request: HttpRequest) -> dict[int, UploadedFile[bytes]]:
    return material_uploads(request.FILES)


@router.post("", response={201: CaseDetail, 200: CaseDetail, **ERRORS}, summary="Submit a case (multipart)")
def case_create(request: HttpRequest, data: Form[SubmitIn]) -> Status[Case]:
    actor = acting_user(request)
    version = version_published_for_submission(code=data.implementation)
    if version is None:
        raise NotFound(_("This item is not in the published catalogue."), code="not_found")
    form_data = json_object(data.form_data or "{}")
    if form_data is None:
        raise_problems([("form_data", _("form_data must be a JSON object."))])
    staff = user_has_role(user=actor, roles={Role.CLERK})
    case, created = services.case_submit_keyed(
        actor=actor,
        version=version,
        channel=CaseChannel.WINDOW if staff else CaseChannel.ONLINE,
        applicant=services.Applicant(
            kind=data.applicant_kind or "",
            name=data.applicant_name,
            id_type=data.applicant_id_type or "",
            id_number=data.applicant_id_number,
            phone=data.applicant_phone,
            agent_name=data.agent_name if staff else "",
        ),
        form_data=form_data or {},
        uploads=_uploads(request),
        idempotency_key=idempotency_key_of(request),
    )
    return Status(201 if created else 200, selectors.case_detail_loaded(case))


@router.get("/{number}", response={200: CaseDetail, **ERRORS}, summary="One case")
def case_detail(request: HttpRequest, number: str) -> Case:
    return selectors.case_detail_loaded(selectors.case_for(acting_user(request), number))


@router.get("", response={200: list[CaseSummary], **ERRORS}, summary="Cases I may see, most urgent first")
@paginate(Pagination)
def case_index(request: HttpRequest, filters: Query[CaseFilter]) -> object:
    if filters.queue:
        return selectors.case_queue(acting_user(request), filters.queue)
    return selectors.case_list(
        acting_user(request),
        state=filters.state or "",
        status=filters.status or "",
        department=filters.department,
        implementation=filters.implementation,
        submitted_from=filters.submitted_from,
        submitted_to=filters.submitted_to,
        overdue=filters.overdue,
    )


@router.get(
    "/{number}/notices/{kind}",
    response={200: None, **ERRORS},
    summary="A written notice of the case as PDF (acceptance, refusal, correction, pending, decision)",
)
def case_notice(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    case = selectors.case_for(acting_user(request), number)
    response = HttpResponse(notice_pdf(case, kind[:20]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-{kind[:20]}.pdf"'
    return response


@router.get(
    "/{number}/materials/{requirement_id}/file",
    response={200: None, **ERRORS},
    summary="A submitted file: only for those who may see the case; every download audited",
)
def case_material_file(request: HttpRequest, number: str, requirement_id: int) -> FileResponse:
    actor = acting_user(request)
    case = selectors.case_for(actor, number)
    material = case.materials.filter(requirement_id=requirement_id).select_related("requirement").first()
    if material is None or not material.file:
        raise NotFound(code="not_found")
    audit_record(
        actor=actor,
        action="cases.material_download",
        target=case,
        changes={"material": [None, material.requirement.name], "digest": [None, material.digest]},
    )
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.file_name or "material")


Action = Literal[
    "pre_review",
    "on_the_spot",
    "terminate",
    "close",
    "accept",
    "refuse",
    "request_correction",
    "accept_pending",
    "task_complete",
    "suspend",
    "resume",
    "extend",
    "extension_decide",
    "decide",
    "conclude",
    "hand_out",
    "withdraw",
]


@router.post(
    "/{number}/materials",
    response={200: CaseDetail, **ERRORS},
    summary="Bring materials: the correction asked for (resubmit) or the promised 容缺 ones (supply); multipart",
)
def case_materials(request: HttpRequest, number: str) -> Case:
    actor = acting_user(request)
    case = selectors.case_for(actor, number)
    if case.status == CaseStatus.ACCEPTED_PENDING:
        services.case_supply(actor=actor, case=case, uploads=_uploads(request))
    else:
        services.case_resubmit(actor=actor, case=case, uploads=_uploads(request))
    case.refresh_from_db()
    return selectors.case_detail_loaded(case)


TCallable = TypeVar("TCallable", bound=Callable[..., Any])


def _step(action: str, summary: str) -> Callable[[TCallable], TCallable]:
    return router.post(f"/{{number}}/actions/{action}", response={200: CaseDetail, **ERRORS}, summary=summary)


# Steps whose service reads and locks the case, then authorises, before anything else (services/_common._locked).
LOCK_FIRST = frozenset({"accept", "refuse", "request_correction", "accept_pending", "task_complete"})


def _take(request: HttpRequest, number: str, action: str, data: Schema) -> Case:
    """The step through ``cases.actions`` (the mapping the pages use too), then the case as it is now."""
    actor = acting_user(request)
    if action in LOCK_FIRST:
        try:
            result = case_action_run(
                actor=actor, case=selectors.case_reference(number), action=action, data=data.dict()
            )
        except (PermissionDenied, NotFound):
            selectors.case_for(actor, number)  # a case the actor may not see is not found, as for every read
            raise
        assert isinstance(result, Case)
        return selectors.case_detail_loaded(result)
    case = selectors.case_for(actor, number)
    result = case_action_run(actor=actor, case=case, action=action, data=data.dict())
    if isinstance(result, Case) and result.pk == case.pk:
        case = result  # the service's own locked read, as it left it (item, implementation, department loaded)
    else:
        case.refresh_from_db()
    return selectors.case_detail_loaded(case)


@_step("pre_review", "预审 of an online application")
def case_pre_review(request: HttpRequest, number: str, data: CaseOpinionIn) -> Case:
    return _take(request, number, "pre_review", data)


@_step("on_the_spot", "即办件: accepted, decided and concluded at the window")
def case_on_the_spot(request: HttpRequest, number: str, data: CaseOnTheSpotIn) -> Case:
    return _take(request, number, "on_the_spot", data)


@_step("terminate", "终止 by the department head")
def case_terminate(request: HttpRequest, number: str, data: CaseReasonIn) -> Case:
    return _take(request, number, "terminate", data)


@_step("close", "Close (archive) a handed-out case")
def case_close(request: HttpRequest, number: str, data: CaseCloseIn) -> Case:
    return _take(request, number, "close", data)


@_step("accept", "受理")
def case_accept(request: HttpRequest, number: str, data: CaseOpinionIn) -> Case:
    return _take(request, number, "accept", data)


@_step("refuse", "不予受理, with the reason and its legal basis")
def case_refuse(request: HttpRequest, number: str, data: CaseRefuseIn) -> Case:
    return _take(request, number, "refuse", data)


@_step("request_correction", "补正: one notice listing every material to correct")
def case_request_correction(request: HttpRequest, number: str, data: CaseCorrectionIn) -> Case:
    return _take(request, number, "request_correction", data)


@_step("accept_pending", "容缺受理 on the promise to supply minor materials")
def case_accept_pending(request: HttpRequest, number: str, data: CaseAcceptPendingIn) -> Case:
    return _take(request, number, "accept_pending", data)


@_step("task_complete", "Finish my department's review step with an opinion")
def case_task_complete(request: HttpRequest, number: str, data: CaseOpinionIn) -> Case:
    return _take(request, number, "task_complete", data)


@_step("suspend", "特别程序: the clock stops")
def case_suspend(request: HttpRequest, number: str, data: CaseSuspendIn) -> Case:
    return _take(request, number, "suspend", data)


@_step("resume", "The special procedure ends")
def case_resume(request: HttpRequest, number: str, data: CaseResumeIn) -> Case:
    return _take(request, number, "resume", data)


@_step("extend", "Ask the department head for more working days")
def case_extend(request: HttpRequest, number: str, data: CaseExtendIn) -> Case:
    return _take(request, number, "extend", data)


@_step("extension_decide", "The department head decides the waiting extension request")
def case_extension_decide(request: HttpRequest, number: str, data: CaseExtensionDecideIn) -> Case:
    return _take(request, number, "extension_decide", data)


@_step("decide", "准予 / 不予")
def case_decide(request: HttpRequest, number: str, data: CaseDecideIn) -> Case:
    return _take(request, number, "decide", data)


@_step("conclude", "办结: the result is ready")
def case_conclude(request: HttpRequest, number: str, data: CaseConcludeIn) -> Case:
    return _take(request, number, "conclude", data)


@_step("hand_out", "出件: pickup, express delivery or electronic")
def case_hand_out(request: HttpRequest, number: str, data: CaseHandOutIn) -> Case:
    return _take(request, number, "hand_out", data)


@_step("withdraw", "撤回 for the applicant")
def case_withdraw(request: HttpRequest, number: str, data: CaseReasonIn) -> Case:
    return _take(request, number, "withdraw", data)


@router.post("/{number}/actions/{action}", response={200: CaseDetail, **ERRORS}, include_in_schema=False)
def case_action_unknown(request: HttpRequest, number: str, action: Action) -> Case:
    """Registered after the steps above, so it answers only names that are none of them: refused as an
    invalid ``action`` (422), as when one route took every step."""
    raise NotFound(code="unknown_action")
