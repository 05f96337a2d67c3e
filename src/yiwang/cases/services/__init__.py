"""Writes of cases: intake at the window or online, acceptance, refusal and correction (docs/cases.md).

Every transition: the state table decides whether it is possible, accounts.authz whether the actor
may take it, and it leaves a history entry, an audit record and a message to the applicant.

By capability: ``intake`` (the check before submitting, submission, 预审), ``acceptance`` (受理,
不予受理, 补正 and resubmission, 容缺 with its lapse), ``review`` (review tasks, the decision,
concluding, 即办件 and 秒批), ``extensions`` (特别程序 §45 and extensions §42) and ``handout``
(delivery choice, 出件, withdrawal, termination, archiving); ``_common`` holds the shared private
helpers. Callers import from here: ``from yiwang.cases import services`` or
``from yiwang.cases.services import case_submit``.
"""

from yiwang.cases.applicants import Applicant
from yiwang.cases.services._common import APPLICANT_CASE_PATH
from yiwang.cases.services.acceptance import (
    PENDING_PROMISE_LONGEST,
    CorrectionItem,
    case_accept,
    case_accept_pending,
    case_refuse,
    case_request_correction,
    case_resubmit,
    case_supply,
    cases_lapse_pending,
)
from yiwang.cases.services.extensions import (
    EXTENSION_LIMIT,
    JOINT_EXTENSION_LIMIT,
    case_extension_decide,
    case_extension_request,
    case_resume,
    case_suspend,
)
from yiwang.cases.services.handout import (
    case_close,
    case_delivery_choose,
    case_hand_out,
    case_terminate,
    case_withdraw,
)
from yiwang.cases.services.intake import (
    STAFF_CHANNELS,
    application_problems,
    case_pre_review,
    case_submit,
    case_submit_keyed,
)
from yiwang.cases.services.review import (
    case_approve_automatically,
    case_conclude,
    case_decide,
    case_handle_on_the_spot,
    case_remark,
    case_task_complete,
)

__all__ = [
    "APPLICANT_CASE_PATH", "EXTENSION_LIMIT", "JOINT_EXTENSION_LIMIT", "PENDING_PROMISE_LONGEST",
    "STAFF_CHANNELS", "Applicant", "CorrectionItem", "application_problems", "case_accept", "case_accept_pending",
    "case_approve_automatically", "case_close", "case_conclude", "case_decide", "case_delivery_choose",
    "case_extension_decide", "case_extension_request", "case_hand_out", "case_handle_on_the_spot",
    "case_pre_review", "case_refuse", "case_remark", "case_request_correction", "case_resubmit", "case_resume",
    "case_submit", "case_submit_keyed", "case_supply", "case_suspend", "case_task_complete", "case_terminate",
    "case_withdraw", "cases_lapse_pending",
]  # fmt: skip
