"""Writes of data sharing: registering resources, feeding their records, and querying them — every
query logged, refusals included (a refused query is written before the error is raised)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import SECURITY_ROLES, STAFF_ROLES, Role
from yiwang.accounts.selectors import user_has_role
from yiwang.audit.services import audit_record
from yiwang.cases.exemptions import Exemption
from yiwang.core.errors import NotFound, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.identifiers import (
    credit_code_problem,
    normalise_credit_code,
    normalise_resident_id,
    resident_id_problem,
)
from yiwang.core.masking import mask_id_number
from yiwang.core.personal_data import lookup_digest
from yiwang.sharing.models import DataQuery, DataRecord, DataResource, QueryOutcome, SubjectKind

if TYPE_CHECKING:
    from yiwang.accounts.models import ApiKey, User
    from yiwang.catalogue.models import MaterialRequirement
    from yiwang.organisation.models import Department

_CODE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
# Who may query shared data by hand: staff, but not the three security administrators (三员分立).
QUERY_ROLES = frozenset(STAFF_ROLES - SECURITY_ROLES)


@transaction.atomic
def data_resource_register(
    *,
    actor: User | None,
    provider: Department,
    code: str,
    name: str,
    fields: list[dict[str, str]],
    subject_kind: str,
    legal_basis: str,
    personal: bool = True,
    conditions: str = "",
    replaces: str = "",
    description: str = "",
) -> DataResource:
    """A department adds a resource to the sharing catalogue (its administrator, for its own data)."""
    if actor is not None:
        authorize(actor, {Role.DEPT_ADMIN}, department=provider)
    problems: list[tuple[str, str]] = []
    if not _CODE.match(code):
        problems.append(("code", _("Use 2–40 lower-case letters, digits or hyphens, starting with a letter.")))
    elif DataResource.objects.filter(code=code).exists():
        problems.append(("code", _("This code is taken.")))
    if not name.strip():
        problems.append(("name", _("This field is required.")))
    elif DataResource.objects.filter(name=name.strip()).exists():
        problems.append(("name", _("A resource of this name exists.")))
    if not fields or not all(isinstance(f, dict) and f.get("key") and f.get("label") for f in fields):
        problems.append(("fields", _("Name every data item shared, each with a key and a label.")))
    if subject_kind not in SubjectKind.values:
        problems.append(("subject_kind", _("Choose whom the data is about.")))
    if not legal_basis.strip():
        problems.append(("legal_basis", _("Sharing needs a legal basis.")))
    raise_problems(problems)
    resource = DataResource.objects.create(
        provider=provider,
        code=code,
        name=name.strip(),
        fields=[{"key": str(f["key"]), "label": str(f["label"])} for f in fields],
        subject_kind=subject_kind,
        personal=personal,
        conditions=conditions.strip(),
        legal_basis=legal_basis.strip(),
        replaces=replaces.strip(),
        description=description.strip(),
    )
    audit_record(actor=actor, action="sharing.resource_register", target=resource, changes={"code": [None, code]})
    return resource


def subject_normalise(kind: str, code: str) -> tuple[str, str | None]:
    """The code as stored, and a problem in words if it is not a valid code of that kind."""
    value = code.strip()
    if kind == SubjectKind.COMPANY:
        return normalise_credit_code(value), credit_code_problem(value)
    return normalise_resident_id(value), resident_id_problem(value)


def data_record_put(*, resource: DataResource, subject_code: str, data: dict[str, Any]) -> DataRecord:
    """The provider's system sets what it answers for one subject (the demo feeds these)."""
    code, problem = subject_normalise(resource.subject_kind, subject_code)
    if problem:
        raise ValidationFailed(problem, details={"errors": [{"field": "subject_code", "message": problem}]})
    record, _created = DataRecord.objects.update_or_create(
        resource=resource, subject_digest=lookup_digest(code), defaults={"subject_code": code, "data": data}
    )
    return record


@dataclass(frozen=True)
class Answer:
    resource: DataResource
    found: bool
    query: DataQuery
    data: dict[str, Any] = field(default_factory=dict)


def _party(user: User | None, api_key: ApiKey | None) -> str:
    if api_key is not None:
        return api_key.name
    if user is not None:
        return user.get_full_name()
    return ""


