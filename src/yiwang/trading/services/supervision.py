"""电子监管 (docs/trading.md §9): a sweep, every ten minutes, that reads the projects of the last year for
signs of collusion (围标串标: 招标投标法实施条例 §40 — identical sealed files, one address or device for
several bidders, prices identical or in a fixed ratio or step), experts drawn again and again for one
tenderer, and steps later than the law allows, and issues a yellow or red card (``Alert``) once per
project, rule and basis. The supervisor reads them on the project list and the oversight dashboard counts
them beside the hall's and the hotline's cards. Cards are signs to look into, not findings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.audit.services import audit_record
from yiwang.trading import rules
from yiwang.trading.models import (
    Alert,
    AlertColour,
    AlertRule,
    Bid,
    BidSecurity,
    BidStatus,
    Complaint,
    ComplaintStatus,
    DrawPick,
    Objection,
    PickStatus,
    ProjectEvent,
    ProjectKind,
    ProjectStatus,
    SecurityStatus,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of

LOOKBACK = timedelta(days=365)
REPEATED_EXPERT_TIMES = 3  # the same expert on this many of one tenderer's committees within a year
COLOURS: dict[str, str] = {
    AlertRule.SAME_DIGEST: AlertColour.RED,
    AlertRule.SAME_DEVICE: AlertColour.RED,
    AlertRule.SAME_ADDRESS: AlertColour.YELLOW,
    AlertRule.SAME_PRICE: AlertColour.YELLOW,
    AlertRule.PRICE_PATTERN: AlertColour.YELLOW,
    AlertRule.REPEATED_EXPERT: AlertColour.YELLOW,
    AlertRule.LATE_STEP: AlertColour.RED,
}


@dataclass
class SweepReport:
    issued: dict[str, int] = field(default_factory=dict)
    known: set[tuple[int, str, str]] = field(default_factory=set)  # the cards issued before, read once

    def add(self, rule: str) -> None:
        self.issued[rule] = self.issued.get(rule, 0) + 1


def _issue(project_id: int, rule: str, basis: str, detail: str, now: datetime, report: SweepReport) -> None:
    if (project_id, rule, basis[:80]) in report.known:
        return  # issued by an earlier sweep
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                project_id=project_id, rule=rule, colour=COLOURS[rule], basis=basis[:80], detail=detail[:300],
                issued_at=now,
            )  # fmt: skip
    except IntegrityError:
        return  # issued by an earlier sweep
    report.add(rule)
    audit_record(actor=None, action="trading.alert", target=alert, changes={"rule": [None, rule]})


def supervise(now: datetime | None = None) -> SweepReport:
    """One sweep of every rule; running it again issues nothing twice."""
    now = now or timezone.now()
    report = SweepReport()
    report.known = set(
        Alert.objects.filter(issued_at__gte=now - 2 * LOOKBACK).values_list("project_id", "rule", "basis")
    )
    recent = TradingProject.objects.filter(created_at__gte=now - LOOKBACK).exclude(
        status__in=(ProjectStatus.DRAFT, ProjectStatus.CANCELLED)
    )
    # Bids are read once the bids are closed: a card during bidding would tell the centre how many bid
    # (招标投标法 §22).
    bids = Bid.objects.filter(project__in=recent.exclude(status__in=(ProjectStatus.BIDDING, ProjectStatus.PAUSED)))
    _shared(bids, "ciphertext_sm3", AlertRule.SAME_DIGEST, now, report)
    _shared(bids.exclude(device=""), "device", AlertRule.SAME_DEVICE, now, report)
    _shared(bids.exclude(source_address=None), "source_address", AlertRule.SAME_ADDRESS, now, report)
    opened = bids.filter(status=BidStatus.OPENED, price__isnull=False)
    _shared(opened, "price", AlertRule.SAME_PRICE, now, report, by_lot=True)
    _patterns(opened, now, report)
    _repeated_experts(now, report)
    _late(recent, now, report)
    return report


def _shared(
    bids: QuerySet[Bid], column: str, rule: str, now: datetime, report: SweepReport, *, by_lot: bool = False
) -> None:
    """One value (a digest, a device, an address, a price) in the bids of different bidders."""
    keys = ["project", "lot", column] if by_lot else ["project", column]
    rows = bids.order_by().values(*keys).annotate(bidders=Count("bidder", distinct=True)).filter(bidders__gt=1)
    for row in rows:
        value = str(row[column])
        detail = _("%(n)d bidders share %(what)s %(value)s.") % {
            "n": row["bidders"], "what": _WHAT[rule], "value": value,
        }  # fmt: skip
        basis = f"{row['lot']}:{value}" if by_lot else value
        _issue(row["project"], rule, basis, detail, now, report)


_WHAT: dict[str, Any] = {
    AlertRule.SAME_DIGEST: gettext_lazy("the sealed file digest"),
    AlertRule.SAME_DEVICE: gettext_lazy("the device digest"),
    AlertRule.SAME_ADDRESS: gettext_lazy("the address"),
    AlertRule.SAME_PRICE: gettext_lazy("the price"),
}


def fixed_pattern(prices: list[Decimal]) -> str:
    """``step`` when three or more distinct prices, in order, rise by one step (to the fen); ``ratio`` when
    each stands in one ratio to the next (within the fen's rounding); else ``""``."""
    values = sorted(set(prices))
    if len(values) < 3 or values[0] <= 0:
        return ""
    steps = [b - a for a, b in pairwise(values)]
    if max(steps) - min(steps) <= Decimal("0.01"):
        return "step"
    ratios = [b / a for a, b in pairwise(values)]
    if max(ratios) - min(ratios) <= Decimal("0.02") / values[0]:  # a fen's rounding at each end
        return "ratio"
    return ""


def _patterns(opened: QuerySet[Bid], now: datetime, report: SweepReport) -> None:
    by_lot: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for project_id, lot_id, price in opened.order_by().values_list("project", "lot", "price"):
        if price is not None:
            by_lot[(project_id, lot_id)].append(price)
    for (project_id, lot_id), prices in by_lot.items():
        kind = fixed_pattern(prices)
        if kind:
            shown = ", ".join(str(p) for p in sorted(prices))
            detail = (
                _("The prices stand in one ratio: %(prices)s.")
                if kind == "ratio"
                else _("The prices rise by one step: %(prices)s.")
            ) % {"prices": shown}
            _issue(project_id, AlertRule.PRICE_PATTERN, f"{lot_id}:{kind}", detail, now, report)


def _repeated_experts(now: datetime, report: SweepReport) -> None:
    """An expert confirmed on ``REPEATED_EXPERT_TIMES`` or more committees of one tenderer within a year;
    the card goes on the latest of those projects."""
    picks = DrawPick.objects.filter(status=PickStatus.CONFIRMED, draw__drawn_at__gte=now - LOOKBACK).order_by()
    rows = (
        picks.values("expert", "draw__project__tenderer_department", "draw__project__tenderer_company")
        .annotate(projects=Count("draw__project", distinct=True))
        .filter(projects__gte=REPEATED_EXPERT_TIMES)
    )
    for row in rows:
        same_tenderer = picks.filter(
            expert=row["expert"],
            draw__project__tenderer_department=row["draw__project__tenderer_department"],
            draw__project__tenderer_company=row["draw__project__tenderer_company"],
        )
        latest = same_tenderer.order_by("-draw__drawn_at").values_list("draw__project", flat=True).first()
        assert latest is not None
        detail = _("Expert no. %(expert)s sat on %(n)d committees of this tenderer within a year.") % {
            "expert": row["expert"], "n": row["projects"],
        }  # fmt: skip
        _issue(latest, AlertRule.REPEATED_EXPERT, f"expert:{row['expert']}:{row['projects']}", detail, now, report)


def _suspended(project: TradingProject, now: datetime) -> timedelta:
    """The time the project has been suspended, ended suspensions and one that ran out by itself."""
    ran_out = timedelta(0)
    if project.suspended_at is not None and project.suspended_until is not None and project.suspended_until <= now:
        ran_out = project.suspended_until - project.suspended_at
    return project.suspension_used + ran_out


def _late(recent: QuerySet[TradingProject], now: datetime, report: SweepReport) -> None:
    """Steps later than the law allows: candidates published, a report delivered, an award decided or a
    contract signed late (the step says so itself), an objection unanswered after 3 days (§22, §54), a
    complaint not accepted or not decided in time (§61), a security not refunded in 5 days (§57), candidates
    not published 3 days after the report, a procurement's report not delivered in 2 working days or not
    decided in 5 (政府采购法实施条例 §43), a contract not signed 30 days after the award, and a response
    period shorter than the method's (招标投标法 §24 and docs/trading.md §4a: refused at publication, so a
    card here means the row was written some other way)."""
    today = timezone.localdate(now)
    found: list[tuple[int, str, str]] = []
    late = Q(note="late") | Q(note__startswith="late · ")  # the award's note keeps the winner's name
    for event in ProjectEvent.objects.filter(late, project__in=recent).only("project_id", "action"):
        found.append((event.project_id, event.action, _("%(step)s later than the law allows.") % {"step": event.label}))
    overdue = Q(answered_at__isnull=True, answer_due__lt=now) | Q(answered_at__gt=F("answer_due"))
    for objection in Objection.objects.filter(overdue, project__in=recent).only("pk", "project_id", "answer_due"):
        due = timezone.localtime(objection.answer_due).strftime("%Y-%m-%d %H:%M")
        text = _("An objection's answer was due at %(due)s.") % {"due": due}
        found.append((objection.project_id, f"objection:{objection.pk}", text))
    for complaint in Complaint.objects.filter(status=ComplaintStatus.FILED, accept_due__lt=today):
        text = _("A complaint was to be accepted or not by %(due)s.") % {"due": complaint.accept_due}
        found.append((complaint.project_id, f"complaint-accept:{complaint.pk}", text))
    for complaint in Complaint.objects.filter(status=ComplaintStatus.ACCEPTED, decide_due__lt=today):
        text = _("A complaint's decision was due on %(due)s.") % {"due": complaint.decide_due}
        found.append((complaint.project_id, f"complaint-decide:{complaint.pk}", text))
    securities = BidSecurity.objects.filter(status=SecurityStatus.HELD, refund_due__lt=today).select_related("lot")
    for security in securities:
        text = _("A bid security was to be refunded by %(due)s.") % {"due": security.refund_due}
        found.append((security.lot.project_id, f"refund:{security.pk}", text))
    # The time the supervisor kept the project suspended is not the centre's or the tenderer's delay.
    procurement = Q(kind=ProjectKind.PROCUREMENT)
    limits: tuple[tuple[QuerySet[TradingProject], str, str, Callable[[datetime], datetime], str], ...] = (
        (recent.filter(~procurement, status=ProjectStatus.REPORTED), "reported_at", "publicise",
         lambda since: since + timedelta(days=rules.CANDIDATES_PUBLISH_DAYS),
         _("The candidates were to be published within 3 days of the report.")),
        # 政府采购法实施条例 §43: the report to the purchaser in 2 working days, the decision in 5.
        (recent.filter(procurement, status=ProjectStatus.REPORTED), "reported_at", "deliver",
         lambda since: rules.working_days_after(since, rules.REPORT_WORKING_DAYS),
         _("The report was to be delivered to the purchaser within 2 working days.")),
        (recent.filter(procurement, status=ProjectStatus.DELIVERED), "delivered_at", "award",
         lambda since: rules.working_days_after(since, rules.DECISION_WORKING_DAYS),
         _("The purchaser was to decide within 5 working days of receiving the report.")),
        (recent.filter(status=ProjectStatus.AWARDED), "awarded_at", "contract",
         lambda since: since + timedelta(days=rules.CONTRACT_DAYS),
         _("The contract was to be signed within 30 days of the award.")),
    )  # fmt: skip
    for waiting, since, basis, deadline_of, text in limits:
        fields = ("pk", since, "suspended_at", "suspended_until", "suspension_used")
        for project in waiting.filter(**{f"{since}__isnull": False, f"{since}__lt": now}).only(*fields):
            if not project.suspended(now) and deadline_of(getattr(project, since)) + _suspended(project, now) < now:
                found.append((project.pk, basis, text))
    published = recent.filter(documents_from__isnull=False, bid_deadline__isnull=False)
    rows = published.values_list("pk", "method", "documents_from", "bid_deadline")
    for pk, method, documents_from, deadline in rows:
        assert documents_from is not None and deadline is not None
        procedure = procedure_of(method)
        if procedure.tender and (missing := rules.bidding_period_shortfall(documents_from, deadline)):
            text = _("The bidding period is %(n)d days short of the 20 the law requires (招标投标法 §24).")
            found.append((pk, "period", text % {"n": missing}))
        elif not procedure.tender and (missing := rules.response_period_shortfall(procedure, documents_from, deadline)):
            text = _("The time to respond is %(n)d days short of what the law requires (%(article)s).")
            found.append((pk, "period", text % {"n": missing, "article": procedure.response_article}))
    for project_id, basis, detail in found:
        _issue(project_id, AlertRule.LATE_STEP, basis, detail, now, report)
