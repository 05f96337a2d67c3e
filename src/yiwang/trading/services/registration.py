"""Registration: supervision assignments, registered keys and projects with their lots. Each write one
transaction with its permission check and audit record, every field checked here so that pages, the API
and imports get the same answer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize, can
from yiwang.accounts.choices import AccountKind
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.counters import counter_next
from yiwang.core.crypto import sm2_key_fingerprint, sm2_public_key_valid
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.fields import Problem, choice_problems, text_problems
from yiwang.trading import rules
from yiwang.trading.models import (
    EvaluationMethod,
    KeyPurpose,
    Lot,
    PartyKey,
    ProjectCounter,
    ProjectKind,
    SupervisionAssignment,
    TradingMethod,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department, Region

OPERATOR_ROLES = {Role.TRADING_OFFICER}
MAX_BUDGET = Decimal("99999999999999.99")


def _money_problems(value: Decimal | str, field: str) -> tuple[list[Problem], Decimal]:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return [(field, _("Enter an amount in yuan."))], Decimal(0)
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET or amount != amount.quantize(Decimal("0.01")):
        return [(field, _("Enter an amount in yuan, at most two decimals."))], Decimal(0)
    return [], amount


def supervision_of(region: Region, kind: str) -> SupervisionAssignment | None:
    """The department that supervises ``kind`` in ``region``, if one is named."""
    return SupervisionAssignment.objects.select_related("department").filter(region=region, kind=kind).first()


def operating_refused(actor: User, assignment: SupervisionAssignment | None) -> None:
    """管办分离 (宁波市公共资源交易管理条例 §28): whoever supervises this kind here does not operate it."""
    if assignment and can(actor, {Role.SUPERVISOR}, department=assignment.department):
        raise PermissionDenied(
            _("The supervising department does not operate the projects it supervises."), code="supervisor_operates"
        )


@transaction.atomic
def supervision_assign(*, actor: User, region: Region, kind: str, department: Department) -> SupervisionAssignment:
    """Names the department that supervises ``kind`` in ``region`` (centre administrators)."""
    authorize(actor, {Role.CENTRE_ADMIN}, region=region)
    raise_problems(choice_problems(kind, "kind", ProjectKind.values))
    assignment, _created = SupervisionAssignment.objects.update_or_create(
        region=region, kind=kind, defaults={"department": department}
    )
    audit_record(actor=actor, action="trading.supervision_assign", target=assignment, changes={"kind": kind})
    return assignment


@transaction.atomic
def party_key_register(*, actor: User, purpose: str, public_key: str) -> PartyKey:
    """Registers the account's own SM2 public key; the previous live key of the purpose is revoked."""
    raise_problems(choice_problems(purpose, "purpose", KeyPurpose.values))
    key = (
        public_key.strip().lower().removeprefix("04") if len(public_key.strip()) == 130 else public_key.strip().lower()
    )
    if not sm2_public_key_valid(key):
        raise ValidationFailed(
            _("This is not an SM2 public key (128 hexadecimal digits of a point on the curve)."),
            code="bad_public_key",
            details={"errors": [{"field": "public_key", "message": _("Not an SM2 public key.")}]},
        )
    if purpose == KeyPurpose.BIDDER and (actor.kind != AccountKind.LEGAL_PERSON or not actor.credit_code):
        raise PermissionDenied(_("Only a company account with a credit code bids."), code="not_a_company")
    fingerprint = sm2_key_fingerprint(key)
    if PartyKey.objects.filter(fingerprint=fingerprint).exists():
        raise Conflict(_("This key is already registered."), code="key_registered")
    now = timezone.now()
    PartyKey.objects.filter(owner=actor, purpose=purpose, revoked_at__isnull=True).update(revoked_at=now)
    party_key = PartyKey.objects.create(owner=actor, purpose=purpose, public_key=key, fingerprint=fingerprint)
    audit_record(actor=actor, action="trading.party_key_register", target=party_key, changes={"purpose": purpose})
    return party_key


@dataclass(frozen=True)
class LotIn:
    title: str
    estimate: Decimal | str
    bid_security: Decimal | str = Decimal(0)


