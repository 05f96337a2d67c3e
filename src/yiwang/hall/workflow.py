"""The states of a queue ticket and of an appointment, as tables (core.workflow): which step may start
from which status, and where it leads. ``hall.services`` and ``hall.appointments`` refuse anything not
in them; a test walks every row."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.core.errors import Conflict
from yiwang.core.workflow import Transition, Workflow
from yiwang.hall.models import AppointmentStatus as A
from yiwang.hall.models import QueueStatus as S


def _queue_refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("Number %(number)s is %(status)s: this step is not possible now.")
        % {"number": context.get("number", ""), "status": S(status).label},
        code="wrong_status",
    )


WORKFLOW: Workflow[str] = Workflow(
    S.values,
    [
        Transition("call", {S.WAITING}, S.CALLED),
        Transition("recall", {S.CALLED}, S.CALLED),
        Transition("start", {S.CALLED}, S.SERVING),
        Transition("finish", {S.CALLED, S.SERVING}, S.DONE),
        Transition("no_show", {S.CALLED}, S.NO_SHOW),
        # The person keeps the slip and waits in the other category's queue, ahead of new arrivals.
        Transition("transfer", {S.WAITING, S.CALLED, S.SERVING}, S.WAITING),
        Transition("cancel", {S.WAITING}, S.CANCELLED),
    ],
    refusal=_queue_refusal,
)


def _appointment_refusal(status: str, action: str, /, **context: object) -> Conflict:
    label = A(status).label
    if action == "cancel":
        message = _("This appointment is %(status)s and cannot be cancelled.") % {"status": label}
    else:
        message = _("This appointment is %(status)s; it cannot be checked in.") % {"status": label}
    return Conflict(message, code="wrong_status")


# An appointment: cancelled by the person, checked in at the hall, or missed once check-in has closed
# (the periodic task, which skips what the table does not allow).
APPOINTMENT_WORKFLOW: Workflow[str] = Workflow(
    A.values,
    [
        Transition("cancel", {A.BOOKED}, A.CANCELLED),
        Transition("check_in", {A.BOOKED}, A.CHECKED_IN),
        Transition("miss", {A.BOOKED}, A.MISSED),
    ],
    refusal=_appointment_refusal,
)
