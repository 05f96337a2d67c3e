"""电子监察's sweep: every open case measured against its deadline and its steps, every recent refusal
against its stated reason; a yellow or red card per rule and basis (docs/hall.md §4). The sweep runs
every ten minutes and may run again at any time: a card is issued once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.oversight.models import Card, CardRuleCode
from yiwang.oversight.rules import Rule, effective_rules


@dataclass
class SweepReport:
    issued: dict[str, int] = field(default_factory=dict)

    def add(self, rule: str) -> None:
        self.issued[rule] = self.issued.get(rule, 0) + 1


def _issue(case: Any, rule: Rule, basis: str, detail: str, now: datetime, report: SweepReport) -> None:
    try:
        with transaction.atomic():
            card = Card.objects.create(
                case=case, rule=rule.code, colour=rule.colour, basis=basis[:40], department_id=case.department_id,
                region_id=case.region_id, window_id=case.window_id, detail=detail[:300], issued_at=now,
            )  # fmt: skip
    except IntegrityError:
        return  # issued by an earlier sweep
    report.add(rule.code)
    from yiwang.audit.services import audit_record

    audit_record(actor=None, action="oversight.card", target=card, changes={"rule": [None, rule.code]})


def oversee(now: datetime | None = None) -> SweepReport:
    """One sweep of every rule that is on."""
    from yiwang.calendar.workdays import add_working_days
    from yiwang.cases.models import OPEN_STATUSES, Case, CaseStatus, Decision, ReviewTask, TaskState

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rules = effective_rules()
    report = SweepReport()
    fields = ("pk", "number", "department_id", "region_id", "window_id", "due_on")
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES, due_on__isnull=False).only(*fields)

    rule = rules[CardRuleCode.OVERDUE]
    if rule.active:
        for case in open_cases.filter(due_on__lt=today - timedelta(days=rule.threshold)).iterator():
            due = str(case.due_on)
            _issue(case, rule, f"due:{due}", _("Due on %(due)s and not concluded.") % {"due": due}, now, report)

    rule = rules[CardRuleCode.NEAR_DEADLINE]
    if rule.active:
        horizon = add_working_days(today, rule.threshold).date
        for case in open_cases.filter(due_on__gte=today, due_on__lte=horizon).iterator():
            due = str(case.due_on)
            _issue(case, rule, f"due:{due}", _("Due on %(due)s.") % {"due": due}, now, report)

    rule = rules[CardRuleCode.STEP_OVERRUN]
    if rule.active:
        # A step started more than ``threshold`` working days ago: the earliest start that is still fine.
        earliest = _working_days_back(today, rule.threshold)
        tasks = ReviewTask.objects.filter(
            state=TaskState.OPEN, started_at__lt=timezone.make_aware(datetime.combine(earliest, datetime.min.time())),
            case__status__in=OPEN_STATUSES,
        ).select_related("case")  # fmt: skip
        for task in tasks.iterator():
            detail = _("Step %(step)s open since %(since)s.") % {
                "step": task.name, "since": timezone.localtime(task.started_at).strftime("%Y-%m-%d"),
            }  # fmt: skip
            _issue(task.case, rule, f"task:{task.pk}", detail, now, report)

    rule = rules[CardRuleCode.REFUSAL_WITHOUT_REASON]
    if rule.active:
        # 行政许可法 §32 (不予受理 with a written notice) and §38 (a refusal gives its reasons).
        recent = now - timedelta(days=7)
        refusals = Case.objects.filter(
            Q(status=CaseStatus.REFUSED, closed_at__gte=recent) | Q(decision=Decision.REJECT, decided_at__gte=recent)
        ).only(*fields, "status", "refusal_reason", "decision_basis", "decision")
        for case in refusals.iterator():
            reason = case.refusal_reason if case.status == CaseStatus.REFUSED else case.decision_basis
            if len(reason.strip()) < rule.threshold:
                _issue(
                    case,
                    rule,
                    "refusal",
                    _("Refused with the reason: %(reason)s") % {"reason": reason or "—"},
                    now,
                    report,
                )
    return report


def _working_days_back(day: Any, workdays: int) -> Any:
    from yiwang.calendar.workdays import is_working_day

    counted = 0
    while counted < workdays:
        day -= timedelta(days=1)
        counted += is_working_day(day)
    return day
