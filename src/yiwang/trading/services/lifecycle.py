"""Objections to the documents (招标投标法实施条例 §22) that pause the tender until the tenderer answers,
and the ends before the award: the operator's cancelling of a draft, the tenderer's terminating a
published tender (§31)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.choices import AccountKind
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, PermissionDenied, raise_problems
from yiwang.core.fields import text_problems
from yiwang.trading import rules
from yiwang.trading.models import Objection, ObjectionSubject, ProjectKind, ProjectStatus, TradingProject
from yiwang.trading.procedures import procedure_of
from yiwang.trading.services._common import event_record, is_tenderer, operator_authorize, project_locked
from yiwang.trading.services.securities import end_release
from yiwang.trading.services.single_source import single_source_objection
from yiwang.trading.workflow import PROJECT

if TYPE_CHECKING:
    from yiwang.accounts.models import User


@transaction.atomic
def objection_raise(
    *, actor: User, project: TradingProject, text: str, subject: str = ObjectionSubject.DOCUMENTS
) -> Objection:
    """异议 by a potential bidder or another interested party (not the staff): to the documents up to 10
    days before the deadline, the tender paused until it is answered (招标投标法实施条例 §22); to the
    candidates during their publicity, the award waiting for the answer (§54)."""
    if actor.kind == AccountKind.STAFF:
        raise PermissionDenied(
            _("Objections are raised by bidders and other interested parties."), code="staff_objects"
        )
    raise_problems(text_problems(text, "text", max_length=5000, required=True, multiline=True))
    project = project_locked(project, while_suspended=True)
    if subject == ObjectionSubject.CANDIDATES:
        return _candidates_objection(actor, project, text)
    if subject == ObjectionSubject.OPENING:
        return _opening_objection(actor, project, text)
    if subject == ObjectionSubject.SINGLE_SOURCE:
        return single_source_objection(actor, project, text)
    if subject != ObjectionSubject.DOCUMENTS:
        raise_problems([("subject", _("Choose what the objection is about."))])
    if project.status not in (ProjectStatus.BIDDING, ProjectStatus.PAUSED):
        raise Conflict(_("Objections to the documents are raised while the tender is open."), code="project_status")
    now = timezone.now()
    assert project.bid_deadline is not None
    if not rules.objection_window_open(now, project.bid_deadline, tender=procedure_of(project.method).tender):
        raise Conflict(
            _(
                "Objections to the documents are raised at least 10 days before the deadline "
                "(招标投标法实施条例 §22); the time for them has passed."
            ),
            code="objection_late",
        )
    objection = Objection.objects.create(
        project=project,
        subject=ObjectionSubject.DOCUMENTS,
        raised_by=actor,
        text=text.strip(),
        raised_at=now,
        answer_due=rules.objection_answer_due(now, procurement=project.kind == ProjectKind.PROCUREMENT),
    )
    before = project.status
    if project.status == ProjectStatus.BIDDING:
        project.status = PROJECT.target(project.status, "pause")
        project.save(update_fields=["status"])
    event_record(project, "objection", actor=None, before=before)  # the objector's name is not published
    audit_record(actor=actor, action="trading.objection_raise", target=objection)
    return objection


def _opening_objection(actor: User, project: TradingProject, text: str) -> Objection:
    """招标投标法实施条例 §44: a bidder objects to the opening at the opening, answered there — by the
    window's end here; a complaint about the opening comes after it (§60 ¶2)."""
    opening = getattr(project, "opening", None)
    now = timezone.now()
    if project.status != ProjectStatus.OPENING or opening is None or now > opening.window_ends:
        raise Conflict(
            _("Objections to the opening are raised during the opening (招标投标法实施条例 §44)."),
            code="objection_late",
        )
    objection = Objection.objects.create(
        project=project, subject=ObjectionSubject.OPENING, raised_by=actor, text=text.strip(), raised_at=now,
        answer_due=opening.window_ends,
    )  # fmt: skip
    event_record(project, "objection", actor=None, before=project.status)
    audit_record(actor=actor, action="trading.objection_raise", target=objection)
    return objection


