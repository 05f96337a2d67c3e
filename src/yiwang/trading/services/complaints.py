"""投诉: complaints to the supervising department and its decisions (招标投标法实施条例 §60–§62; 政府采购法
§55–§57; docs/trading.md §8). The supervisor — never the centre, never the tenderer — accepts, suspends
and decides."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.choices import AccountKind
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, PermissionDenied, raise_problems
from yiwang.core.fields import Problem, text_problems
from yiwang.core.uploads import upload_problem
from yiwang.trading import rules
from yiwang.trading.models import (
    Complaint,
    ComplaintOutcome,
    ComplaintStatus,
    ComplaintSubject,
    Objection,
    ProjectKind,
    ProjectStatus,
    TradingProject,
)
from yiwang.trading.selectors import quote_round_open, supervises
from yiwang.trading.services._common import event_record, project_locked
from yiwang.trading.workflow import COMPLAINT

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from yiwang.accounts.models import User

_BEING_HANDLED = (ComplaintStatus.FILED, ComplaintStatus.ACCEPTED)
# Matters on which the tenderer hears an objection before the supervisor hears a complaint (§60 ¶2).
_OBJECTION_FIRST: dict[str, str] = {
    ComplaintSubject.DOCUMENTS: "documents",
    ComplaintSubject.OPENING: "opening",
    ComplaintSubject.CANDIDATES: "candidates",
}


def _supervisor_authorize(actor: User, project: TradingProject) -> None:
    """The project's supervising department handles its complaints (§61: the department that receives it);
    another department's supervisor, the centre and the tenderer do not (管办分离)."""
    if not supervises(actor, project):
        raise PermissionDenied(
            _("The project's supervising department handles its complaints."), code="not_the_supervisor"
        )


def complaint_due(project: TradingProject, known_on: date, objection: Objection | None) -> date:
    """The last day to complain. Tendering: 10 days from the day the complainant knew, the objection's
    answer period not counted (招标投标法实施条例 §60). Procurement: 15 working days after the challenge's
    answer period ends (政府采购法 §55)."""
    if project.kind == ProjectKind.PROCUREMENT:  # from the end of the answer's period, however early it came
        assert objection is not None
        return rules.working_day_due(timezone.localdate(objection.answer_due), rules.PROCUREMENT_COMPLAINT_WORKING_DAYS)
    if objection is not None:
        raised = timezone.localdate(objection.raised_at)
        answered = timezone.localdate(objection.answered_at or objection.answer_due)
    paused = (answered - raised).days if objection is not None else 0
    return known_on + timedelta(days=rules.COMPLAINT_DAYS + paused)


@transaction.atomic
def complaint_file(
    *,
    actor: User,
    project: TradingProject,
    subject: str,
    request: str,
    grounds: str,
    known_on: date,
    objection: Objection | None = None,
    evidence: UploadedFile[bytes] | None = None,
) -> Complaint:
    """A bidder or another interested party complains, with a clear request and its grounds (§60), within
    the window; where the law asks for an objection first, only after the tenderer answered it (or its
    time ran out)."""
    if actor.kind == AccountKind.STAFF:
        raise PermissionDenied(
            _("Complaints are filed by bidders and other interested parties."), code="staff_complains"
        )
    problems: list[Problem] = [
        *text_problems(request, "request", max_length=2000, required=True, multiline=True),
        *text_problems(grounds, "grounds", max_length=5000, required=True, multiline=True),
    ]
    if subject not in ComplaintSubject.values:
        problems.append(("subject", _("Choose what the complaint is about.")))
    if evidence is not None and (problem := upload_problem(evidence)):
        problems.append(("evidence", problem))
    today = timezone.localdate()
    if known_on > today:
        problems.append(("known_on", _("The day you learnt of it cannot be in the future.")))
    raise_problems(problems)
    project = project_locked(project, while_suspended=True)
    if project.published_at is None or project.status in (ProjectStatus.DRAFT, ProjectStatus.CANCELLED):
        raise Conflict(_("Only a published project can be complained of."), code="project_status")
    if known_on < timezone.localdate(project.published_at):
        raise_problems([("known_on", _("The day you learnt of it cannot be before the notice."))])
    procurement = project.kind == ProjectKind.PROCUREMENT
    if procurement or subject in _OBJECTION_FIRST:
        objection = _prior_objection(actor, project, subject, objection, procurement=procurement)
    else:
        objection = None
    due = complaint_due(project, known_on, objection)
    if today > due:
        raise Conflict(
            _("The time to complain ended on %(due)s (招标投标法实施条例 §60; 政府采购法 §55).") % {"due": due},
            code="complaint_late",
        )
    mine = Complaint.objects.filter(project=project, complainant=actor, subject=subject)
    if mine.filter(status__in=_BEING_HANDLED).exists():
        raise Conflict(_("Your complaint on this matter is still being handled."), code="complaint_open")
    complaint = Complaint(
        project=project,
        subject=subject,
        objection=objection,
        complainant=actor,
        request=request.strip(),
        grounds=grounds.strip(),
        known_on=known_on,
        filed_at=timezone.now(),
        accept_due=rules.working_day_due(today, rules.COMPLAINT_ACCEPT_WORKING_DAYS),
    )
    if evidence is not None:
        suffix = PurePath(evidence.name or "").suffix.lower()
        complaint.evidence.save(f"{project.code}-complaint{suffix}", evidence, save=False)
    complaint.save()
    event_record(project, "complaint", actor=None, before=project.status)  # the complainant is not published
    audit_record(actor=actor, action="trading.complaint_file", target=complaint, changes={"subject": subject})
    return complaint


