"""Writes of the queue (排队叫号): taking a number, the window duty, and every step at the window —
call next, recall, start, finish, no-show, transfer, link to a case. Each is one transaction with
its permission check, event and audit record (docs/hall.md §1).

By capability: ``taking`` (取号 at the kiosk or by phone, the holder's page, cancelling), ``duty`` (a
clerk signing on and off at a window), ``window`` (叫号, recall, start, finish, 过号, transfer, linking a
case) and ``configuration`` (queue categories and the hall's policy); ``_common`` holds the shared
private helpers. Callers import from here: ``from yiwang.hall import services`` or
``from yiwang.hall.services import queue_take``.
"""

from yiwang.hall.services._common import CLERK_ROLES, KIOSK_ROLES
from yiwang.hall.services.configuration import (
    CATEGORY_FIELDS,
    POLICY_FIELDS,
    hall_policy_save,
    queue_category_save,
)
from yiwang.hall.services.duty import duty_end, duty_start
from yiwang.hall.services.taking import (
    Taken,
    holder_ticket,
    queue_cancel,
    queue_serial_next,
    queue_take,
    queue_take_within,
    queue_ticket_number,
)
from yiwang.hall.services.window import (
    queue_call_next,
    queue_finish,
    queue_link_case,
    queue_no_show,
    queue_recall,
    queue_start,
    queue_transfer,
)

__all__ = [
    "CATEGORY_FIELDS", "CLERK_ROLES", "KIOSK_ROLES", "POLICY_FIELDS", "Taken", "duty_end", "duty_start",
    "hall_policy_save", "holder_ticket", "queue_call_next", "queue_cancel", "queue_category_save", "queue_finish",
    "queue_link_case", "queue_no_show", "queue_recall", "queue_serial_next", "queue_start", "queue_take",
    "queue_take_within", "queue_ticket_number", "queue_transfer",
]  # fmt: skip
