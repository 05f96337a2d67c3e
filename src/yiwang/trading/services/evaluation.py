"""评标 and what follows it, to the report's publication or delivery (docs/trading.md §3, §4); the award
and the contract are ``services.award``'s.

The criteria of 综合评分法 are set with the documents; the evaluation starts once the committee drawn
is complete (names released then); each expert scores each opened bid on its own; the report ranks at
most three candidates per lot (招标投标法实施条例 §53), flags scores far from the committee's mean,
and is signed by every member; the candidates are published within 3 days for at least 3
(§54), objections to them block the award; a state-funded project takes the first candidate (§55);
the contract follows the award within 30 days and may not depart from the winning bid (招标投标法
§46)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.fields import Problem, choice_problems, text_problems
from yiwang.trading import rules
from yiwang.trading.envelope import canonical
from yiwang.trading.models import (
    Bid,
    BidStatus,
    Candidate,
    Criterion,
    CriterionKind,
    Draw,
    DrawPick,
    EvaluationMethod,
    PickStatus,
    ProjectKind,
    ProjectStatus,
    QuoteRound,
    ReportSignature,
    Score,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of
from yiwang.trading.selectors import final_prices
from yiwang.trading.selectors import quote_round_open as open_round
from yiwang.trading.services._common import event_record, operator_authorize, project_locked, stamp
from yiwang.trading.services.securities import (
    end_release,
    lots_release,
)
from yiwang.trading.workflow import PROJECT

if TYPE_CHECKING:
    from yiwang.accounts.models import User

FULL_MARKS = Decimal(100)
OUTLIER_SHARE = Decimal("0.3")  # a score this share of the criterion's maximum away from the mean is flagged
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CriterionIn:
    name: str
    kind: str
    max_score: Decimal | str


def _points(value: Decimal | str, field: str, most: Decimal) -> tuple[list[Problem], Decimal]:
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        return [(field, _("Enter points as a number."))], Decimal(0)
    if not points.is_finite() or points < 0 or points > most or points != points.quantize(CENT):
        return [(field, _("Points are between 0 and %(most)s, at most two decimals.") % {"most": most})], Decimal(0)
    return [], points


@transaction.atomic
def criteria_set(*, actor: User, project: TradingProject, criteria: list[CriterionIn]) -> list[Criterion]:
    """评分因素 before the notice: 100 points in all, one price factor (综合评分法)."""
    operator_authorize(actor, project)
    project = project_locked(project)
    if project.status != ProjectStatus.DRAFT:
        raise Conflict(_("The criteria are set before the notice is published."), code="project_status")
    problems: list[Problem] = []
    clean: list[tuple[str, str, Decimal]] = []
    for n, criterion in enumerate(criteria, start=1):
        field = f"criteria[{n}]"
        problems += text_problems(criterion.name, f"{field}.name", max_length=100, required=True)
        problems += choice_problems(criterion.kind, f"{field}.kind", CriterionKind.values)
        more, points = _points(criterion.max_score, f"{field}.max_score", FULL_MARKS)
        problems += more
        clean.append((criterion.name.strip(), criterion.kind, points))
    if not problems and project.evaluation_method == EvaluationMethod.SCORING:
        if sum(points for _n, _k, points in clean) != FULL_MARKS:
            problems.append(("criteria", _("The criteria add up to 100 points.")))
        if sum(1 for _n, kind, _p in clean if kind == CriterionKind.PRICE) != 1:
            problems.append(("criteria", _("Comprehensive scoring has one price criterion.")))
    raise_problems(problems)
    Criterion.objects.filter(project=project).delete()
    made = Criterion.objects.bulk_create(
        Criterion(project=project, order=n, name=name, kind=kind, max_score=points)
        for n, (name, kind, points) in enumerate(clean, start=1)
    )
    audit_record(actor=actor, action="trading.criteria_set", target=project, changes={"criteria": len(made)})
    return made


def _committee(project: TradingProject) -> list[DrawPick]:
    return list(
        DrawPick.objects.filter(draw__project=project, status=PickStatus.CONFIRMED).select_related("expert__user")
    )


@transaction.atomic
def evaluation_start(*, actor: User, project: TradingProject) -> TradingProject:
    """评标开始: the committee drawn is complete; its names are released to the centre's pages."""
    operator_authorize(actor, project)
    project = project_locked(project)
    draws = list(Draw.objects.filter(project=project))
    needed = sum(draw.count for draw in draws)
    confirmed = len(_committee(project))
    if not draws or confirmed < needed:
        raise Conflict(
            _("The committee is not complete: %(n)d of %(needed)d experts have confirmed.")
            % {"n": confirmed, "needed": needed},
            code="committee_incomplete",
        )
    before = project.status
    project.status = PROJECT.target(project.status, "evaluate")
    project.save(update_fields=["status"])
    Draw.objects.filter(project=project).update(names_released_at=timezone.now())
    event_record(project, "evaluate", actor=actor, before=before)
    audit_record(actor=actor, action="trading.evaluation_start", target=project)
    return project