def _prior_objection(
    actor: User, project: TradingProject, subject: str, objection: Objection | None, *, procurement: bool
) -> Objection:
    if objection is not None:  # as stored, not as the caller holds it
        objection = Objection.objects.filter(pk=objection.pk, project=project, raised_by=actor).first()
    if objection is None:
        raise Conflict(
            _(
                "Raise an objection with the tenderer first and complain once it is answered "
                "(招标投标法实施条例 §60; 政府采购法 §55)."
            ),
            code="objection_first",
        )
    if not procurement and objection.subject != _OBJECTION_FIRST[subject]:
        raise Conflict(_("The objection was about another matter."), code="objection_first")
    if objection.answered_at is None and timezone.now() < objection.answer_due:
        raise Conflict(
            _("The tenderer has until %(due)s to answer your objection.")
            % {"due": timezone.localtime(objection.answer_due).strftime("%Y-%m-%d %H:%M")},
            code="objection_pending",
        )
    return objection


def _handled(actor: User, complaint: Complaint, action: str) -> tuple[TradingProject, Complaint]:
    project = project_locked(complaint.project, while_suspended=True)
    _supervisor_authorize(actor, project)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    COMPLAINT.require(complaint.status, action)
    return project, complaint


@transaction.atomic
def complaint_accept(*, actor: User, complaint: Complaint) -> Complaint:
    """受理 within 3 working days of receipt; the written decision is due 30 working days later (§61)."""
    project, complaint = _handled(actor, complaint, "accept")
    now = timezone.now()
    complaint.status = COMPLAINT.target(complaint.status, "accept")
    complaint.accepted_at, complaint.handled_by = now, actor
    # 30 working days from acceptance (招标投标法实施条例 §61); in procurement from receipt (政府采购法 §56).
    since = timezone.localdate(complaint.filed_at if project.kind == ProjectKind.PROCUREMENT else now)
    complaint.decide_due = rules.working_day_due(since, rules.COMPLAINT_DECISION_WORKING_DAYS)
    complaint.save(update_fields=["status", "accepted_at", "handled_by", "decide_due"])
    event_record(project, "complaint_accept", actor=actor, before=project.status)
    audit_record(actor=actor, action="trading.complaint_accept", target=complaint)
    return complaint


