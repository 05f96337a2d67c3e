"""Reads of the online hall: my cases (as applicant or agent), drafts, what awaits me, and the public
progress lookup (docs/online.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from yiwang.cases.choices import AWAITING_RESULT_STATUSES, CaseStatus
from yiwang.cases.selectors import case_by_applicant, case_materials_to_fix, case_of_account, cases_of_account
from yiwang.core.errors import NotFound
from yiwang.online.models import Draft

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.cases.models import Case

IN_PROGRESS = AWAITING_RESULT_STATUSES


def my_cases(user: User, *, done: bool = False) -> QuerySet[Case]:
    """Cases I applied for, or applied for as someone's agent; in progress (until handed out) or done."""
    return cases_of_account(user=user, done=done)


def my_case(user: User, number: str) -> Case:
    """One of my cases; anyone else's is not found (not even its existence is told)."""
    case = case_of_account(user=user, number=number)
    if case is None:
        raise NotFound(code="not_found")
    return case


def my_drafts(user: User) -> QuerySet[Draft]:
    return Draft.objects.filter(owner=user, case__isnull=True).select_related("version", "principal")


def my_draft(user: User, key: str) -> Draft:
    draft = Draft.objects.filter(owner=user, key=key).select_related("version", "implementation", "principal").first()
    if draft is None:
        raise NotFound(code="not_found")
    return draft


@dataclass(frozen=True)
class Reminder:
    case: Case
    text: str
    due: date | None = None


def expected_of_applicant(case: Case) -> str:
    """What the applicant should do now, in words ('' for nothing)."""
    if case.status == CaseStatus.CORRECTION_REQUESTED:
        return _("Correct the listed materials and submit them again.")
    if case.status == CaseStatus.ACCEPTED_PENDING:
        return _("Supply the promised materials by the date given.")
    if case.status in (CaseStatus.DECIDED, CaseStatus.CONCLUDED) and not case.delivery_choice:
        return _("Choose how you will receive the result.")
    if case.status == CaseStatus.CONCLUDED and case.delivery_choice == "pickup":
        return _("The result is ready: collect it at the hand-out window.")
    return ""


def my_reminders(user: User) -> list[Reminder]:
    reminders = []
    for case in my_cases(user)[:200]:
        text = expected_of_applicant(case)
        if text:
            reminders.append(Reminder(case, text, case.pending_until))
    return reminders


def materials_to_fix(case: Case) -> list[tuple[int, str, str]]:
    """(requirement id, material, what is wrong) of every material the applicant must send again."""
    return case_materials_to_fix(case=case)


def progress_lookup(number: str, name: str, id_tail: str) -> Case | None:
    """The case whose number, applicant name and last four document characters all match, or None."""
    tail = id_tail.strip().upper()
    if len(tail) != 4 or not number.strip() or not name.strip():
        return None
    case = case_by_applicant(number=number.strip()[:40], applicant_name=name.strip()[:200])
    if case is None or not case.applicant_id_number.upper().endswith(tail):
        return None
    return case
