"""The instant-approval rules of one implementation, kept as data and edited by its administrators,
with how the rules have decided so far."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db.models import Avg, Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yiwang.catalogue.selectors import implementation_for_staff
from yiwang.core.errors import ValidationFailed
from yiwang.core.fields import json_object
from yiwang.core.shell import acting_user, staff_required
from yiwang.instant.models import InstantEvaluation, RuleKind
from yiwang.instant.services import instant_rules_set, rules_of

ROWS = 6


def _posted_rules(request: HttpRequest) -> tuple[list[tuple[str, dict[str, Any], str]], list[tuple[str, str]]]:
    rules: list[tuple[str, dict[str, Any], str]] = []
    problems: list[tuple[str, str]] = []
    for n in range(1, ROWS + 1):
        kind = request.POST.get(f"kind_{n}", "")
        if not kind:
            continue
        text = request.POST.get(f"params_{n}", "").strip() or "{}"
        params = json_object(text)
        if params is None:
            problems.append((f"rules.{len(rules) + 1}", _("Rule %(n)s: the parameters are not valid JSON.") % {"n": n}))
            params = {}
        rules.append((kind, params, request.POST.get(f"description_{n}", "")))
    return rules, problems


@require_http_methods(["GET", "POST"])
@staff_required
def rules(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    implementation = implementation_for_staff(user, code)
    errors: list[str] = []
    if request.method == "POST":
        posted, problems = _posted_rules(request)
        if problems:
            errors = [message for _field, message in problems]
        else:
            try:
                instant_rules_set(implementation_id=implementation.pk, rules=posted, actor=user)
            except ValidationFailed as failed:
                errors = [str(e["message"]) for e in (failed.details or {}).get("errors", [])]
            else:
                messages.success(request, _("The instant-approval rules are saved."))
                return redirect("instant:rules", code=code)
    current = rules_of(implementation.pk)
    rows = [
        {
            "n": n,
            "rule": current[n - 1] if n <= len(current) else None,
            "params": json.dumps(current[n - 1].params, ensure_ascii=False) if n <= len(current) else "",
        }
        for n in range(1, ROWS + 1)
    ]
    outcomes = (
        InstantEvaluation.objects.filter(case__implementation=implementation)
        .values("outcome")
        .annotate(count=Count("pk"), seconds=Avg("seconds"))
        .order_by("outcome")
    )
    return render(
        request,
        "instant/rules.html",
        {
            "implementation": implementation,
            "rows": rows,
            "kinds": RuleKind.choices,
            "errors": errors,
            "outcomes": list(outcomes),
        },
        status=422 if errors else 200,
    )
