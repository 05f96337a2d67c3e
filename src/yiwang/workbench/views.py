"""The staff workbench (工作台): role-aware navigation and the list of things waiting."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from itertools import groupby
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.accounts.selectors import user_is_staff_member, user_role_assignments
from yiwang.workbench.registry import nav_for, work_items_for

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_is_staff_member(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


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
