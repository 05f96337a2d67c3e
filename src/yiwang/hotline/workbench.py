"""The 12345 hotline's entries in the staff workbench."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from yiwang.accounts.roles import Role
from yiwang.workbench.registry import NavEntry, register_nav

HOTLINE = gettext_lazy("12345 hotline")


def register() -> None:
    register_nav(
        NavEntry(
            "hotline-intake",
            HOTLINE,
            gettext_lazy("Take a call"),
            "hotline:intake",
            frozenset({Role.HOTLINE_AGENT, Role.DISPATCHER}),
            40,
        )
    )
    register_nav(
        NavEntry(
            "hotline-work",
            HOTLINE,
            gettext_lazy("Ticket queues"),
            "hotline:work",
            frozenset({Role.HOTLINE_AGENT, Role.DISPATCHER, Role.HANDLER, Role.SUPERVISOR}),
            41,
        )
    )
    register_nav(
        NavEntry(
            "hotline-dashboard",
            HOTLINE,
            gettext_lazy("KPI dashboard"),
            "hotline:dashboard",
            frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
            42,
        )
    )
    register_nav(
        NavEntry(
            "hotline-hotspots",
            HOTLINE,
            gettext_lazy("Hotspots and bulletin"),
            "hotline:hotspots",
            frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
            43,
        )
    )
    register_nav(
        NavEntry(
            "hotline-calls",
            HOTLINE,
            gettext_lazy("Import call records"),
            "hotline:calls",
            frozenset({Role.SUPERVISOR}),
            44,
        )
    )
    register_nav(
        NavEntry(
            "hotline-replies",
            HOTLINE,
            gettext_lazy("Replies to publish"),
            "hotline:replies",
            frozenset({Role.SUPERVISOR}),
            45,
        )
    )
