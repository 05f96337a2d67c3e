"""回复公开 at the workbench: the reviewer's queue of finished requests whose callers agreed to publication,
each text edited (personal details removed) and published, or not. Thin: the rules are the service's."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.shell import acting_user, staff_required
from yiwang.hotline import citizen, services
from yiwang.hotline.models import ReplyStatus


@require_GET
@staff_required
def replies(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    page = Paginator(citizen.replies_to_review(user), 20).get_page(request.GET.get("page"))
    return render(request, "hotline/replies.html", {"page": page})


@require_http_methods(["GET", "POST"])
@staff_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    found = citizen.reply_for_reviewer(user, pk)
    if found is None:
        raise Http404
    errors: dict[str, str] = {}
    post = request.POST
    if request.method == "POST":
        try:
            if post.get("decision") == "withdraw":
                services.reply_withdraw(actor=user, reply=found, note=post.get("note", ""))
            else:
                services.reply_review(
                    actor=user, reply=found, decision=post.get("decision", ""), title=post.get("title", ""),
                    question=post.get("question", ""), answer=post.get("answer", ""), note=post.get("note", ""),
                )  # fmt: skip
        except ValidationFailed as failed:
            for e in (failed.details or {}).get("errors", []):
                errors.setdefault(e["field"], str(e["message"]))
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your decision was recorded."))
            return redirect("hotline:replies")
    context = {
        "reply": found,
        "errors": errors,
        "title": post.get("title", found.title),
        "question": post.get("question", found.question),
        "answer": post.get("answer", found.answer),
        "note": post.get("note", found.note),
        "pending": found.status == ReplyStatus.PENDING,
        "published": found.status == ReplyStatus.PUBLISHED,
    }
    return render(request, "hotline/reply.html", context, status=422 if errors else 200)