def data_query(
    *,
    resource_code: str,
    subject_code: str,
    purpose: str,
    case_number: str,
    user: User | None = None,
    api_key: ApiKey | None = None,
    system: str = "",
) -> Answer:
    """Queries a resource about one subject. A system needs the resource's scope, a person a staff role,
    and the platform's own rules (``system``, e.g. instant approval) name themselves; all state purpose
    and case. Every query is logged — a refused one too, before it is refused."""
    resource = DataResource.objects.select_related("provider").filter(code=resource_code, active=True).first()
    purpose, case_number = purpose.strip()[:300], case_number.strip()[:60]
    log = DataQuery(
        resource=resource,
        api_key=api_key,
        user=user if user is not None and user.is_authenticated else None,
        party=(system or _party(user, api_key))[:200],
        purpose=purpose,
        case_number=case_number,
    )
    code = subject_code.strip()
    problem: str | None = None
    if resource is not None:
        code, problem = subject_normalise(resource.subject_kind, subject_code)
    if code and not problem:
        log.subject_digest, log.subject_masked = lookup_digest(code), mask_id_number(code)

    def refuse(reason: str, error: Exception) -> None:
        log.outcome, log.refusal = QueryOutcome.REFUSED, reason
        log.save()
        audit_record(actor=log.user, action="sharing.query_refused", target=log, changes={"reason": [None, reason]})
        raise error

    if resource is None:
        refuse("unknown_resource", NotFound(_("There is no open data resource with this code."), code="not_found"))
    assert resource is not None
    if api_key is not None:
        if resource.scope not in api_key.scopes and "sharing:*" not in api_key.scopes:
            refuse(
                "insufficient_scope",
                PermissionDenied(
                    _("This API key does not have the scope %(scope)s.") % {"scope": resource.scope},
                    code="insufficient_scope",
                ),
            )
    elif system:
        pass  # the platform's own rule engine, called in-process only
    elif user is None or not user_has_role(user=user, roles=QUERY_ROLES):
        refuse("not_staff", PermissionDenied(_("Only government staff and authorised systems query shared data.")))
    problems: list[tuple[str, str]] = []
    if len(purpose) < 2:
        problems.append(("purpose", _("State the purpose of the query (用数事由).")))
    if not case_number:
        problems.append(("case_number", _("State the case the query serves.")))
    if problem:
        problems.append(("subject_code", problem))
    if problems:
        refuse(
            "purpose_required" if len(purpose) < 2 else ("case_required" if not case_number else "bad_subject"),
            ValidationFailed(problems[0][1], details={"errors": [{"field": f, "message": m} for f, m in problems]}),
        )
    record = DataRecord.objects.filter(resource=resource, subject_digest=log.subject_digest).first()
    log.outcome = QueryOutcome.FOUND if record else QueryOutcome.NOT_FOUND
    log.save()
    audit_record(actor=log.user, action="sharing.query", target=log, changes={"outcome": [None, log.outcome]})
    return Answer(resource=resource, found=record is not None, query=log, data=dict(record.data) if record else {})


def shared_data_exemption(requirement: MaterialRequirement, applicant_code: str) -> Exemption | None:
    """The finder cases ask: a material named as some resource's replaced proof is exempt when that
    resource holds a record of the applicant (the use is logged against the case); shared data the
    catalogue names but no resource is registered for stays exempt as the catalogue says."""
    if not requirement.shared_data:
        return None
    resource = (
        DataResource.objects.select_related("provider").filter(active=True, replaces=requirement.shared_data).first()
    )
    if resource is None:
        return Exemption(note=_("Shared data: %(name)s") % {"name": requirement.shared_data})
    code, problem = subject_normalise(resource.subject_kind, applicant_code)
    if problem:
        return None
    digest = lookup_digest(code)
    if not DataRecord.objects.filter(resource=resource, subject_digest=digest).exists():
        return None

    def record(case: Any, actor: Any) -> None:
        query = DataQuery.objects.create(
            resource=resource,
            party=case.department.name,
            purpose=_("In place of the proof %(material)s") % {"material": requirement.name},
            case_number=case.number,
            subject_digest=digest,
            subject_masked=mask_id_number(code),
            outcome=QueryOutcome.FOUND,
        )
        audit_record(actor=actor, action="sharing.query", target=query, changes={"outcome": [None, query.outcome]})

    return Exemption(
        note=_("Shared data: %(name)s (from %(provider)s)")
        % {"name": resource.name, "provider": resource.provider.name},
        reference=resource.code,
        record=record,
    )
