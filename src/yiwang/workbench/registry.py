"""What the workbench shows: navigation entries and task sources, registered by each context.

A context adds a page to the workbench with ``register_nav`` and contributes to the task list
with ``register_task_source``; the workbench filters both by the user's roles. The workbench
itself knows no business rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_roles

if TYPE_CHECKING:
    from yiwang.accounts.models import User


@dataclass(frozen=True)
class NavEntry:
    key: str
    section: str | Promise
    label: str | Promise
    url_name: str
    roles: frozenset[Role]
    order: int = 100

    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for the user: a case to accept, a ticket to sign for, a failure to look at."""

    title: str
    url: str
    kind: str | Promise
    due: datetime | None = None
    urgency: str = "normal"  # normal | warn | danger
    meta: dict[str, str] = field(default_factory=dict)


TaskSource = Callable[["User"], list[WorkItem]]

_nav: dict[str, NavEntry] = {}
_sources: list[tuple[frozenset[Role], TaskSource]] = []


def register_nav(entry: NavEntry) -> None:
    _nav[entry.key] = entry


def register_task_source(roles: frozenset[Role], source: TaskSource) -> None:
    _sources.append((roles, source))


def nav_for(user: User) -> list[NavEntry]:
    held = user_roles(user=user)
    return sorted((e for e in _nav.values() if e.roles & held), key=lambda e: (e.order, e.key))


def work_items_for(user: User) -> list[WorkItem]:
    held = user_roles(user=user)
    items: list[WorkItem] = []
    for roles, source in _sources:
        if roles & held:
            items.extend(source(user))
    rank = {"danger": 0, "warn": 1, "normal": 2}
    return sorted(items, key=lambda i: (rank.get(i.urgency, 3), i.due is None, i.due.timestamp() if i.due else 0.0))
