"""The life of a 12345 ticket as one table (core.workflow; docs/hotline.md): which step may be taken from
which status and where it leads. ``hotline.services`` and ``hotline.supervision`` ask it before every
step and refuse anything else with 409 ``transition_not_allowed``; a test walks every row.

Who may take a step stays with the services: it depends on the ticket's area (agents, dispatchers,
supervisors) or its handling unit (the unit's officers), not on the status."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.core.errors import Conflict
from yiwang.core.workflow import SAME, Transition, Workflow
from yiwang.hotline.models import ReplyStatus as P
from yiwang.hotline.models import TicketStatus as S

# With the handling unit, its reply clock running: what reminders, cards, extensions and returns are for.
OPEN = (S.DISPATCHED, S.SIGNED)


def _refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("A ticket that is “%(status)s” cannot take this step.") % {"status": S(status).label},
        code="transition_not_allowed",
    )


WORKFLOW: Workflow[str] = Workflow(
    S.values,
    [
        # At intake: answered at first contact (直接办结), dispatched, or merged into the ticket it repeats.
        Transition("resolve", {S.NEW}, S.RESOLVED),
        Transition("dispatch", {S.NEW}, S.DISPATCHED),
        Transition("merge", {S.NEW}, S.MERGED),
        # The unit signs for it, or asks to return it within the window after dispatch.
        Transition("sign", {S.DISPATCHED}, S.SIGNED),
        Transition("return_request", OPEN, S.RETURN_REQUESTED),
        # The dispatcher's review: approved, to another unit or back to dispatch; refused, to the unit
        # again — signed for still, if it had signed.
        Transition("return_review", {S.RETURN_REQUESTED}, (S.DISPATCHED, S.SIGNED, S.NEW)),
        Transition("reply", {S.SIGNED}, S.REPLIED),
        # More working days to reply: asked by the unit, decided by the supervisor.
        Transition("extension_request", OPEN, SAME),
        Transition("extension_decide", OPEN, SAME),
        # 督办 by the supervisor, also while a return is being reviewed.
        Transition("supervise", {*OPEN, S.RETURN_REQUESTED}, SAME),
        # 回访: the caller satisfied (or not reached) closes it; dissatisfied sends it back to be redone.
        Transition("follow_up", {S.REPLIED}, S.CLOSED),
        Transition("redo", {S.REPLIED}, S.SIGNED),
    ],
    refusal=_refusal,
)


def _publishing_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("A published reply that is “%(status)s” cannot take this step.") % {"status": P(status).label},
        code="transition_not_allowed",
    )


# 回复公开: a finished ticket's reply waits for review; published or not; a published one may be withdrawn.
PUBLISHING: Workflow[str] = Workflow(
    P.values,
    [
        Transition("review", {P.PENDING}, (P.PUBLISHED, P.REJECTED)),
        Transition("withdraw", {P.PUBLISHED}, P.WITHDRAWN),
    ],
    refusal=_publishing_refusal,
)
