"""The staff workbench (工作台): role-aware navigation and the list of things waiting."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.accounts.selectors import user_role_assignments
from yiwang.core.shell import staff_required
from yiwang.workbench.registry import nav_for, work_items_for

View = Callable[..., HttpResponse]


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    entries = nav_for(request.user)  # type: ignore[arg-type]
    sections = [(section, list(items)) for section, items in groupby(entries, key=lambda e: str(e.section))]
    return render(
        request,
        "workbench/home.html",
        {
            "sections": sections,
            "assignments": user_role_assignments(user=request.user),  # type: ignore[arg-type]
            "items": work_items_for(request.user),  # type: ignore[arg-type]
        },
    )


@require_GET
@staff_required
def tasks(request: HttpRequest) -> HttpResponse:
    """The task list alone, for HTMX to refresh in place."""
    return render(request, "workbench/_tasks.html", {"items": work_items_for(request.user)})  # type: ignore[arg-type]
