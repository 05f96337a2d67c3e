"""The walk every status table of ``core.workflow`` gets: every status × every action, through the context's
own service, generated from the table — so a status or an action added later is walked without a new test."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pytest

from yiwang.core.errors import DomainError
from yiwang.core.workflow import Workflow

# run(status, action, aim): takes ``action`` through the service on a fresh record in ``status`` and returns
# the status the record is in afterwards. ``aim`` is the table's target the inputs should lead to (a step
# that decides between several), or None when the table refuses the step.
Run = Callable[[str, str, "str | None"], str]


def walk(
    workflow: Workflow[str],
    statuses: Iterable[str],
    run: Run,
    *,
    code: str,
    codes: Mapping[str, str] | None = None,
    quiet: Iterable[str] = (),
) -> int:
    """Every status of the model has a row (as a source or a target) and the table names no other; every
    allowed step lands where the table says — each of its targets in turn —, every other step is refused
    with the context's error ``code`` (``codes``: the action's own, for a step that picks its record by
    status and so finds none); a ``quiet`` step — a periodic task's sweep — leaves such a record as it is.
    Returns how many steps were taken (a walk that took none is wrong)."""
    statuses, quiet = list(statuses), set(quiet)
    assert quiet <= set(workflow.actions)
    assert workflow.named() == set(statuses), "a status without a row, or a row with a status the model lacks"
    taken = 0
    for status in statuses:
        for action in workflow.actions:
            if not workflow.allows(status, action) and action in quiet:
                assert run(status, action, None) == status, f"the sweep {action} changed a record in {status}"
                continue
            if not workflow.allows(status, action):
                with pytest.raises(DomainError) as refused:
                    run(status, action, None)
                expected = (codes or {}).get(action, code)
                assert refused.value.code == expected, (status, action, refused.value.code, refused.value.message)
                continue
            for aim in dict.fromkeys(workflow.transition(action).lands(status)):
                landed = run(status, action, aim)
                assert landed == aim, f"{action} from {status} should land in {aim}, landed in {landed}"
                taken += 1
    assert taken
    return taken
