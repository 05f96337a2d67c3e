"""The life of a proactive item and of a request, each as one table (core.workflow; docs/disclosure.md
§1). The services ask them before every change and refuse anything else with 409 ``item_status`` /
``request_status``; a test walks every row."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.core.errors import Conflict
from yiwang.core.workflow import SAME, Transition, Workflow
from yiwang.disclosure.choices import ItemStatus as I
from yiwang.disclosure.choices import RequestStatus as R


def _item_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("An item that is %(status)s cannot take this step.") % {"status": I(status).label}, code="item_status"
    )


def _request_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("A request that is %(status)s cannot take this step.") % {"status": R(status).label},
        code="request_status",
    )


ITEM: Workflow[str] = Workflow(
    I.values,
    [
        Transition("edit", {I.DRAFT}, SAME),
        # 保密审查 (§17): submitted, then passed or returned by someone who did not draft it.
        Transition("review_submit", {I.DRAFT}, I.IN_REVIEW),
        Transition("review", {I.IN_REVIEW}, (I.APPROVED, I.DRAFT)),
        # An item another context made was reviewed there: it is published as it arrives.
        Transition("publish", {I.APPROVED}, I.PUBLISHED),
        Transition("repeal", {I.PUBLISHED}, SAME),  # a 规范性文件 ceases to be in force; it stays public
        Transition("withdraw", {I.PUBLISHED}, I.WITHDRAWN),
    ],
    refusal=_item_refusal,
)

REQUEST: Workflow[str] = Workflow(
    R.values,
    [
        # §30: one correction request within 7 working days; the clock restarts when it is corrected.
        Transition("correction_request", {R.RECEIVED}, R.CORRECTION),
        Transition("correction_receive", {R.CORRECTION}, R.RECEIVED),
        # §32, §34: the consultation's days are not counted.
        Transition("consultation_start", {R.RECEIVED}, R.CONSULTING),
        Transition("consultation_end", {R.CONSULTING}, R.RECEIVED),
        # 国办函〔2020〕109号: the days from the fee notice to payment are not counted.
        Transition("fee_notify", {R.RECEIVED}, R.FEE_NOTICE),
        Transition("fee_pay", {R.FEE_NOTICE}, R.RECEIVED),
        # §33: one extension, approved by the head of the disclosure office.
        Transition("extend", {R.RECEIVED, R.CONSULTING}, SAME),
        Transition("reply", {R.RECEIVED}, R.REPLIED),
        # Not corrected, or the fee not paid, in time: closed with the outcome "other".
        Transition("lapse", {R.CORRECTION, R.FEE_NOTICE}, R.REPLIED),
        Transition("appeal", {R.REPLIED}, SAME),
    ],
    refusal=_request_refusal,
)
