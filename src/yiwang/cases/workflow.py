"""The life of a case as one table a reviewer can read (docs/cases.md, 行政许可法 §32–45)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from yiwang.accounts.roles import Role
from yiwang.cases.models import OPEN_STATUSES
from yiwang.cases.models import CaseStatus as S
from yiwang.core.errors import Conflict
from yiwang.core.workflow import SAME, Transition, Workflow

OPEN = OPEN_STATUSES


def _refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("This step is not possible for a case that is %(status)s.") % {"status": S(status).label},
        code="transition_not_allowed",
    )


# Every step of a case: from which statuses, to which status, by whom (scoped by accounts.authz: clerks
# by region, approvers by department). Anything not listed is refused with 409 transition_not_allowed.
# ``lapse`` has no roles: the nightly task takes it, never a person.
WORKFLOW = Workflow(
    S.values,
    [
        Transition("pre_review", {S.SUBMITTED}, S.PRE_REVIEWED, roles={Role.APPROVER}),
        Transition("accept", {S.SUBMITTED, S.PRE_REVIEWED}, S.IN_REVIEW, roles={Role.CLERK, Role.APPROVER}),
        Transition("refuse", {S.SUBMITTED, S.PRE_REVIEWED}, S.REFUSED, roles={Role.CLERK, Role.APPROVER}),
        Transition(
            "request_correction",
            {S.SUBMITTED, S.PRE_REVIEWED},
            S.CORRECTION_REQUESTED,
            roles={Role.CLERK, Role.APPROVER},
        ),
        Transition("resubmit", {S.CORRECTION_REQUESTED}, S.SUBMITTED, roles={Role.CLERK}),
        Transition("accept_pending", {S.SUBMITTED, S.PRE_REVIEWED}, S.ACCEPTED_PENDING, roles={Role.CLERK}),
        Transition("supply", {S.ACCEPTED_PENDING}, S.IN_REVIEW, roles={Role.CLERK}),
        Transition("lapse", {S.ACCEPTED_PENDING}, S.WITHDRAWN),
        # An approver finishes their department's review step; the case stays in review.
        Transition("task_complete", {S.IN_REVIEW}, SAME, roles={Role.APPROVER}),
        Transition("suspend", {S.IN_REVIEW}, S.SUSPENDED, roles={Role.APPROVER}),
        Transition("resume", {S.SUSPENDED}, S.IN_REVIEW, roles={Role.APPROVER}),
        # The request; the department head approves it.
        Transition("extend", {S.IN_REVIEW}, S.IN_REVIEW, roles={Role.APPROVER}),
        Transition("decide", {S.IN_REVIEW}, S.DECIDED, roles={Role.APPROVER}),
        Transition("conclude", {S.DECIDED}, S.CONCLUDED, roles={Role.APPROVER}),
        Transition("hand_out", {S.CONCLUDED}, S.DELIVERED, roles={Role.CLERK}),
        # Archiving, also from the admin.
        Transition("close", {S.DELIVERED}, S.CLOSED, roles={Role.CLERK, Role.APPROVER, Role.CENTRE_ADMIN}),
        Transition("withdraw", OPEN, S.WITHDRAWN, roles={Role.CLERK}),
        Transition("terminate", {*OPEN, S.DECIDED}, S.TERMINATED, roles={Role.DEPT_HEAD}),
    ],
    refusal=_refusal,
)


# What each step is called in a case's history (CaseEvent.action).
ACTION_LABELS: dict[str, StrOrPromise] = {
    "submit": gettext_lazy("Application received"),
    "pre_review": gettext_lazy("Pre-reviewed"),
    "accept": gettext_lazy("Accepted"),
    "refuse": gettext_lazy("Refused to accept"),
    "request_correction": gettext_lazy("Correction notice issued"),
    "resubmit": gettext_lazy("Corrected materials received"),
    "accept_pending": gettext_lazy("Accepted with pending materials"),
    "supply": gettext_lazy("Pending materials supplied"),
    "lapse": gettext_lazy("Pending materials not supplied in time: treated as withdrawn"),
    "task_complete": gettext_lazy("Review step finished"),
    "suspend": gettext_lazy("Special procedure started"),
    "resume": gettext_lazy("Special procedure finished"),
    "extension_request": gettext_lazy("Extension requested"),
    "extend": gettext_lazy("Extension decided"),
    "decide": gettext_lazy("Decided"),
    "conclude": gettext_lazy("Concluded"),
    "hand_out": gettext_lazy("Result handed out"),
    "close": gettext_lazy("Closed"),
    "withdraw": gettext_lazy("Withdrawn"),
    "terminate": gettext_lazy("Terminated"),
    "on_the_spot": gettext_lazy("Handled on the spot"),
    "instant": gettext_lazy("Approved instantly by rules (秒批)"),
    "instant_declined": gettext_lazy("Instant approval not possible: left to the department"),
    "delivery_choose": gettext_lazy("Way of receiving the result chosen"),
}
