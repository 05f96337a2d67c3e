"""The public portal (政务服务网): home, search, 个人办事 and 法人办事, and the guide of every item."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from yiwang.catalogue import selectors as catalogue
from yiwang.catalogue.choices import Level
from yiwang.catalogue.printing import guide_pdf
from yiwang.catalogue.themes import AUDIENCES
from yiwang.organisation import selectors as organisation
from yiwang.portal import registry

if TYPE_CHECKING:
    from yiwang.catalogue.models import ItemImplementation

SEARCH_MAX_LENGTH = 50
PAGE_SIZE = 20


def _page(request: HttpRequest, items: object) -> Page[ItemImplementation]:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


POPULAR = 8
POPULAR_SECONDS = 600


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The front door: search, the most used services, and every way in — 12345, appointments and queue
    numbers, progress, licence verification, ratings, trading notices, government information."""
    popular = cache.get_or_set("portal:popular", _popular, POPULAR_SECONDS) or []
    context = {"nav": "home", "halls": organisation.hall_list()[:5], "popular": popular}
    return render(request, "portal/home.html", context)


def _popular() -> list[dict[str, str]]:
    """The most used services as the home page lists them (recounted every ten minutes at most)."""
    codes = registry.popular_codes(POPULAR)
    found = {i.code: i for i in catalogue.published().filter(code__in=codes)} if codes else {}
    items = [found[c] for c in codes if c in found]
    if len(items) < POPULAR:  # a new deployment: the catalogue's first items until people have applied
        items += [i for i in catalogue.published().order_by("code")[: POPULAR * 2] if i.code not in found]
    return [
        {"code": i.code, "name": i.current.name if i.current else i.code, "department": i.department.name}
        for i in items[:POPULAR]
    ]


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    departments = organisation.department_list(search=query)[:20] if query else []
    page = _page(request, catalogue.published_list(q=query)) if query else None
    template = "portal/_results.html" if request.headers.get("HX-Request") == "true" else "portal/search.html"
    return render(request, template, {"query": query, "departments": departments, "page": page})


@require_GET
def audience(request: HttpRequest, audience: str) -> HttpResponse:
    """个人办事 / 法人办事: the audience's themes (life events), departments and levels, then the items."""
    spec = AUDIENCES[audience]
    theme = request.GET.get("theme", "")
    theme = theme if theme in spec.themes else ""
    department = _int(request.GET.get("department"))
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    filtered = bool(theme or department or level)
    context = {
        "nav": audience,
        "audience": audience,
        "themes": catalogue.theme_counts(spec),
        "departments": organisation.department_list()[:100],
        "levels": Level.choices,
        "theme": theme,
        "department": department,
        "level": level,
        "page": _page(request, catalogue.published_list(theme=theme, department=department, level=level or None))
        if filtered
        else None,
    }
    return render(request, "portal/audience.html", context)


@require_GET
def guide(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "portal/guide.html", {"guide": catalogue.guide_get(code)})


@require_GET
def guide_print(request: HttpRequest, code: str) -> HttpResponse:
    """The same guide as a PDF to print or keep."""
    data = catalogue.guide_get(code)
    response = HttpResponse(guide_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{data.name}办事指南.pdf") or ""
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def material_file(request: HttpRequest, code: str, order: int, kind: str) -> FileResponse:
    """A material's blank form or filled-in sample, from the published version."""
    material = catalogue.guide_material_file(code, order)
    file = material.blank_form if kind == "form" else material.sample
    if not file or not file.name:
        raise Http404
    return FileResponse(file.open("rb"), as_attachment=True, filename=f"{material.name}{_suffix(file.name)}")


@require_GET
def result_sample(request: HttpRequest, code: str) -> FileResponse:
    """The sample of what the applicant receives (审批结果样本)."""
    version = catalogue.guide_get(code).version_obj
    file = version.result_sample
    if not file or not file.name:
        raise Http404
    name = version.result_name or version.name
    return FileResponse(file.open("rb"), as_attachment=True, filename=f"{name}（样本）{_suffix(file.name)}")


def _suffix(name: str) -> str:
    return name[name.rfind(".") :] if "." in name else ""
