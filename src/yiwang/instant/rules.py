"""Evaluating one instant-approval rule for one case. Each answers holds (True), fails (False) or
cannot decide (None) with an explanation in words; only "every rule holds" approves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core.errors import DomainError
from yiwang.instant.models import InstantRule, RuleKind

if TYPE_CHECKING:
    from yiwang.cases.models import Case


@dataclass(frozen=True)
class RuleResult:
    holds: bool | None
    explanation: str

    def as_dict(self, rule: InstantRule) -> dict[str, object]:
        return {"rule": rule.description, "kind": rule.kind, "holds": self.holds, "explanation": self.explanation}


def birth_date(id_number: str) -> date | None:
    """Date of birth from an 18-character resident ID number (GB 11643), if it holds a real date."""
    if len(id_number) != 18 or not id_number[6:14].isdigit():
        return None
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _age_at_least(rule: InstantRule, case: Case) -> RuleResult:
    years = int(rule.params.get("years", 0))
    born = birth_date(case.applicant_id_number) if case.applicant_id_type == "resident_id" else None
    if born is None:
        return RuleResult(None, _("The applicant has no resident ID number to read the birth date from."))
    age = age_on(born, timezone.localdate(case.submitted_at))
    text = _("Born %(born)s: %(age)s years old on the day of application (needed: %(years)s).") % {
        "born": born.isoformat(),
        "age": age,
        "years": years,
    }
    return RuleResult(age >= years, text)


def _shared_data(rule: InstantRule, case: Case) -> RuleResult:
    from yiwang.sharing.services import data_query

    resource, key, prefix = (str(rule.params.get(k, "")) for k in ("resource", "field", "prefix"))
    try:
        answer = data_query(
            resource_code=resource,
            subject_code=case.applicant_id_number,
            purpose=_("Instant approval: %(rule)s") % {"rule": rule.description},
            case_number=case.number,
            system=_("Instant approval (秒批)"),
        )
    except DomainError as failed:
        return RuleResult(None, _("The shared data could not be queried: %(reason)s") % {"reason": failed.message})
    if not answer.found:
        return RuleResult(
            None, _("%(resource)s holds no record of the applicant.") % {"resource": answer.resource.name}
        )
    value = str(answer.data.get(key, ""))
    shown = str(answer.data.get(str(rule.params.get("show", "")), value))
    text = _("%(resource)s: %(value)s.") % {"resource": answer.resource.name, "value": shown or "—"}
    return RuleResult(value.startswith(prefix) if value else None, text)


def _no_licence(rule: InstantRule, case: Case) -> RuleResult:
    from yiwang.catalogue.selectors import licence_type_by_code
    from yiwang.licences.selectors import licence_valid_for

    licence_type = licence_type_by_code(str(rule.params.get("licence_type", "")))
    if licence_type is None:
        return RuleResult(None, _("The rule names no known licence type."))
    held = licence_valid_for(case.applicant_id_number, licence_type.pk)
    if held is not None:
        return RuleResult(
            False, _("Already holds %(name)s No. %(number)s.") % {"name": held.name, "number": held.number}
        )
    return RuleResult(True, _("Holds no valid %(name)s.") % {"name": licence_type.name})


EVALUATORS = {
    RuleKind.AGE_AT_LEAST: _age_at_least,
    RuleKind.SHARED_DATA: _shared_data,
    RuleKind.NO_LICENCE: _no_licence,
}


def rule_evaluate(rule: InstantRule, case: Case) -> RuleResult:
    evaluator = EVALUATORS.get(RuleKind(rule.kind)) if rule.kind in RuleKind.values else None
    if evaluator is None:
        return RuleResult(None, _("Unknown kind of rule."))
    return evaluator(rule, case)
