"""The hotline's staff pages: the agent's intake workbench (the caller's earlier tickets and the
knowledge base beside the form, resolve at first contact or pass on), and a ticket's page with
duplicates, the catalogue's and the learned suggestions, and the steps the viewer may take.

By page: ``agent`` (the call form and its htmx lookups), ``tickets`` (a ticket's page, its
steps and the work queues), ``monitoring`` (KPIs, hotspots, bulletins, call records), ``public`` (the
caller's rating page). Every name is importable from this package as before."""

from yiwang.hotline.views.agent import _agent, _form_context, caller_history, intake, knowledge
from yiwang.hotline.views.monitoring import (
    GROUP_LABELS,
    REPORT_TYPES,
    _period_from,
    _supervisor,
    bulletin_file,
    calls_import_view,
    dashboard,
    hotspots_view,
)
from yiwang.hotline.views.public import rate
from yiwang.hotline.views.tickets import ACTION_LABELS, PAGE, _flag, _is_unit_officer, ticket_act, ticket_page, work

__all__ = [
    "ACTION_LABELS",
    "GROUP_LABELS",
    "PAGE",
    "REPORT_TYPES",
    "_agent",
    "_flag",
    "_form_context",
    "_is_unit_officer",
    "_period_from",
    "_supervisor",
    "bulletin_file",
    "caller_history",
    "calls_import_view",
    "dashboard",
    "hotspots_view",
    "intake",
    "knowledge",
    "rate",
    "ticket_act",
    "ticket_page",
    "work",
]
