"""Who a case is for: the applicant's fields and their rules, and who may apply online for whom.

At a window the clerk types the applicant's identity from the document in front of them (checked and
audited). Online, nobody types an identity: the applicant is the logged-in account, or a person or
company that authorised that account as its agent (accounts.AgentAuthorisation, its items and dates),
and every identity field comes from that account (行政许可法 §29: the applicant applies in their own
name, or entrusts an agent; 《国务院关于在线政务服务的若干规定》§5: one unified identity, authenticated once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from yiwang.accounts.agents import may_act_for
from yiwang.accounts.choices import AccountKind
from yiwang.accounts.rules import credit_code_field_problems, resident_id_problems
from yiwang.accounts.selectors import account_by_document
from yiwang.cases.models import ApplicantKind, IdType
from yiwang.core.errors import PermissionDenied
from yiwang.core.fields import Problem, choice_problems, contact_phone_problems, text_problems
from yiwang.core.identifiers import normalise_credit_code, normalise_resident_id

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.catalogue.models import ItemImplementation

NAME_MAX, AGENT_NAME_MAX, NUMBER_MAX = 200, 100, 40


@dataclass(frozen=True)
class Applicant:
    kind: str  # ApplicantKind
    name: str
    id_type: str  # IdType
    id_number: str
    phone: str = ""
    account: User | None = None
    agent_name: str = ""
    agent_id_number: str = ""
    agent_account: User | None = None  # an agent applying online under an authorisation


def applicant_problems(applicant: Applicant) -> tuple[str, list[Problem]]:
    """The applicant's document number as stored, and every problem with the applicant's fields."""
    problems = text_problems(applicant.name, "applicant.name", max_length=NAME_MAX, required=True)
    problems += choice_problems(applicant.kind, "applicant.kind", ApplicantKind.values)
    problems += choice_problems(applicant.id_type, "applicant.id_type", IdType.values)
    number = applicant.id_number.strip()
    if applicant.id_type == IdType.RESIDENT_ID:
        number = normalise_resident_id(number)
        problems += resident_id_problems(number, "applicant.id_number")
    elif applicant.id_type == IdType.CREDIT_CODE:
        number = normalise_credit_code(number)
        problems += credit_code_field_problems(number, "applicant.id_number")
    else:
        problems += text_problems(number, "applicant.id_number", max_length=NUMBER_MAX, required=True)
    if applicant.kind == ApplicantKind.LEGAL_PERSON and applicant.id_type != IdType.CREDIT_CODE:
        problems.append(("applicant.id_type", _("A legal person is identified by its unified social credit code.")))
    problems += contact_phone_problems(applicant.phone, "applicant.phone")
    problems += text_problems(applicant.agent_name, "agent.name", max_length=AGENT_NAME_MAX)
    problems += text_problems(applicant.agent_id_number, "agent.id_number", max_length=NUMBER_MAX)
    return number, problems


def account_document(account: User) -> tuple[str, str]:
    """The document an account is identified by: (IdType, number)."""
    if account.kind == AccountKind.LEGAL_PERSON:
        return IdType.CREDIT_CODE, (account.credit_code or "").upper()
    return IdType.RESIDENT_ID, account.id_number.upper()


def applicant_of(principal: User, *, agent: User | None = None, phone: str = "") -> Applicant:
    """The applicant as the accounts say: the principal's identity, and the agent's when one acts for it."""
    id_type, number = account_document(principal)
    company = principal.kind == AccountKind.LEGAL_PERSON
    return Applicant(
        kind=ApplicantKind.LEGAL_PERSON if company else ApplicantKind.NATURAL_PERSON,
        name=principal.get_full_name(),
        id_type=id_type,
        id_number=number,
        phone=phone,
        account=principal,
        agent_name=agent.get_full_name() if agent else "",
        agent_id_number=agent.id_number if agent else "",
        agent_account=agent,
    )


def _typed_principal(actor: User, applicant: Applicant) -> User | None:
    """The account a typed document names (an agent naming the person they act for); the actor when
    nothing else is typed. ``None`` when the document belongs to no account."""
    typed = applicant.id_number.strip().upper()
    own_type, own_number = account_document(actor)
    if not typed or typed == own_number:
        return actor
    return account_by_document(id_type=applicant.id_type or own_type, number=typed)


def online_applicant(*, actor: User | None, applicant: Applicant, implementation: ItemImplementation) -> Applicant:
    """The applicant of an online submission, from accounts only.

    The principal is ``applicant.account`` when a caller chose it (the online hall's draft), else the
    account the typed document names, else the actor. The actor must be that principal or hold its
    current authorisation for this item; the identity fields are then the principal's, and a typed
    name or number that differs is refused rather than silently replaced. With no actor the platform
    itself submits (the demo's generated history, a test): its applicant is taken as given."""
    if actor is None:
        return applicant
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to apply online."), code="not_authenticated")
    principal = applicant.account or _typed_principal(actor, applicant)
    codes = (implementation.code, implementation.base_item.base_code)
    if principal is None or not may_act_for(actor, principal, codes):
        raise PermissionDenied(
            _("Online you apply in your own name, or for a person or company that authorised you for this item."),
            code="applicant_not_authorised",
        )
    own = applicant_of(principal, agent=actor if actor.pk != principal.pk else None, phone=applicant.phone)
    typed_number, typed_name = applicant.id_number.strip().upper(), applicant.name.strip()
    if (typed_number and typed_number != own.id_number) or (typed_name and typed_name != own.name):
        raise PermissionDenied(
            _("The applicant's name and document are taken from the account and cannot be changed online."),
            code="applicant_mismatch",
        )
    return own
