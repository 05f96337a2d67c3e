"""差评整改 and 申诉复核 (evaluation.md; docs/hall.md §3).

Every 差评 opens a remediation for the department that handled the service (谁办理谁负责), with due
times in working days from the settings: contact and verify (安阳 §52: 1), feedback to the rater (德州:
5), remedy (15). The department contacts the rater and chooses the handling — 立行立改, 限期整改 or
解释说明 —, gives feedback, remedies (限期整改); the centre's return visit closes it. A department
holding a rating mistaken or malicious appeals, with its reason; the centre reviews: upheld removes the
rating (the reason kept), rejected returns the remediation to where it was."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, raise_problems
from yiwang.evaluation.models import (
    Appeal,
    AppealStatus,
    Rating,
    Remediation,
    RemediationEvent,
    RemediationMode,
    RemediationStatus,
)
from yiwang.evaluation.workflow import APPEAL_WORKFLOW, CENTRE_ROLES, DEPARTMENT_ROLES, RATING_WORKFLOW, WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User

MIN_REASON = 10  # an appeal or a review says why, in a sentence


def _due(start: datetime, workdays: int) -> datetime:
    """The end of the ``workdays``-th working day after ``start``'s day."""
    from yiwang.calendar.workdays import add_working_days

    day = add_working_days(timezone.localtime(start).date(), workdays).date
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def remediation_open(rating: Rating, now: datetime | None = None) -> Remediation:
    """In the rating's transaction: the 差评's remediation item, or the one it already has."""
    existing = Remediation.objects.filter(rating=rating).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    remediation = Remediation.objects.create(
        rating=rating, department=rating.department, region=rating.region, opened_at=now,
        contact_due=_due(now, settings.YIWANG_REMEDIATION_CONTACT_DAYS),
        feedback_due=_due(now, settings.YIWANG_REMEDIATION_FEEDBACK_DAYS),
        fix_due=_due(now, settings.YIWANG_REMEDIATION_FIX_DAYS),
    )  # fmt: skip
    _event(remediation, None, "open", "")
    _notify_department(remediation)
    return remediation


def remediation_withdrawn(rating: Rating, *, actor: User | None) -> None:
    """The rater amended a 差评 into a good rating: its open remediation is closed as such."""
    remediation = Remediation.objects.select_for_update().filter(rating=rating).first()
    if remediation is None or not WORKFLOW.allows(remediation.status, "withdrawn"):
        return
    old = remediation.status
    remediation.status, remediation.closed_at = WORKFLOW.target(old, "withdrawn"), timezone.now()
    remediation.return_note = _("The rater amended the rating.")
    remediation.save(update_fields=["status", "closed_at", "return_note"])
    _event(remediation, actor, "withdrawn", old)


def _notify_department(remediation: Remediation) -> None:
    from yiwang.accounts.selectors import users_with_role
    from yiwang.notifications.services import notify

    if remediation.department is None:
        return
    for user in users_with_role(roles={Role.DEPT_HEAD, Role.DEPT_ADMIN}, department=remediation.department)[:20]:
        notify(
            recipient=user,
            template="evaluation.bad_rating",
            context={
                "due": timezone.localtime(remediation.contact_due).strftime("%Y-%m-%d"),
                "service": remediation.rating.get_service_kind_display(),
            },
            link=f"/workbench/evaluation/remediations/{remediation.pk}/",
        )


def _event(remediation: Remediation, actor: User | None, action: str, old: str, note: str = "") -> None:
    RemediationEvent.objects.create(
        remediation=remediation, action=action, from_status=old, to_status=remediation.status, actor=actor,
        note=note[:2000],
    )  # fmt: skip


def _locked(remediation: Remediation) -> Remediation:
    return (
        Remediation.objects.select_for_update(of=("self",))
        .select_related("rating", "department", "region")
        .get(pk=remediation.pk)
    )


def _recorded(remediation: Remediation, actor: User, action: str, old: str, note: str) -> Remediation:
    """Saves a department's or the centre's step with its history line and audit record."""
    remediation.save()
    _event(remediation, actor, action, old, note)
    audit_record(
        actor=actor, action=f"evaluation.{action}", target=remediation, changes={"status": [old, remediation.status]}
    )
    return remediation


def _by_department(actor: User, remediation: Remediation) -> None:
    authorize(actor, DEPARTMENT_ROLES, department=remediation.department, region=remediation.region)


def _text(field: str, value: str, message: str, minimum: int = 2) -> str:
    text = value.strip()
    if len(text) < minimum:
        raise_problems([(field, message)])
    return text[:2000]


@transaction.atomic
def remediation_contact(*, actor: User, remediation: Remediation, note: str, verified: bool, mode: str) -> Remediation:
    """联系核实: the department reached the rater, checked the complaint and chose how to handle it."""
    remediation = _locked(remediation)
    _by_department(actor, remediation)
    old = remediation.status
    new = WORKFLOW.target(old, "contact")
    problems = []
    if mode not in RemediationMode.values:
        problems.append(("mode", _("Choose the handling: fix at once, fix by a deadline, or explain.")))
    if len(note.strip()) < 2:
        problems.append(("note", _("Record how the rater was contacted and what was found.")))
    raise_problems(problems)
    remediation.contact_note = note.strip()[:2000]
    remediation.verified, remediation.mode = verified, mode
    remediation.contacted_at = timezone.now()
    remediation.status = new
    return _recorded(remediation, actor, "contact", old, note)


