"""The expert pool (专家库, 一库): the centre enrols experts with their specialties and employer; experts
declare their ties to companies; the supervisor records sanctions. What the draw's recusal reads."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, PermissionDenied, raise_problems
from yiwang.core.fields import Problem, choice_problems, text_problems
from yiwang.core.identifiers import credit_code_problem
from yiwang.trading.models import Expert, ExpertRelation, ExpertSanction, RelationKind, Specialty
from yiwang.trading.selectors import supervisor_in

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department, Region


def _code_problems(code: str, field: str, *, required: bool) -> list[Problem]:
    if not code and not required:
        return []
    return [(field, _("Enter a valid unified social credit code."))] if credit_code_problem(code) else []


@transaction.atomic
def expert_register(
    *,
    actor: User,
    user: User,
    region: Region,
    name: str,
    specialties: list[str],
    employer: str,
    employer_credit_code: str = "",
    phone: str = "",
) -> Expert:
    """入库: the centre enrols an account holding the expert role."""
    authorize(actor, {Role.TRADING_OFFICER, Role.CENTRE_ADMIN}, region=region)
    problems = text_problems(name, "name", max_length=50, required=True)
    problems += text_problems(employer, "employer", max_length=200, required=True)
    problems += _code_problems(employer_credit_code.strip(), "employer_credit_code", required=False)
    if not specialties or len(specialties) > len(Specialty.values):
        problems.append(("specialties", _("Choose the expert's specialties.")))
    for specialty in specialties:
        problems += choice_problems(specialty, "specialties", Specialty.values)
    raise_problems(problems)
    if Expert.objects.filter(user=user).exists():
        raise Conflict(_("This account is already in the pool."), code="expert_exists")
    expert = Expert.objects.create(
        user=user,
        region=region,
        name=name.strip(),
        specialties=sorted(set(specialties)),
        employer=employer.strip(),
        employer_credit_code=employer_credit_code.strip().upper(),
        phone=phone.strip(),
    )
    audit_record(actor=actor, action="trading.expert_register", target=expert)
    return expert


@transaction.atomic
def expert_relation_declare(
    *, actor: User, expert: Expert, kind: str, credit_code: str, note: str = "", until: date | None = None
) -> ExpertRelation:
    """The expert declares a tie to a company (a former employer and when it ended, a relative among its
    key staff, an economic interest): the draw's recusal reads it."""
    if expert.user_id != actor.pk:
        raise PermissionDenied(_("Experts declare their own relations."), code="not_your_record")
    problems = choice_problems(kind, "kind", RelationKind.values)
    problems += _code_problems(credit_code.strip(), "credit_code", required=True)
    problems += text_problems(note, "note", max_length=200)
    raise_problems(problems)
    relation = ExpertRelation.objects.create(
        expert=expert, kind=kind, credit_code=credit_code.strip().upper(), note=note.strip(), until=until
    )
    audit_record(actor=actor, action="trading.expert_relation_declare", target=relation, changes={"kind": kind})
    return relation


@transaction.atomic
def expert_sanction(
    *, actor: User, expert: Expert, department: Department, reason: str, starts_on: date, ends_on: date | None
) -> ExpertSanction:
    """A supervising department's sanction (招标投标法实施条例 §72): no draw picks the expert meanwhile."""
    if not supervisor_in(actor, department.pk):
        raise PermissionDenied(_("A supervising department's supervisor sanctions experts."), code="not_the_supervisor")
    raise_problems(text_problems(reason, "reason", max_length=200, required=True))
    sanction = ExpertSanction.objects.create(expert=expert, reason=reason.strip(), starts_on=starts_on, ends_on=ends_on)
    audit_record(actor=actor, action="trading.expert_sanction", target=sanction)
    return sanction