def _member(actor: User, project: TradingProject) -> DrawPick:
    member = DrawPick.objects.filter(draw__project=project, status=PickStatus.CONFIRMED, expert__user=actor).first()
    if member is None:
        raise PermissionDenied(_("Only the committee's experts score the bids."), code="not_a_member")
    return member


def _evaluated_bids(project: TradingProject) -> list[Bid]:
    return list(
        Bid.objects.filter(project=project, status=BidStatus.OPENED, lot__failed=False).select_related("lot", "bidder")
    )


@transaction.atomic
def scores_submit(*, actor: User, bid: Bid, points: dict[int, Decimal | str]) -> list[Score]:
    """One expert's scores of one bid, every non-price criterion, each within its range; given again
    until the report, they replace the earlier ones."""
    project = project_locked(bid.project)
    if project.status != ProjectStatus.EVALUATING:
        raise Conflict(_("Bids are scored during the evaluation."), code="project_status")
    member = _member(actor, project)
    bid = Bid.objects.select_related("lot").get(pk=bid.pk)
    if bid.status != BidStatus.OPENED or bid.lot.failed:
        raise Conflict(_("Only opened bids are scored."), code="bid_status")
    criteria = [c for c in Criterion.objects.filter(project=project) if c.kind != CriterionKind.PRICE]
    problems: list[Problem] = []
    clean: dict[int, Decimal] = {}
    for criterion in criteria:
        field = f"points[{criterion.pk}]"
        if criterion.pk not in points:
            problems.append((field, _("Score %(name)s.") % {"name": criterion.name}))
            continue
        more, value = _points(points[criterion.pk], field, criterion.max_score)
        problems += more
        clean[criterion.pk] = value
    unknown = set(points) - {c.pk for c in criteria}
    if unknown:
        problems.append(("points", _("A criterion of another project, or the computed price, cannot be scored.")))
    if problems:
        raise ValidationFailed(
            code="score_out_of_range", details={"errors": [{"field": f, "message": m} for f, m in problems]}
        )
    Score.objects.filter(pick=member, bid=bid).delete()
    scores = Score.objects.bulk_create(
        Score(pick=member, bid=bid, criterion_id=pk, points=value) for pk, value in clean.items()
    )
    audit_record(actor=actor, action="trading.scores_submit", target=bid, changes={"criteria": len(scores)})
    return scores


def _price_points(bids: list[Bid], most: Decimal) -> dict[int, Decimal]:
    """基准价法: the lowest valid price scores full marks, each other price in proportion."""
    lowest = min((b.price for b in bids if b.price), default=None)
    if lowest is None:
        return {b.pk: Decimal(0) for b in bids}
    return {b.pk: (most * lowest / b.price).quantize(CENT) if b.price else Decimal(0) for b in bids}


