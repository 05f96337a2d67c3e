"""The states of a queue ticket, as a table: which step may start from which status, and where it
leads. ``hall.services`` refuses anything not in it; a test walks every row."""

from __future__ import annotations

from yiwang.hall.models import QueueStatus as S

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "call": (frozenset({S.WAITING}), S.CALLED),
    "recall": (frozenset({S.CALLED}), S.CALLED),
    "start": (frozenset({S.CALLED}), S.SERVING),
    "finish": (frozenset({S.CALLED, S.SERVING}), S.DONE),
    "no_show": (frozenset({S.CALLED}), S.NO_SHOW),
    # The person keeps the slip and waits in the other category's queue, ahead of new arrivals.
    "transfer": (frozenset({S.WAITING, S.CALLED, S.SERVING}), S.WAITING),
    "cancel": (frozenset({S.WAITING}), S.CANCELLED),
}


def allowed(action: str, status: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return status in sources


def target(action: str) -> str:
    return TRANSITIONS[action][1]