@transaction.atomic
def remediation_feedback(*, actor: User, remediation: Remediation, feedback: str) -> Remediation:
    """反馈: what the rater is told. 立行立改 and 解释说明 are then done; 限期整改 goes on to its remedy."""
    remediation = _locked(remediation)
    _by_department(actor, remediation)
    old = remediation.status
    WORKFLOW.require(old, "feedback")
    remediation.feedback = _text("feedback", feedback, _("Write the feedback given to the rater."))
    remediation.feedback_at = timezone.now()
    if remediation.mode == RemediationMode.DEADLINE:
        remediation.status = WORKFLOW.target(old, "feedback", to=RemediationStatus.RECTIFYING)
    else:
        remediation.status = WORKFLOW.target(old, "feedback", to=RemediationStatus.RESOLVED)
        if remediation.mode == RemediationMode.IMMEDIATE:
            remediation.fixed_at = remediation.feedback_at
    return _recorded(remediation, actor, "feedback", old, feedback)


@transaction.atomic
def remediation_fix(*, actor: User, remediation: Remediation, note: str) -> Remediation:
    """整改完成 (限期整改): what was changed, so that it does not happen again."""
    remediation = _locked(remediation)
    _by_department(actor, remediation)
    old = remediation.status
    new = WORKFLOW.target(old, "fix")
    remediation.fix_note = _text("note", note, _("Describe what was changed."))
    remediation.fixed_at = timezone.now()
    remediation.status = new
    return _recorded(remediation, actor, "fix", old, note)


@transaction.atomic
def remediation_return_visit(*, actor: User, remediation: Remediation, satisfied: bool, note: str) -> Remediation:
    """回访 by the centre: satisfied closes the item; not satisfied sends it back to be remedied."""
    remediation = _locked(remediation)
    authorize(actor, CENTRE_ROLES, region=remediation.region)
    old = remediation.status
    WORKFLOW.require(old, "return_visit")
    remediation.return_note = _text("note", note, _("Record what the rater said at the return visit."))
    remediation.return_visit_at = timezone.now()
    remediation.return_satisfied = satisfied
    if satisfied:
        remediation.status = WORKFLOW.target(old, "return_visit", to=RemediationStatus.CLOSED)
        remediation.closed_at = remediation.return_visit_at
    else:
        remediation.status = WORKFLOW.target(old, "return_visit", to=RemediationStatus.RECTIFYING)
        remediation.mode = RemediationMode.DEADLINE
        remediation.fix_due = _due(remediation.return_visit_at, settings.YIWANG_REMEDIATION_FIX_DAYS)
    return _recorded(remediation, actor, "return_visit", old, note)


@transaction.atomic
def appeal_file(*, actor: User, remediation: Remediation, reason: str) -> Appeal:
    """申诉: the department holds the rating mistaken or malicious and says why."""
    remediation = _locked(remediation)
    _by_department(actor, remediation)
    old = remediation.status
    new = WORKFLOW.target(old, "appeal")
    text = _text(
        "reason", reason,
        _("An appeal states its reason (at least %(n)s characters): why the rating is mistaken or malicious.")
        % {"n": MIN_REASON},
        minimum=MIN_REASON,
    )  # fmt: skip
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                remediation=remediation, reason=text, filed_by=actor, filed_at=timezone.now()
            )
    except IntegrityError:
        raise Conflict(_("An appeal of this rating is already under review."), code="appeal_pending") from None
    remediation.status_before_appeal, remediation.status = old, new
    remediation.save(update_fields=["status_before_appeal", "status"])
    _event(remediation, actor, "appeal", old, text)
    audit_record(actor=actor, action="evaluation.appeal", target=appeal, changes={"status": [None, appeal.status]})
    return appeal


@transaction.atomic
def appeal_review(*, actor: User, appeal: Appeal, upheld: bool, note: str) -> Appeal:
    """复核 by the centre. Upheld: the rating is removed from every statistic, with the reason kept."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("remediation__rating").get(pk=appeal.pk)
    remediation = _locked(appeal.remediation)
    authorize(actor, CENTRE_ROLES, region=remediation.region)
    APPEAL_WORKFLOW.require(appeal.status, "review")
    WORKFLOW.require(remediation.status, "review")
    appeal.review_note = _text(
        "note", note, _("A review states its reason (at least %(n)s characters).") % {"n": MIN_REASON}, MIN_REASON
    )
    appeal.status = APPEAL_WORKFLOW.target(
        appeal.status, "review", to=AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    )
    appeal.reviewed_by, appeal.reviewed_at = actor, timezone.now()
    appeal.save()
    old = remediation.status
    if upheld:
        rating = Rating.objects.select_for_update().get(pk=remediation.rating_id)
        rating.status = RATING_WORKFLOW.target(rating.status, "remove")
        rating.removed_reason = f"{appeal.reason}\n{appeal.review_note}"
        rating.save(update_fields=["status", "removed_reason"])
        remediation.status = WORKFLOW.target(old, "review", to=RemediationStatus.REMOVED)
        remediation.closed_at = appeal.reviewed_at
        audit_record(actor=actor, action="evaluation.remove", target=rating, changes={"status": ["valid", "removed"]})
    else:
        back = remediation.status_before_appeal or RemediationStatus.PENDING
        remediation.status = WORKFLOW.target(old, "review", to=back)
    remediation.save(update_fields=["status", "closed_at"])
    _event(remediation, actor, "appeal_review", old, appeal.review_note)
    audit_record(
        actor=actor, action="evaluation.appeal_review", target=appeal, changes={"status": ["pending", appeal.status]}
    )
    return appeal