@transaction.atomic
def evaluation_report(*, actor: User, project: TradingProject) -> list[Candidate]:
    """评标报告: every member has scored every opened bid; totals averaged over the members, price
    points computed, at most three candidates per lot ranked; far-off scores flagged."""
    operator_authorize(actor, project)
    project = project_locked(project)
    PROJECT.require(project.status, "report")
    committee = _committee(project)
    bids = _evaluated_bids(project)
    finals = final_prices(project)
    if finals is not None:  # the negotiating methods rank the last round's final quotes
        if open_round(project) is not None or not QuoteRound.objects.filter(project=project).exists():
            raise Conflict(
                _("The report follows a concluded round of final quotes (政府采购法 §38(5))."),
                code="final_quotes_missing",
            )
        bids = [b for b in bids if b.pk in finals]
        for b in bids:
            b.price = finals[b.pk]  # evaluated at the final quote; the stored bid keeps its first price
    criteria = list(Criterion.objects.filter(project=project))
    scored = [c for c in criteria if c.kind != CriterionKind.PRICE]
    scores = list(Score.objects.filter(bid__in=bids, pick__in=committee))
    expected = len(committee) * len(bids) * len(scored)
    if len(scores) < expected:
        raise Conflict(
            _("%(n)d scores of %(expected)d are in: every member scores every bid.")
            % {"n": len(scores), "expected": expected},
            code="scores_missing",
        )
    by_cell: dict[tuple[int, int], list[Score]] = defaultdict(list)
    for score in scores:
        by_cell[(score.bid_id, score.criterion_id)].append(score)
    most = {c.pk: c.max_score for c in criteria}
    flagged = []
    for (_bid, criterion), cell in by_cell.items():
        mean = sum((s.points for s in cell), Decimal(0)) / len(cell)
        for score in cell:
            if len(cell) > 1 and abs(score.points - mean) > OUTLIER_SHARE * most[criterion]:
                flagged.append(score.pk)
    Score.objects.filter(pk__in=flagged).update(outlier=True)
    price = next((c for c in criteria if c.kind == CriterionKind.PRICE), None)
    candidates: list[Candidate] = []
    results = []
    procedure = procedure_of(project.method)
    short_lots = []
    for lot in {b.lot for b in _evaluated_bids(project)}:
        lot_bids = [b for b in bids if b.lot_id == lot.pk]
        if finals is not None and len(lot_bids) < procedure.min_responses:
            short_lots.append(lot)  # too few final quotes: the lot fails (财政部令第74号 §33)
            continue
        if project.evaluation_method == EvaluationMethod.SCORING:
            price_points = _price_points(lot_bids, price.max_score) if price else {}
            members = Decimal(max(len(committee), 1))
            totals = {
                b.pk: (
                    sum((s.points for s in scores if s.bid_id == b.pk), Decimal(0)) / members
                    + price_points.get(b.pk, Decimal(0))
                ).quantize(CENT)
                for b in lot_bids
            }
            ranked = sorted(lot_bids, key=lambda b: (-totals[b.pk], b.price or 0, b.submitted_at))
        else:  # 经评审的最低投标价法
            totals = {}
            ranked = sorted(lot_bids, key=lambda b: (b.price or 0, b.submitted_at))
        for rank, bid in enumerate(ranked[: rules.MAX_CANDIDATES], start=1):
            candidates.append(
                Candidate(project=project, lot=lot, bid=bid, rank=rank, total=totals.get(bid.pk), price=bid.price)
            )
        results.append(
            {
                "lot": lot.number,
                "bids": [
                    {"bidder": b.bidder.credit_code, "price": str(b.price), "total": str(totals.get(b.pk, ""))}
                    for b in ranked
                ],
            }
        )
    Candidate.objects.filter(project=project).delete()
    Candidate.objects.bulk_create(candidates)
    now = timezone.now()
    report = {
        "project": project.code,
        "method": project.evaluation_method,
        "committee": len(committee),
        "outliers": len(flagged),
        "lots": sorted(results, key=lambda r: int(str(r["lot"]))),
        "reported_at": stamp(now),
    }
    for lot in short_lots:
        lot.failed = True
        lot.save(update_fields=["failed"])
    if short_lots:
        lots_release(short_lots)
        report["failed_lots"] = sorted(lot.number for lot in short_lots)
    before = project.status
    project.report, project.reported_at = canonical(report).decode(), now
    target = ProjectStatus.REPORTED if candidates else ProjectStatus.FAILED
    project.status = PROJECT.target(project.status, "report", to=target)
    project.save(update_fields=["report", "reported_at", "status"])
    if not candidates:
        end_release(project)
    if candidates:
        event_record(project, "report", actor=actor, before=before, note=f"{len(candidates)}")
    else:  # too few final quotes in every lot (财政部令第74号 §33): published as the tender's failure
        short = _("Too few final quotes.") if finals is not None else _("Too few bids: no opening.")
        event_record(project, "fail", actor=actor, before=before, note=short)
    audit_record(actor=actor, action="trading.evaluation_report", target=project, changes={"outliers": len(flagged)})
    return candidates


