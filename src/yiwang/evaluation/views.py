"""Pages of 好差评. Public: rating a case by its link or QR code (the applicant, with or without an
account). Staff: the window's rating device, the remediation queues and an item's page with the steps
the viewer may take, and the ratings with their figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import user_has_role
from yiwang.core.errors import DomainError, PermissionDenied, ValidationFailed
from yiwang.core.shell import acting_user, acting_user_with, staff_required
from yiwang.evaluation import remediation as rem
from yiwang.evaluation import selectors, services
from yiwang.evaluation.models import (
    OFFLINE_DIMENSIONS,
    ONLINE_DIMENSIONS,
    Level,
    Rating,
    RatingChannel,
    Remediation,
    RemediationMode,
)
from yiwang.evaluation.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User

LEVELS = [(level.value, level.label) for level in Level]  # 非常满意 first


def _given(post: Any, dimensions: dict[str, Any]) -> services.Given:
    def level(value: Any) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0

    scores = {key: level(post.get(f"score_{key}")) for key in dimensions if post.get(f"score_{key}")}
    return services.Given(level=level(post.get("level")), scores=scores, comment=post.get("comment", "")[:600])


def _errors(failed: ValidationFailed) -> dict[str, str]:
    return {e["field"]: str(e["message"]) for e in (failed.details or {}).get("errors", [])}


# --- the applicant's rating of a case ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rate_case(request: HttpRequest, token: str) -> HttpResponse:
    """The case's link or QR code: rate (or amend within the period) without logging in; logged in as
    the applicant, the rating counts as given in the online hall."""
    case = services.case_from_link(token)
    user = request.user if request.user.is_authenticated else None
    online = user is not None and user.pk in (case.applicant_account_id, case.agent_account_id)
    channel = RatingChannel.ONLINE if online else RatingChannel.QR
    dimensions = ONLINE_DIMENSIONS if case.channel != "window" else OFFLINE_DIMENSIONS
    existing = Rating.objects.filter(service_ref=f"case:{case.pk}", rater_key="applicant").first()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        given = _given(request.POST, dimensions)
        try:
            if existing is None:
                services.rating_for_case(
                    case=case, given=given, channel=channel, actor=acting_user(request) if online else None,
                    link_token=token,
                )  # fmt: skip
            else:
                services.rating_amend(
                    rating=existing, given=given, actor=acting_user(request) if online else None, link_token=token
                )
        except ValidationFailed as failed:
            errors, status = _errors(failed), 422
        except DomainError as error:
            messages.error(request, str(error.message))
            status = error.status
        else:
            messages.success(request, _("Thank you: your rating is recorded."))
            return redirect("evaluation_public:rate", token=token)
    context = {
        "case": case, "existing": existing, "levels": LEVELS, "dimensions": dimensions.items(), "errors": errors,
        "post": request.POST, "can_amend": existing is not None and timezone.now() <= existing.amendable_until,
    }  # fmt: skip
    response = render(request, "evaluation/rate.html", context, status=status)
    response["Referrer-Policy"] = "same-origin"  # the token in the address never leaves the site
    return response


# --- the window's rating device ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def tablet(request: HttpRequest) -> HttpResponse:
    """The rating device at the window (the clerk's second screen): it shows the visit just finished at
    this clerk's window and takes the rating of the person served; otherwise it waits, polling."""
    from yiwang.hall.selectors import visit_get

    user = acting_user(request)
    if not user_has_role(user=user, roles={Role.CLERK}):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        visit = visit_get(pk=request.POST.get("visit") or 0, clerk=user)
        if visit is None:
            raise Http404
        try:
            services.rating_for_visit(visit=visit, actor=user, given=_given(request.POST, OFFLINE_DIMENSIONS))
        except ValidationFailed as failed:
            errors, status = _errors(failed), 422
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Thank you for your rating!"))
            return redirect("evaluation:tablet")
    context = {
        "visit": selectors.visit_to_rate(user), "levels": LEVELS, "dimensions": OFFLINE_DIMENSIONS.items(),
        "errors": errors, "post": request.POST,
    }  # fmt: skip
    template = "evaluation/_tablet.html" if request.GET.get("part") else "evaluation/tablet.html"
    return render(request, template, context, status=status)


# --- remediation ---------------------------------------------------------------------------------------

QUEUE_LABELS = {
    "pending": gettext_lazy("To contact"),
    "handling": gettext_lazy("Being remedied"),
    "return_visit": gettext_lazy("Return visit due"),
    "appealed": gettext_lazy("Appeals"),
    "done": pgettext_lazy("remediation", "Closed"),
}


def _reader(request: HttpRequest) -> Any:
    return acting_user_with(request, selectors.READER_ROLES)


@require_GET
@staff_required
def remediations(request: HttpRequest) -> HttpResponse:
    """差评整改: the queues, with each item's due times and what is overdue; this month's figures."""
    user = _reader(request)
    queue = request.GET.get("queue", "pending")
    if queue not in selectors.QUEUES:
        queue = "pending"
    counts = selectors.queue_counts(user)
    items = list(selectors.remediation_queue(user, queue)[:100])
    now = timezone.now()
    today = timezone.localdate()
    figures = selectors.rating_figures(selectors.ratings_visible(user), today.replace(day=1), today)
    context = {
        "queues": [(key, QUEUE_LABELS[key], counts[key]) for key in selectors.QUEUES],
        "current": queue, "current_label": QUEUE_LABELS[queue],
        "items": [(item, selectors.overdue_step(item, now)) for item in items], "figures": figures,
    }  # fmt: skip
    return render(request, "evaluation/remediations.html", context)


def _detail(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    user = _reader(request)
    item = selectors.remediation_detail(user, pk)
    if item is None:
        raise Http404
    return user, item


@require_GET
@staff_required
def remediation_page(request: HttpRequest, pk: int) -> HttpResponse:
    user, item = _detail(request, pk)
    sides = {roles: user_has_role(user=user, roles=roles) for roles in {WORKFLOW.roles(step) for step in STEPS}}
    may = {step: WORKFLOW.allows(item.status, step) and sides[WORKFLOW.roles(step)] for step in STEPS}
    context = {
        "item": item, "rating": item.rating, "appeal": selectors.pending_appeal(item),
        "overdue": selectors.overdue_step(item), "modes": RemediationMode.choices,
        **{f"can_{step}": allowed for step, allowed in may.items()},
        "dimensions": {**ONLINE_DIMENSIONS, **OFFLINE_DIMENSIONS},
    }  # fmt: skip
    return render(request, "evaluation/remediation.html", context)


def _review(post: Any, user: User, item: Remediation) -> object:
    appeal = selectors.pending_appeal(item)
    if appeal is None:
        raise Http404
    return rem.appeal_review(actor=user, appeal=appeal, upheld=post.get("upheld") == "yes", note=post.get("note", ""))


# The item page's steps, by the actions of the remediation's table (evaluation.workflow); the page offers
# each one its viewer may take from the item's status. The rater's withdrawal is no one's button.
STEPS: dict[str, Callable[[Any, User, Remediation], object]] = {
    "contact": lambda post, user, item: rem.remediation_contact(
        actor=user, remediation=item, note=post.get("note", ""), verified=post.get("verified") == "yes",
        mode=post.get("mode", ""),
    ),
    "feedback": lambda post, user, item: rem.remediation_feedback(
        actor=user, remediation=item, feedback=post.get("feedback", "")
    ),
    "fix": lambda post, user, item: rem.remediation_fix(actor=user, remediation=item, note=post.get("note", "")),
    "return_visit": lambda post, user, item: rem.remediation_return_visit(
        actor=user, remediation=item, satisfied=post.get("satisfied") == "yes", note=post.get("note", "")
    ),
    "appeal": lambda post, user, item: rem.appeal_file(actor=user, remediation=item, reason=post.get("reason", "")),
    "review": _review,
}  # fmt: skip


@require_POST
@staff_required
def remediation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user, item = _detail(request, pk)
    try:
        step = STEPS.get(action)
        if step is None:
            raise Http404
        step(request.POST, user, item)
    except ValidationFailed as failed:
        for message in _errors(failed).values():
            messages.error(request, message)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("evaluation:remediation", pk=pk)


@require_GET
@staff_required
def ratings(request: HttpRequest) -> HttpResponse:
    """The ratings the viewer may see, newest first, with the period's figures."""
    user = _reader(request)
    today = timezone.localdate()
    start = today - timedelta(days=29)
    visible = selectors.ratings_visible(user)
    bad_only = request.GET.get("bad") == "1"
    rows = visible.select_related("department", "window", "remediation").order_by("-created_at")
    if bad_only:
        rows = rows.filter(level__lte=2)
    context = {
        "figures": selectors.rating_figures(visible, start, today), "start": start, "end": today,
        "rows": list(rows[:100]), "bad_only": bad_only,
    }  # fmt: skip
    return render(request, "evaluation/ratings.html", context)
