"""Writes of instant approval: evaluating a submitted case against its implementation's rules and,
when every rule holds, approving it with no human step (cases.services.case_approve_automatically)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.cases.choices import CaseStatus
from yiwang.cases.selectors import case_get
from yiwang.cases.services import case_approve_automatically, case_remark
from yiwang.core.errors import DomainError, PermissionDenied, raise_problems
from yiwang.instant.models import InstantEvaluation, InstantRule, Outcome, RuleKind
from yiwang.instant.rules import rule_evaluate

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.cases.models import Case

logger = logging.getLogger(__name__)


def rules_of(implementation_id: int) -> list[InstantRule]:
    return list(InstantRule.objects.filter(implementation_id=implementation_id).order_by("order"))


def instant_evaluate(case_id: int) -> InstantEvaluation | None:
    """Runs once per case (after the submission commits). Approves when every rule holds; otherwise the
    case stays with the department, its history saying which rule did not hold and why."""
    case = case_get(pk=case_id)
    if case is None or case.status != CaseStatus.SUBMITTED or hasattr(case, "instant_evaluation"):
        return None
    rules = rules_of(case.implementation_id)
    if not rules:
        return None
    results = [(rule, rule_evaluate(rule, case)) for rule in rules]
    rows: list[dict[str, Any]] = [result.as_dict(rule) for rule, result in results]
    explanation = "\n".join(f"{rule.description}：{result.explanation}" for rule, result in results)
    outcome = Outcome.APPROVED if all(result.holds is True for _rule, result in results) else Outcome.TO_PEOPLE
    with transaction.atomic():
        if outcome == Outcome.APPROVED:
            try:
                with transaction.atomic():
                    case_approve_automatically(case=case, explanation=explanation, rules=rows)
            except DomainError as failed:  # e.g. a required material is missing: people decide
                outcome = Outcome.TO_PEOPLE
                rows.append({"rule": "", "kind": "", "holds": None, "explanation": str(failed.message)})
                explanation = f"{explanation}\n{failed.message}"
        if outcome == Outcome.TO_PEOPLE:
            case_remark(case=case, action="instant_declined", text=explanation, rules=rows)
        evaluation = InstantEvaluation.objects.create(
            case=case,
            outcome=outcome,
            results=rows,
            seconds=(timezone.now() - case.submitted_at).total_seconds() if case.submitted_at else 0,
        )
        audit_record(actor=None, action="instant.evaluate", target=case, changes={"outcome": [None, outcome]})
    logger.info("instant approval of case %s: %s", case.pk, outcome)
    return evaluation


def rule_problems(rules: list[tuple[str, dict[str, Any], str]]) -> list[tuple[str, str]]:
    """Each rule's kind known, its parameters complete and its description given."""
    from yiwang.catalogue.selectors import licence_type_by_code

    problems: list[tuple[str, str]] = []
    for position, (kind, params, text) in enumerate(rules, start=1):
        where = f"rules.{position}"
        if not text.strip():
            problems.append((where, _("Rule %(n)s: describe it in words; applicants read it.") % {"n": position}))
        if kind == RuleKind.AGE_AT_LEAST:
            if not isinstance(params.get("years"), int) or not 0 < params["years"] < 150:
                problems.append((where, _("Rule %(n)s: give the age in whole years.") % {"n": position}))
        elif kind == RuleKind.SHARED_DATA:
            if not all(str(params.get(k, "")).strip() for k in ("resource", "field", "prefix")):
                problems.append(
                    (where, _("Rule %(n)s: name the resource, its field and the expected beginning.") % {"n": position})
                )
        elif kind == RuleKind.NO_LICENCE:
            if licence_type_by_code(str(params.get("licence_type", ""))) is None:
                problems.append((where, _("Rule %(n)s: no licence type has this code.") % {"n": position}))
        else:
            problems.append((where, _("Rule %(n)s: unknown kind of rule.") % {"n": position}))
    return problems


def instant_rules_set(
    *, implementation_id: int, rules: list[tuple[str, dict[str, Any], str]], actor: User | None = None
) -> list[InstantRule]:
    """Replaces an implementation's rules (kind, parameters, description), in order. Staff: the
    department administrator of the implementation's department or the region's centre administrator."""
    if actor is not None:
        from yiwang.catalogue.selectors import implementations_in_scope

        if not implementations_in_scope(actor).filter(pk=implementation_id).exists():
            raise PermissionDenied(code="out_of_scope")
    raise_problems(rule_problems(rules))
    with transaction.atomic():
        InstantRule.objects.filter(implementation_id=implementation_id).delete()
        created = [
            InstantRule.objects.create(
                implementation_id=implementation_id, order=position, kind=kind, params=params, description=text
            )
            for position, (kind, params, text) in enumerate(rules, start=1)
        ]
        audit_record(
            actor=actor,
            action="instant.rules_set",
            object_type="implementation",
            object_id=str(implementation_id),
            changes={"rules": [None, [r.description for r in created]]},
        )
    return created


def explanation_of(case: Case) -> InstantEvaluation | None:
    return InstantEvaluation.objects.filter(case=case).first()