@transaction.atomic
def report_sign(*, actor: User, project: TradingProject, dissent: str = "") -> ReportSignature:
    """A member signs the report as it stands (its SM3 kept with the signature). A member who disagrees
    states the dissent and its reasons in writing with the signature, published beside the report (招标投标法
    实施条例 §53); the report's text, which every member signs, stays as made."""
    raise_problems(text_problems(dissent, "dissent", max_length=2000, multiline=True))
    project = project_locked(project)
    if project.status != ProjectStatus.REPORTED:
        raise Conflict(
            _("The report is signed once it is made and before the candidates are published."), code="project_status"
        )
    member = _member(actor, project)
    signature, created = ReportSignature.objects.get_or_create(
        project=project,
        pick=member,
        defaults={"report_sm3": sm3_hex(project.report.encode()), "dissent": dissent.strip()},
    )
    if not created:
        return signature  # signed once; a second click changes nothing
    audit_record(
        actor=actor, action="trading.report_sign", target=project, changes={"dissent": bool(signature.dissent)}
    )
    return signature


@transaction.atomic
def candidates_publish(*, actor: User, project: TradingProject) -> TradingProject:
    """中标候选人公示 (招标投标法实施条例 §54): once every member has signed; published for at least 3
    days. Published later than 3 days after the report, the lateness is recorded for the supervisor."""
    operator_authorize(actor, project)
    project = project_locked(project)
    if project.kind == ProjectKind.PROCUREMENT:
        raise Conflict(
            _("A procurement delivers its report to the purchaser instead (政府采购法实施条例 §43)."),
            code="procurement_delivers",
        )
    PROJECT.require(project.status, "publicise")
    _signed_by_all(project)
    now = timezone.now()
    assert project.reported_at is not None
    late = now > rules.candidates_publish_by(project.reported_at)
    before = project.status
    project.status = PROJECT.target(project.status, "publicise")
    project.publicity_from, project.publicity_until = now, rules.candidates_publicity_ends(now)
    project.save(update_fields=["status", "publicity_from", "publicity_until"])
    event_record(project, "publicise", actor=actor, before=before, note="late" if late else "")
    audit_record(actor=actor, action="trading.candidates_publish", target=project, changes={"late": late})
    return project


def _signed_by_all(project: TradingProject) -> None:
    unsigned = len(_committee(project)) - ReportSignature.objects.filter(project=project).count()
    if unsigned > 0:
        raise Conflict(_("%(n)d members have not signed the report.") % {"n": unsigned}, code="report_unsigned")


@transaction.atomic
def report_deliver(*, actor: User, project: TradingProject) -> TradingProject:
    """评审报告送交采购人 (政府采购法实施条例 §43): once every member has signed, within 2 working days of
    the evaluation's end; the purchaser then decides within 5 working days. Later than the law allows,
    the step is recorded as late for the supervisor."""
    operator_authorize(actor, project)
    project = project_locked(project)
    if project.kind != ProjectKind.PROCUREMENT:
        raise Conflict(_("A tender publishes its candidates (招标投标法实施条例 §54)."), code="tender_publicises")
    PROJECT.require(project.status, "deliver")
    _signed_by_all(project)
    now = timezone.now()
    assert project.reported_at is not None
    late = now > rules.working_days_after(project.reported_at, rules.REPORT_WORKING_DAYS)
    before = project.status
    project.status = PROJECT.target(project.status, "deliver")
    project.delivered_at = now
    project.save(update_fields=["status", "delivered_at"])
    event_record(project, "deliver", actor=actor, before=before, note="late" if late else "")
    audit_record(actor=actor, action="trading.report_deliver", target=project, changes={"late": late})
    return project
