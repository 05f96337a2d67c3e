"""Pages of the evaluation and what follows it (docs/trading.md §6a): the committee member scores each
opened bid and signs the report on its own page; the centre starts the evaluation, makes the report and
publishes the candidates from the workbench; the tenderer awards and records the contract from the public
page. One small view per act, each a service call; refusals are the services' Chinese messages."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import DomainError, NotFound, ValidationFailed
from yiwang.core.shell import acting_user, staff_required
from yiwang.trading import selectors, services
from yiwang.trading.models import (
    Bid,
    BidStatus,
    CriterionKind,
    DrawPick,
    PickStatus,
    ProjectStatus,
    ReportSignature,
    TradingProject,
)
from yiwang.trading.views import _act, _errors, _int, _refused

MAX_CRITERIA = 50  # as the API's scores: more fields than any project has criteria are not read


# --- the committee member ----------------------------------------------------------------------------


def _member(request: HttpRequest, project: TradingProject) -> DrawPick:
    """The signed-in account's confirmed pick on the project's committee; anyone else is not told that
    the evaluation exists (404), as ``services.evaluation._member`` refuses them."""
    pick = (
        DrawPick.objects.filter(draw__project=project, status=PickStatus.CONFIRMED, expert__user=acting_user(request))
        .select_related("expert")
        .first()
    )
    if pick is None:
        raise NotFound(_("No evaluation of yours has this project code."), code="not_found")
    return pick


def _evaluated(project: TradingProject) -> list[Bid]:
    """The bids the committee scores: opened, of lots not failed (as ``scores_submit`` accepts them)."""
    return list(selectors.bids_opened(project).filter(status=BidStatus.OPENED, lot__failed=False))


def _points(post: Any) -> dict[int, Decimal | str]:
    """``points[<criterion id>]`` fields as the service takes them; it checks each criterion and range."""
    points: dict[int, Decimal | str] = {}
    for field in list(post)[: MAX_CRITERIA * 2]:
        if field.startswith("points[") and field.endswith("]") and _int(field[7:-1], 0) > 0:
            points[_int(field[7:-1])] = post.get(field, "")[:20]
    return points


def _rows(
    member: DrawPick, bids: list[Bid], criteria: list[Any], posted: Bid | None, post: Any, errors: dict[str, str]
) -> list[dict[str, Any]]:
    """One form per bid: each non-price criterion with the member's saved points (or what was just
    posted for the refused bid) and its error."""
    saved = {(s.bid_id, s.criterion_id): str(s.points) for s in member.scores.filter(bid__in=bids)}
    finals = selectors.final_prices(member.draw.project) or {}
    rows = []
    for bid in bids:
        refused = posted is not None and posted.pk == bid.pk
        cells = []
        for criterion in criteria:
            field = f"points[{criterion.pk}]"
            value = post.get(field, "") if refused else saved.get((bid.pk, criterion.pk), "")
            error = errors.get(field, "") if refused else ""
            cells.append({"criterion": criterion, "field": field, "value": value[:20], "error": error})
        scored = all((bid.pk, c.pk) in saved for c in criteria)
        rows.append(
            {
                "bid": bid,
                "cells": cells,
                "scored": scored,
                "error": errors.get("points", "") if refused else "",
                "final": finals.get(bid.pk),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def evaluation(request: HttpRequest, code: str) -> HttpResponse:
    """评标 by one committee member: during the evaluation a form per opened bid, one figure per
    non-price criterion (price points are computed); after the report, the report to sign."""
    project = selectors.project_published(code)
    member = _member(request, project)
    status, posted, errors = 200, None, {}
    if request.method == "POST":
        bid = selectors.bid_for_scoring(_int(request.POST.get("bid"), 0))
        if bid.project_id != project.pk:
            raise NotFound(_("No bid has this number."), code="not_found")
        posted = bid
        try:
            services.scores_submit(actor=acting_user(request), bid=bid, points=_points(request.POST))
        except ValidationFailed as failed:
            errors = _errors(failed)
            status = _refused(request, failed)
        except DomainError as error:
            status = _refused(request, error)
        else:
            messages.success(request, _("Your scores of this bid are saved; you may change them until the report."))
            return redirect("trading:evaluation", code=project.code)
    criteria = list(project.criteria.all())
    scored = [c for c in criteria if c.kind != CriterionKind.PRICE]
    bids = _evaluated(project) if project.status == ProjectStatus.EVALUATING else []
    signature = ReportSignature.objects.filter(project=project, pick=member).first()
    report = json.dumps(json.loads(project.report), ensure_ascii=False, indent=2) if project.report else ""
    context = {
        "project": project,
        "member": member,
        "rows": _rows(member, bids, scored, posted, request.POST, errors),
        "price": next((c for c in criteria if c.kind == CriterionKind.PRICE), None),
        "report": report,
        "report_sm3": sm3_hex(project.report.encode()) if project.report else "",
        "signature": signature,
    }
    return render(request, "trading/evaluation.html", context, status=status)


@require_POST
@login_required
def report_sign(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_published(code)
    _member(request, project)
    dissent = request.POST.get("dissent", "")[:3000]
    return _act(
        request, lambda u: services.report_sign(actor=u, project=project, dissent=dissent),
        _("You signed the report."), "trading:evaluation", project.code,
    )  # fmt: skip


# --- the trading centre ------------------------------------------------------------------------------


@require_POST
@staff_required
def invitations_make(request: HttpRequest, code: str) -> HttpResponse:
    """邀请招标: the companies by credit code, one per line; with a number, that many drawn at random."""
    project = selectors.project_for_staff(acting_user(request), code)
    lines = request.POST.get("credit_codes", "")[:20000].split()
    companies = [c for c in (selectors.company_by_credit_code(line) for line in lines[:500]) if c is not None]
    if len(companies) < len(lines[:500]):
        messages.error(request, _("No registered company has this unified social credit code."))
        return redirect("trading_staff:project", code=code)
    count = _int(request.POST.get("count"), 0) or None
    return _act(
        request, lambda u: services.invitations_make(actor=u, project=project, companies=companies, count=count),
        _("The invitations are made."), "trading_staff:project", code,
    )  # fmt: skip


@require_POST
@staff_required
def criteria_set(request: HttpRequest, code: str) -> HttpResponse:
    """评分因素 of a draft, one row per criterion (empty rows skipped); the service checks the total."""
    project = selectors.project_for_staff(acting_user(request), code)
    post = request.POST
    rows = zip(post.getlist("name")[:MAX_CRITERIA], post.getlist("kind"), post.getlist("points"), strict=False)
    criteria = [services.CriterionIn(n, k[:16], p[:12]) for n, k, p in rows if n.strip() or p.strip()]
    return _act(
        request, lambda u: services.criteria_set(actor=u, project=project, criteria=criteria),
        _("The scoring criteria are saved."), "trading_staff:project", code,
    )  # fmt: skip


@require_POST
@staff_required
def evaluation_start(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_for_staff(acting_user(request), code)
    return _act(
        request, lambda u: services.evaluation_start(actor=u, project=project),
        _("The evaluation has started; the committee's names are released."), "trading_staff:project", code,
    )  # fmt: skip


@require_POST
@staff_required
def evaluation_report(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_for_staff(acting_user(request), code)
    return _act(
        request, lambda u: services.evaluation_report(actor=u, project=project),
        _("The evaluation report is made; each member signs it next."), "trading_staff:project", code,
    )  # fmt: skip


@require_POST
@staff_required
def candidates_publish(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_for_staff(acting_user(request), code)
    return _act(
        request, lambda u: services.candidates_publish(actor=u, project=project),
        _("The candidates are published for at least 3 days (招标投标法实施条例 §54)."), "trading_staff:project", code,
    )  # fmt: skip


# --- the tenderer --------------------------------------------------------------------------------------


@require_POST
@login_required
def award(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """定标 by the tenderer, after the candidates' publicity."""
    candidate = selectors.candidate_get(candidate_id)
    return _act(
        request, lambda u: services.award(actor=u, candidate=candidate),
        _("The award is recorded."), "trading:project", candidate.project.code,
    )  # fmt: skip


