"""The caller's rating page from the SMS link (no login)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yiwang.core.errors import ValidationFailed
from yiwang.hotline import services
from yiwang.hotline.models import Satisfaction
from yiwang.hotline.views.tickets import _flag


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The caller's rating page from the SMS link: no login, nothing personal shown."""
    ticket = services.ticket_by_rating_token(token)
    done = request.GET.get("done") == "1"
    if ticket is None and not done:
        return render(request, "hotline/rate.html", {"invalid": True}, status=404)
    errors: dict[str, str] = {}
    if request.method == "POST" and ticket is not None:
        try:
            services.ticket_rate_by_link(
                token=token, satisfaction=request.POST.get("satisfaction", ""),
                solved=_flag(request.POST, "solved"), note=request.POST.get("note", "")[:500],
            )  # fmt: skip
        except ValidationFailed as failed:
            errors = {e["field"]: str(e["message"]) for e in (failed.details or {}).get("errors", [])}
        else:
            return redirect(f"{request.path}?done=1")
    return render(
        request,
        "hotline/rate.html",
        {"ticket": ticket, "done": done and ticket is None, "errors": errors, "satisfactions": Satisfaction.choices},
        status=422 if errors else 200,
    )
