"""The life of a case as one table a reviewer can read (docs/cases.md, 行政许可法 §32–45)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from yiwang.accounts.roles import Role
from yiwang.cases.models import OPEN_STATUSES
from yiwang.cases.models import CaseStatus as S
from yiwang.core.errors import Conflict

OPEN = OPEN_STATUSES

# (status, action) -> new status. Anything not listed is refused with 409 transition_not_allowed.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, "pre_review"): S.PRE_REVIEWED,
    **{(s, "accept"): S.IN_REVIEW for s in (S.SUBMITTED, S.PRE_REVIEWED)},
    **{(s, "refuse"): S.REFUSED for s in (S.SUBMITTED, S.PRE_REVIEWED)},
    **{(s, "request_correction"): S.CORRECTION_REQUESTED for s in (S.SUBMITTED, S.PRE_REVIEWED)},
    (S.CORRECTION_REQUESTED, "resubmit"): S.SUBMITTED,
    **{(s, "accept_pending"): S.ACCEPTED_PENDING for s in (S.SUBMITTED, S.PRE_REVIEWED)},
    (S.ACCEPTED_PENDING, "supply"): S.IN_REVIEW,
    (S.ACCEPTED_PENDING, "lapse"): S.WITHDRAWN,
    (S.IN_REVIEW, "suspend"): S.SUSPENDED,
    (S.SUSPENDED, "resume"): S.IN_REVIEW,
    (S.IN_REVIEW, "extend"): S.IN_REVIEW,
    (S.IN_REVIEW, "decide"): S.DECIDED,
    (S.DECIDED, "conclude"): S.CONCLUDED,
    (S.CONCLUDED, "hand_out"): S.DELIVERED,
    (S.DELIVERED, "close"): S.CLOSED,
    **{(s, "withdraw"): S.WITHDRAWN for s in OPEN},
    **{(s, "terminate"): S.TERMINATED for s in (*OPEN, S.DECIDED)},
}

# Who may take each action (scoped by accounts.authz: clerks by region, approvers by department).
ACTION_ROLES: dict[str, frozenset[Role]] = {
    "pre_review": frozenset({Role.APPROVER}),
    "accept": frozenset({Role.CLERK, Role.APPROVER}),
    "refuse": frozenset({Role.CLERK, Role.APPROVER}),
    "request_correction": frozenset({Role.CLERK, Role.APPROVER}),
    "resubmit": frozenset({Role.CLERK}),
    "accept_pending": frozenset({Role.CLERK}),
    "supply": frozenset({Role.CLERK}),
    "suspend": frozenset({Role.APPROVER}),
    "resume": frozenset({Role.APPROVER}),
    "extend": frozenset({Role.APPROVER}),  # the request; the department head approves it
    "decide": frozenset({Role.APPROVER}),
    "conclude": frozenset({Role.APPROVER}),
    "hand_out": frozenset({Role.CLERK}),
    "close": frozenset({Role.CLERK, Role.APPROVER, Role.CENTRE_ADMIN}),  # archiving, also from the admin
    "withdraw": frozenset({Role.CLERK}),
    "terminate": frozenset({Role.DEPT_HEAD}),
}


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


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise Conflict(
            _("This step is not possible for a case that is %(status)s.") % {"status": S(status).label},
            code="transition_not_allowed",
        ) from None
