"""The public portal (政务服务网): home, search, 个人办事 and 法人办事."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.organisation import selectors as organisation

SEARCH_MAX_LENGTH = 50


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"nav": "home", "halls": organisation.hall_list()[:5]})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    departments = organisation.department_list(search=query)[:50] if query else []
    return render(request, "portal/search.html", {"query": query, "departments": departments})


@require_GET
def audience(request: HttpRequest, audience: str) -> HttpResponse:
    return render(
        request,
        "portal/audience.html",
        {"nav": audience, "audience": audience, "departments": organisation.department_list()[:100]},
    )