def _lot_problems(lots: list[LotIn]) -> tuple[list[Problem], list[tuple[str, Decimal, Decimal]]]:
    problems: list[Problem] = []
    clean: list[tuple[str, Decimal, Decimal]] = []
    if not 1 <= len(lots) <= 99:
        return [("lots", _("A project has between 1 and 99 lots."))], []
    for number, lot in enumerate(lots, start=1):
        field = f"lots[{number}]"
        problems += text_problems(lot.title, f"{field}.title", max_length=200, required=True)
        estimate_problems, estimate = _money_problems(lot.estimate, f"{field}.estimate")
        security_problems, security = _money_problems(lot.bid_security, f"{field}.bid_security")
        problems += estimate_problems + security_problems
        if not estimate_problems and not security_problems and security > rules.security_cap(estimate):
            problems.append(
                (
                    f"{field}.bid_security",
                    _("The bid security may not exceed 2%% of the estimate (%(cap)s yuan; 招标投标法实施条例 §26).")
                    % {"cap": rules.security_cap(estimate)},
                )
            )
        clean.append((lot.title.strip(), estimate, security))
    return problems, clean


def _project_code(region: Region, year: int) -> str:
    """The next code of the region's year, drawn in the registering transaction (numbers stay distinct
    and gap-free under parallel registrations: the counter row is locked until commit)."""
    serial = counter_next(ProjectCounter, what="project codes", region=region, year=year)
    return f"{region.code}-{year}-{serial:04d}"


@transaction.atomic
def project_register(
    *,
    actor: User,
    region: Region,
    kind: str,
    method: str,
    evaluation_method: str,
    title: str,
    budget: Decimal | str,
    lots: list[LotIn],
    tenderer_department: Department | None = None,
    tenderer_company: User | None = None,
    agency: User | None = None,
    state_funded: bool = False,
    qualification: str = "",
) -> TradingProject:
    """进场交易登记 (宁波市公共资源交易管理条例 §16): the trading centre registers a project with its lots."""
    authorize(actor, OPERATOR_ROLES, region=region)
    assignment = supervision_of(region, kind)
    operating_refused(actor, assignment)
    problems = choice_problems(kind, "kind", ProjectKind.values)
    problems += choice_problems(method, "method", TradingMethod.values)
    problems += choice_problems(evaluation_method, "evaluation_method", EvaluationMethod.values)
    problems += text_problems(title, "title", max_length=200, required=True)
    problems += text_problems(qualification, "qualification", max_length=5000, multiline=True)
    budget_problems, amount = _money_problems(budget, "budget")
    lot_problems, clean_lots = _lot_problems(lots)
    problems += budget_problems + lot_problems
    if (tenderer_department is None) == (tenderer_company is None):
        problems.append(("tenderer", _("Name the tenderer: one department or one company.")))
    for field, company in (("tenderer", tenderer_company), ("agency", agency)):
        if company is not None and (company.kind != AccountKind.LEGAL_PERSON or not company.credit_code):
            problems.append((field, _("Choose a registered company account.")))
    if not problems:
        procedure = procedure_of(method)
        if kind not in procedure.kinds:
            problems.append(
                (
                    "method",
                    _(
                        "Competitive negotiation, consultation, single source and request for quotation are methods of "
                        "government procurement (政府采购法 §26)."
                    ),
                )
            )
        elif evaluation_method not in procedure.evaluation_methods:
            problems.append(
                (
                    "evaluation_method",
                    _(
                        "This method does not evaluate that way: negotiation, single source and quotation take the "
                        "lowest price meeting the requirements (政府采购法 §38, §40), consultation scores "
                        "(财库〔2014〕214号 §23)."
                    ),
                )
            )
    raise_problems(problems)
    if assignment is None:
        raise Conflict(
            _("No department supervises this kind of project in this region yet; a centre administrator names one."),
            code="no_supervisor",
        )
    if tenderer_department is not None and tenderer_department.pk == assignment.department_id:
        raise Conflict(_("The supervising department cannot be the tenderer (管办分离)."), code="supervisor_tenders")
    project = TradingProject.objects.create(
        code=_project_code(region, timezone.localdate().year),
        region=region,
        kind=kind,
        method=method,
        evaluation_method=evaluation_method,
        title=title.strip(),
        budget=amount,
        tenderer_department=tenderer_department,
        tenderer_company=tenderer_company,
        agency=agency,
        supervising_department=assignment.department,
        state_funded=state_funded,
        qualification=qualification.strip(),
        created_by=actor,
    )
    Lot.objects.bulk_create(
        Lot(project=project, number=n, title=t, estimate=e, bid_security=s)
        for n, (t, e, s) in enumerate(clean_lots, start=1)
    )
    audit_record(
        actor=actor,
        action="trading.project_register",
        target=project,
        changes={"code": project.code, "lots": len(lots)},
    )
    return project