@require_POST
@login_required
def award_void(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """The tenderer records that its winner declined or refuses the contract (招标投标法实施条例 §74)."""
    candidate = selectors.candidate_get(candidate_id)
    reason = request.POST.get("reason", "")[:400]
    return _act(
        request, lambda u: services.award_void(actor=u, candidate=candidate, reason=reason),
        _("The award is void and the winner's security forfeited; award the next candidate."), "trading:project",
        candidate.project.code,
    )  # fmt: skip


@require_POST
@login_required
def contract(request: HttpRequest, code: str) -> HttpResponse:
    """合同 recorded by the tenderer (招标投标法 §46)."""
    project = selectors.project_published(code)
    try:
        signed_on = date.fromisoformat(request.POST.get("signed_on", "").strip()[:10])
    except ValueError:
        messages.error(request, _("Write the date like 2026-01-31."))
        return redirect("trading:project", code=project.code)
    amount = request.POST.get("amount", "").strip()[:32]
    lot = project.lots.filter(number=_int(request.POST.get("lot"), 0)).first() if request.POST.get("lot") else None
    return _act(
        request,
        lambda u: services.contract_sign(actor=u, project=project, amount=amount, signed_on=signed_on, lot=lot),
        _("The contract is recorded."), "trading:project", project.code,
    )  # fmt: skip
