"""The statuses of 好差评 as tables (core.workflow; docs/hall.md §3): a 差评's remediation with its
appeal, the appeal itself, and the rating an upheld appeal removes. ``evaluation.remediation`` and
``evaluation.services`` ask them before every step; the item's page offers exactly the remediation's
steps its viewer may take; a test walks every row."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.accounts.roles import Role
from yiwang.core.errors import Conflict
from yiwang.core.workflow import SAME, Transition, Workflow
from yiwang.evaluation.models import AppealStatus as A
from yiwang.evaluation.models import RatingStatus as R
from yiwang.evaluation.models import RemediationStatus as S

# 谁办理谁负责: the department that handled the service remedies; the centre visits the rater again and
# reviews appeals.
DEPARTMENT_ROLES = {Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.HANDLER}
CENTRE_ROLES = {Role.CENTRE_ADMIN, Role.SUPERVISOR}

# Not yet closed, not under appeal: what the department may still work on, appeal, or the rater withdraw.
IN_HAND = (S.PENDING, S.CONTACTED, S.RECTIFYING, S.RESOLVED)


def _remediation_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("This remediation is %(status)s: this step is not possible now.") % {"status": S(status).label},
        code="wrong_status",
    )


WORKFLOW = Workflow(
    S.values,
    [
        # 联系核实, choosing 立行立改, 限期整改 or 解释说明.
        Transition("contact", {S.PENDING}, S.CONTACTED, roles=DEPARTMENT_ROLES),
        # 反馈: 限期整改 goes on to its remedy; 立行立改 and 解释说明 are done.
        Transition("feedback", {S.CONTACTED}, (S.RESOLVED, S.RECTIFYING), roles=DEPARTMENT_ROLES),
        Transition("fix", {S.RECTIFYING}, S.RESOLVED, roles=DEPARTMENT_ROLES),
        # 回访: satisfied closes it; not satisfied sends it back to be remedied by a deadline.
        Transition("return_visit", {S.RESOLVED}, (S.CLOSED, S.RECTIFYING), roles=CENTRE_ROLES),
        Transition("appeal", IN_HAND, S.APPEALED, roles=DEPARTMENT_ROLES),
        # 复核: upheld removes the rating; rejected returns the item to where it was.
        Transition("review", {S.APPEALED}, (S.REMOVED, *IN_HAND), roles=CENTRE_ROLES),
        # The rater amended the 差评 into a good rating (no one's step; it passes over anything else).
        Transition("withdrawn", IN_HAND, S.CLOSED),
    ],
    refusal=_remediation_refusal,
)


def _appeal_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(_("This appeal has already been reviewed."), code="wrong_status")


def _rating_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(_("This rating was removed after an appeal."), code="rating_removed")


APPEAL_WORKFLOW = Workflow(
    A.values,
    [Transition("review", {A.PENDING}, (A.UPHELD, A.REJECTED), roles=CENTRE_ROLES)],
    refusal=_appeal_refusal,
)

RATING_WORKFLOW: Workflow[str] = Workflow(
    R.values,
    [
        # 追评 / 改评 by the rater, within the days allowed.
        Transition("amend", {R.VALID}, SAME),
        # An appeal upheld: out of every statistic, the reason kept.
        Transition("remove", {R.VALID}, R.REMOVED, roles=CENTRE_ROLES),
    ],
    refusal=_rating_refusal,
)
