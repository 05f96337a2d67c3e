"""The life of a case as one table a reviewer can read (docs/cases.md, 行政许可法 §32–45)."""

from __future__ import annotations

from django.utils.translation import gettext as _

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
    "close": frozenset({Role.CLERK, Role.APPROVER}),
    "withdraw": frozenset({Role.CLERK}),
    "terminate": frozenset({Role.DEPT_HEAD}),
}


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise Conflict(
            _("This step is not possible for a case that is %(status)s.") % {"status": S(status).label},
            code="transition_not_allowed",
        ) from None