@transaction.atomic
def complaint_refuse(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """不予受理, in writing with the reason (§61: and 驳回 of a complaint on fabricated facts)."""
    raise_problems(text_problems(reason, "reason", max_length=2000, required=True, multiline=True))
    project, complaint = _handled(actor, complaint, "refuse")
    complaint.status = COMPLAINT.target(complaint.status, "refuse")
    complaint.decision, complaint.decided_at, complaint.handled_by = reason.strip(), timezone.now(), actor
    complaint.save(update_fields=["status", "decision", "decided_at", "handled_by"])
    event_record(project, "complaint_refuse", actor=actor, before=project.status)
    audit_record(actor=actor, action="trading.complaint_refuse", target=complaint)
    _lift_when_settled(project, actor)
    return complaint


@transaction.atomic
def complaint_decide(*, actor: User, complaint: Complaint, outcome: str, decision: str) -> Complaint:
    """书面处理决定 (§61; 政府采购法 §56): upheld, partly upheld or dismissed, with its reasons; the
    suspension ends with the last complaint decided."""
    problems = text_problems(decision, "decision", max_length=5000, required=True, multiline=True)
    if outcome not in ComplaintOutcome.values:
        problems.append(("outcome", _("Choose the outcome.")))
    raise_problems(problems)
    project, complaint = _handled(actor, complaint, "decide")
    complaint.status = COMPLAINT.target(complaint.status, "decide")
    complaint.outcome, complaint.decision, complaint.decided_at = outcome, decision.strip(), timezone.now()
    complaint.handled_by = actor
    complaint.save(update_fields=["status", "outcome", "decision", "decided_at", "handled_by"])
    event_record(project, "complaint_decide", actor=actor, before=project.status, note=outcome)
    audit_record(actor=actor, action="trading.complaint_decide", target=complaint, changes={"outcome": outcome})
    _lift_when_settled(project, actor)
    return complaint


@transaction.atomic
def complaint_withdraw(*, actor: User, complaint: Complaint) -> Complaint:
    """The complainant withdraws before the decision."""
    if complaint.complainant_id != actor.pk:
        raise PermissionDenied(_("Only the complainant withdraws a complaint."), code="not_your_complaint")
    project = project_locked(complaint.project, while_suspended=True)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    complaint.status = COMPLAINT.target(complaint.status, "withdraw")
    complaint.decided_at = timezone.now()
    complaint.save(update_fields=["status", "decided_at"])
    event_record(project, "complaint_withdraw", actor=None, before=project.status)
    audit_record(actor=actor, action="trading.complaint_withdraw", target=complaint)
    _lift_when_settled(project, None)
    return complaint


@transaction.atomic
def project_suspend(*, actor: User, complaint: Complaint) -> TradingProject:
    """责令暂停 while a complaint is handled (招标投标法实施条例 §62); a procurement at most 30 days
    (政府采购法 §57), after which it runs again by itself."""
    project = project_locked(complaint.project, while_suspended=True)
    _supervisor_authorize(actor, project)
    complaint = Complaint.objects.get(pk=complaint.pk)
    if complaint.status not in _BEING_HANDLED:
        raise Conflict(_("Only a complaint being handled can suspend its project."), code="complaint_status")
    if project.status not in _SUSPENDABLE:
        raise Conflict(_("This project has no step left to suspend."), code="project_status")
    now = timezone.now()
    if project.suspended(now):
        raise Conflict(_("The project is already suspended."), code="project_suspended")
    _expired_counted(project, now)
    until: datetime | None = None
    if project.kind == ProjectKind.PROCUREMENT:  # 政府采购法 §57: thirty days in all, however many suspensions
        left = timedelta(days=rules.PROCUREMENT_SUSPENSION_DAYS) - project.suspension_used
        if left <= timedelta(0):
            raise Conflict(
                _("A procurement is suspended at most thirty days in all (政府采购法 §57)."), code="suspension_spent"
            )
        until = now + left
    project.suspended_at, project.suspended_until = now, until
    project.save(update_fields=["suspended_at", "suspended_until", "suspension_used"])
    event_record(project, "suspend", actor=actor, before=project.status)
    audit_record(actor=actor, action="trading.project_suspend", target=project, changes={"complaint": complaint.pk})
    return project


_SUSPENDABLE = {
    ProjectStatus.BIDDING,
    ProjectStatus.PAUSED,
    ProjectStatus.CLOSED,
    ProjectStatus.OPENED,
    ProjectStatus.EVALUATING,
    ProjectStatus.REPORTED,
    ProjectStatus.PUBLICITY,
    ProjectStatus.DELIVERED,
    ProjectStatus.AWARDED,
}


@transaction.atomic
def suspension_lift(*, actor: User, project: TradingProject) -> TradingProject:
    """The supervisor lets the project go on before the complaints are settled."""
    project = project_locked(project, while_suspended=True)
    _supervisor_authorize(actor, project)
    if not project.suspended():
        raise Conflict(_("The project is not suspended."), code="project_not_suspended")
    _lift(project, actor)
    return project


def _lift_when_settled(project: TradingProject, actor: User | None) -> None:
    if project.suspended() and not Complaint.objects.filter(project=project, status__in=_BEING_HANDLED).exists():
        _lift(project, actor)


def _expired_counted(project: TradingProject, now: datetime) -> None:
    """A suspension that ran out by itself (a procurement's thirty days) is counted and ended first."""
    if project.suspended_at is not None and not project.suspended(now):
        suspension_expire(project)


def _lift(project: TradingProject, actor: User | None, ended: datetime | None = None) -> None:
    """Ends the suspension (at ``ended``, by default now). While bids are taken, the time suspended is
    given back: the deadline moves by as much, so no bidder loses days it was kept from uploading."""
    assert project.suspended_at is not None
    span = (ended or timezone.now()) - project.suspended_at
    project.suspension_used += span
    project.suspended_at = project.suspended_until = None
    fields = ["suspended_at", "suspended_until", "suspension_used"]
    note = ""
    if project.status in (ProjectStatus.BIDDING, ProjectStatus.PAUSED) and project.bid_deadline is not None:
        project.bid_deadline = (project.bid_deadline + span).replace(microsecond=0)
        fields.append("bid_deadline")
        note = _("Bid deadline moved to %(deadline)s.") % {
            "deadline": timezone.localtime(project.bid_deadline).strftime("%Y-%m-%d %H:%M:%S")
        }
    quote_round = quote_round_open(project)
    if quote_round is not None:  # a round of final quotes gets its time back too, its window with it
        quote_round.deadline = (quote_round.deadline + span).replace(microsecond=0)
        quote_round.save(update_fields=["deadline"])
        note = _("Final quotes now due at %(deadline)s.") % {
            "deadline": timezone.localtime(quote_round.deadline).strftime("%Y-%m-%d %H:%M:%S")
        }
    project.save(update_fields=fields)
    event_record(project, "lift", actor=actor, before=project.status, note=note)
    audit_record(actor=actor, action="trading.suspension_lift", target=project, changes={"deadline": note})


def suspension_expire(project: TradingProject) -> None:
    """A procurement's suspension that ran out by itself ends as a lift would (called under the project's
    lock by the closing sweep before it looks at the deadline)."""
    if project.suspended_at is not None and not project.suspended():
        assert project.suspended_until is not None
        _lift(project, None, ended=project.suspended_until)