def _result_challenge(actor: User, project: TradingProject, text: str) -> Objection:
    """质疑 of a procurement's result (政府采购法 §52): in writing, within 7 working days of its
    announcement at the award; answered within 7 working days (§53). It holds nothing back by itself —
    the supervisor may suspend on a complaint (§57)."""
    now = timezone.now()
    announced = project.awarded_at
    if project.status not in (ProjectStatus.AWARDED, ProjectStatus.CONTRACTED) or announced is None:
        raise Conflict(_("The result is challenged once it is announced (政府采购法 §52)."), code="objection_late")
    if now > rules.working_days_after(announced, rules.CHALLENGE_WORKING_DAYS):
        raise Conflict(
            _("A challenge to the result is raised within 7 working days of its announcement (政府采购法 §52)."),
            code="objection_late",
        )
    objection = Objection.objects.create(
        project=project, subject=ObjectionSubject.CANDIDATES, raised_by=actor, text=text.strip(), raised_at=now,
        answer_due=rules.objection_answer_due(now, procurement=True),
    )  # fmt: skip
    event_record(project, "objection", actor=None, before=project.status)
    audit_record(actor=actor, action="trading.objection_raise", target=objection)
    return objection


def _candidates_objection(actor: User, project: TradingProject, text: str) -> Objection:
    now = timezone.now()
    if project.kind == ProjectKind.PROCUREMENT and project.publicity_from is None:
        return _result_challenge(actor, project, text)
    if project.status != ProjectStatus.PUBLICITY or project.publicity_until is None or now > project.publicity_until:
        raise Conflict(
            _("Objections to the candidates are raised during their publicity (招标投标法实施条例 §54)."),
            code="objection_late",
        )
    objection = Objection.objects.create(
        project=project,
        subject=ObjectionSubject.CANDIDATES,
        raised_by=actor,
        text=text.strip(),
        raised_at=now,
        answer_due=rules.objection_answer_due(now, procurement=project.kind == ProjectKind.PROCUREMENT),
    )
    event_record(project, "objection", actor=None, before=project.status)
    audit_record(actor=actor, action="trading.objection_raise", target=objection)
    return objection


@transaction.atomic
def objection_answer(*, actor: User, objection: Objection, answer: str) -> Objection:
    """The tenderer answers (within 3 days, 招标投标法实施条例 §22); once no objection is open the tender
    resumes. An answer that changes the documents is followed by a clarification (``document_amend``),
    which moves the deadline where the law says."""
    project = project_locked(objection.project, while_suspended=True)
    if not is_tenderer(actor, project):
        raise PermissionDenied(_("The tenderer answers objections to its documents."), code="not_the_tenderer")
    raise_problems(text_problems(answer, "answer", max_length=5000, required=True, multiline=True))
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered_at is not None:
        raise Conflict(_("This objection has been answered."), code="objection_answered")
    objection.answer, objection.answered_by, objection.answered_at = answer.strip(), actor, timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    event_record(project, "objection_answer", actor=actor, before=project.status)
    audit_record(actor=actor, action="trading.objection_answer", target=objection)
    still_open = Objection.objects.filter(project=project, answered_at__isnull=True).exists()
    if project.status == ProjectStatus.PAUSED and not still_open:
        before = project.status
        project.status = PROJECT.target(project.status, "resume")
        project.save(update_fields=["status"])
        event_record(project, "resume", actor=actor, before=before)
    return objection


@transaction.atomic
def project_cancel(*, actor: User, project: TradingProject, reason: str) -> TradingProject:
    """The centre withdraws a registered project whose notice is not out."""
    operator_authorize(actor, project)
    raise_problems(text_problems(reason, "reason", max_length=500, required=True))
    project = project_locked(project, while_suspended=True)
    before = project.status
    project.status = PROJECT.target(project.status, "cancel")
    project.save(update_fields=["status"])
    event_record(project, "cancel", actor=actor, before=before, note=reason.strip())
    audit_record(actor=actor, action="trading.project_cancel", target=project, changes={"reason": reason.strip()})
    return project


@transaction.atomic
def project_terminate(*, actor: User, project: TradingProject, reason: str) -> TradingProject:
    """终止招标 (招标投标法实施条例 §31): the tenderer ends a published tender before the award, with its
    reason, published on the project's page; bids not yet opened stay sealed for good."""
    project = project_locked(project, while_suspended=True)
    if not is_tenderer(actor, project, principal=True):
        raise PermissionDenied(_("The tenderer terminates its tender."), code="not_the_tenderer")
    raise_problems(text_problems(reason, "reason", max_length=500, required=True))
    before = project.status
    project.status = PROJECT.target(project.status, "terminate")
    project.save(update_fields=["status"])
    end_release(project)
    event_record(project, "terminate", actor=actor, before=before, note=reason.strip())
    audit_record(actor=actor, action="trading.project_terminate", target=project, changes={"reason": reason.strip()})
    return project
