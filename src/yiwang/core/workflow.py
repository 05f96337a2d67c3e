"""One shape for every status in the platform: a table of transitions that the services enforce, the
pages read and a test walks (docs/architecture.md, "Workflows").

A context writes its table once, in its own ``workflow.py``::

    WORKFLOW = Workflow(
        TicketStatus.values,
        [
            Transition("dispatch", {S.NEW}, S.DISPATCHED),
            Transition("return_review", {S.RETURN_REQUESTED}, (S.DISPATCHED, S.SIGNED, S.NEW)),
            Transition("extension_request", OPEN, SAME),
        ],
        refusal=_refusal,
    )

and its services ask it: ``ticket.status = WORKFLOW.target(ticket.status, "dispatch")`` moves the
ticket or raises the context's own error (``refusal``: the code and the Chinese message the context
always had). A step whose outcome is decided in it (approved or not) lists every status it may lead to
and the service names the one it took (``to=``); ``SAME`` is a step that leaves the status as it is.

Nothing here knows a model: statuses and roles are plain strings (``TextChoices`` values are).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Generic, Protocol, TypeVar

from yiwang.core.errors import DomainError

R = TypeVar("R", bound=str, covariant=True)  # the context's roles (accounts.roles.Role)

SAME: Final = "<same>"  # the step leaves the status as it was (a request, a reminder, an extension)


class Refusal(Protocol):
    """Builds the context's error for ``action`` refused from ``status``; ``context`` carries what the
    message names besides the status (a queue number, say)."""

    def __call__(self, status: str, action: str, /, **context: object) -> DomainError: ...


@dataclass(frozen=True, init=False)
class Transition(Generic[R]):
    """One row: ``action`` may be taken from any of ``sources`` and leads to ``targets`` — one status,
    or several when the step itself decides (the first is the usual one) — by one of ``roles`` (empty:
    the context checks who may, as its services always did)."""

    action: str
    sources: frozenset[str]
    targets: tuple[str, ...]
    roles: frozenset[R]

    def __init__(
        self,
        action: str,
        sources: Iterable[str],
        target: str | Sequence[str],
        *,
        roles: Iterable[R] = (),
    ) -> None:
        targets = (target,) if isinstance(target, str) else tuple(target)
        if not targets or not action:
            raise ValueError("a transition names its action and where it leads")
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "sources", frozenset(sources))
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "roles", frozenset(roles))

    def lands(self, status: str) -> tuple[str, ...]:
        """Where the step may lead from ``status`` (``SAME`` read as ``status``)."""
        return tuple(status if target == SAME else target for target in self.targets)


class Workflow(Generic[R]):
    """The transitions of one status field. Every action appears in one row; every status and target
    named must be one of ``statuses`` (checked when the module is imported)."""

    def __init__(self, statuses: Iterable[str], transitions: Iterable[Transition[R]], *, refusal: Refusal) -> None:
        self.statuses: tuple[str, ...] = tuple(statuses)
        self.transitions: tuple[Transition[R], ...] = tuple(transitions)
        self.refusal = refusal
        self._by_action: dict[str, Transition[R]] = {}
        known = set(self.statuses)
        for row in self.transitions:
            if row.action in self._by_action:
                raise ValueError(f"the action {row.action!r} has two rows")
            unknown = (row.sources | set(row.targets)) - known - {SAME}
            if unknown or not row.sources:
                raise ValueError(f"the action {row.action!r} names unknown statuses {sorted(unknown)}")
            self._by_action[row.action] = row

    def __iter__(self) -> Iterator[Transition[R]]:
        return iter(self.transitions)

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self._by_action)

    def transition(self, action: str) -> Transition[R]:
        """The row of ``action``; an action the table does not know is a programming error (KeyError)."""
        return self._by_action[action]

    def allows(self, status: str, action: str) -> bool:
        return status in self._by_action[action].sources

    def actions_from(self, status: str) -> list[str]:
        """Every action possible from ``status``, in the table's order (what a page may offer)."""
        return [row.action for row in self.transitions if status in row.sources]

    def roles(self, action: str) -> frozenset[R]:
        return self._by_action[action].roles

    def require(self, status: str, action: str, **context: object) -> None:
        """Refuses ``action`` from ``status`` with the context's error unless the table allows it."""
        if not self.allows(status, action):
            raise self.refusal(status, action, **context)

    def target(self, status: str, action: str, *, to: str | None = None, **context: object) -> str:
        """Where ``action`` takes something in ``status``, or the context's error. A step that may lead
        to several statuses names the one it took (``to``), which must be one the table lists."""
        self.require(status, action, **context)
        lands = self._by_action[action].lands(status)
        if to is None:
            if len(lands) != 1:
                raise ValueError(f"{action!r} leads to one of {lands}: say which")
            return lands[0]
        if to not in lands:
            raise ValueError(f"{action!r} from {status!r} does not lead to {to!r}")
        return to

    def named(self) -> set[str]:
        """Every status a row starts from or leads to (a status of the model missing here has no row)."""
        return {s for row in self.transitions for s in (*row.sources, *row.targets) if s != SAME}
