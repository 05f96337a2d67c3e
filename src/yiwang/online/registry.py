"""Places on my page that later modules fill (licences, appointments, ratings): each registers a
section with a title and a function giving the user's rows; the page shows them in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from yiwang.accounts.models import User


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    rows: Callable[[User], list[Any]]
    empty: str | Promise
    order: int = 100
    item_template: str = ""  # renders one row (as ``item``); without it, the row's text


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections_for(user: User) -> list[tuple[Section, list[Any]]]:
    return [(s, s.rows(user)) for s in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))]
