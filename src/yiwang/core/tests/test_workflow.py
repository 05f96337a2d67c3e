"""The one shape of a status table (core.workflow): what it allows, where it leads, what it refuses and
the mistakes it will not be built with."""

from __future__ import annotations

import pytest

from yiwang.core.errors import Conflict
from yiwang.core.workflow import SAME, Transition, Workflow


def _refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(f"{action} from {status} {context.get('number', '')}".strip(), code="wrong_status")


DOOR: Workflow[str] = Workflow(
    ["open", "ajar", "shut", "gone"],
    [
        Transition("close", {"open", "ajar"}, "shut", roles={"porter"}),
        Transition("knock", {"shut"}, SAME),
        Transition("answer", {"shut"}, ("open", "ajar")),
        Transition("remove", {"open", "ajar", "shut"}, "gone"),
    ],
    refusal=_refusal,
)


def test_a_table_moves_what_it_lists_and_refuses_the_rest_with_the_context_s_error() -> None:
    assert DOOR.target("open", "close") == "shut" and DOOR.target("shut", "knock") == "shut"
    assert DOOR.target("shut", "answer", to="ajar") == "ajar"
    assert DOOR.actions_from("shut") == ["knock", "answer", "remove"] and DOOR.actions_from("gone") == []
    assert DOOR.roles("close") == {"porter"} and DOOR.roles("knock") == frozenset()
    assert DOOR.named() == {"open", "ajar", "shut", "gone"}
    with pytest.raises(Conflict) as refused:
        DOOR.target("gone", "close", number="A001")
    assert (refused.value.code, refused.value.message) == ("wrong_status", "close from gone A001")
    with pytest.raises(Conflict):
        DOOR.require("open", "knock")


def test_a_step_with_several_outcomes_names_one_the_table_lists() -> None:
    with pytest.raises(ValueError, match="say which"):
        DOOR.target("shut", "answer")
    with pytest.raises(ValueError, match="does not lead"):
        DOOR.target("shut", "answer", to="gone")


def test_a_table_is_not_built_with_two_rows_of_an_action_or_a_status_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="two rows"):
        Workflow(["a", "b"], [Transition("go", {"a"}, "b"), Transition("go", {"b"}, "a")], refusal=_refusal)
    with pytest.raises(ValueError, match="unknown statuses"):
        Workflow(["a", "b"], [Transition("go", {"a"}, "c")], refusal=_refusal)
    with pytest.raises(ValueError, match="unknown statuses"):
        Workflow(["a", "b"], [Transition("go", (), "b")], refusal=_refusal)
    with pytest.raises(KeyError):
        DOOR.allows("open", "paint")
