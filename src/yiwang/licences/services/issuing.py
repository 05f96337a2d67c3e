"""Issuing a signed licence (电子证照 GB/T 36904): the draft's rules, validity, serials, the row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import raise_problems
from yiwang.core.fields import text_problems
from yiwang.core.identifiers import is_valid_credit_code, resident_id_problem
from yiwang.core.personal_data import lookup_digest
from yiwang.licences.identifiers import LicenceIdentifier
from yiwang.licences.models import (
    HolderCodeType,
    Licence,
    LicenceEvent,
    LicenceSerial,
    SigningKey,
)
from yiwang.licences.services.keys import signed_content, signer_for, signing_key_for

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.catalogue.models import LicenceType
    from yiwang.organisation.models import Department


LICENCE_FIELD_TYPES = ("text", "date", "number")


def licence_data_problems(
    licence_type: LicenceType, data: dict[str, Any], prefix: str = "data"
) -> list[tuple[str, str]]:
    """The type's metadata fields (GB/T 36903): required ones present, dates and numbers well formed."""
    problems: list[tuple[str, str]] = []
    for spec in licence_type.fields or []:
        key = str(spec.get("key", ""))
        value = data.get(key)
        text = "" if value is None else str(value).strip()
        if not text:
            if spec.get("required"):
                problems.append((f"{prefix}.{key}", _("%(field)s is required.") % {"field": spec.get("label") or key}))
            continue
        kind = spec.get("type", "text")
        if kind == "date" and _date_or_none(text) is None:
            problems.append((f"{prefix}.{key}", _("%(field)s must be a date like 2026-01-31.") % {"field": key}))
        elif kind == "number":
            try:
                float(text)
            except ValueError:
                problems.append((f"{prefix}.{key}", _("%(field)s must be a number.") % {"field": key}))
    return problems


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def validity_until(licence_type: LicenceType, valid_from: date) -> date | None:
    """The last day of validity by the type's rule (None: valid until revoked)."""
    if not licence_type.validity_years:
        return None
    try:
        end = valid_from.replace(year=valid_from.year + licence_type.validity_years)
    except ValueError:  # 29 February
        end = valid_from.replace(year=valid_from.year + licence_type.validity_years, day=28)
    return end - timedelta(days=1)


def holder_code_type(code: str) -> str:
    return HolderCodeType.CREDIT_CODE if is_valid_credit_code(code) else HolderCodeType.RESIDENT_ID


@dataclass(frozen=True)
class LicenceDraft:
    """One licence to issue: what the department states; the platform adds identifier and signature."""

    holder_name: str
    holder_code: str
    number: str
    valid_from: date | None = None
    valid_until: date | None = None
    issued_on: date | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _licence_row(
    *,
    licence_type: LicenceType,
    issuer: Department,
    draft: LicenceDraft,
    serial: str,
    key: SigningKey,
    today: date,
    version: int = 1,
) -> Licence:
    valid_from = draft.valid_from or today
    code = draft.holder_code.strip().upper()
    identifier = LicenceIdentifier(licence_type.identifier_code, issuer.credit_code, serial, version)
    return Licence(
        identifier=str(identifier),
        licence_type=licence_type,
        number=draft.number.strip(),
        name=licence_type.name,
        holder_name=draft.holder_name.strip(),
        holder_code=code,
        holder_code_digest=lookup_digest(code),
        holder_code_type=holder_code_type(code),
        issuer=issuer,
        issued_on=draft.issued_on or today,
        valid_from=valid_from,
        valid_until=draft.valid_until or validity_until(licence_type, valid_from),
        data=draft.data,
        version=version,
        signing_key=key,
    )


def _serials_reserve(licence_type: LicenceType, issuer: Department, year: int, count: int) -> range:
    """``count`` consecutive serials, drawn under the counter's row lock (held until commit)."""
    counter, _created = LicenceSerial.objects.get_or_create(licence_type=licence_type, issuer=issuer, year=year)
    LicenceSerial.objects.filter(pk=counter.pk).update(last=F("last") + count)
    last = int(LicenceSerial.objects.values_list("last", flat=True).get(pk=counter.pk))
    return range(last - count + 1, last + 1)


def _serial_text(year: int, serial: int) -> str:
    return f"{year}{serial:07d}"


ISSUE_ROLES = {Role.APPROVER, Role.DEPT_HEAD, Role.DEPT_ADMIN}
WITHDRAW_ROLES = {Role.DEPT_HEAD, Role.DEPT_ADMIN}


@transaction.atomic
def licence_issue(
    *,
    actor: User | None,
    licence_type: LicenceType,
    issuer: Department,
    holder_name: str,
    holder_code: str,
    number: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
    data: dict[str, Any] | None = None,
    holder_account: User | None = None,
    case: Any = None,
    check_data: bool = False,
) -> Licence:
    """Issues and signs a licence with the issuer's key; its identifier is unique under concurrency.
    A department issuing by hand (``actor`` set, no case) must hold an issuing role there."""
    if actor is not None and case is None:
        authorize(actor, ISSUE_ROLES, department=issuer)
    draft = LicenceDraft(holder_name, holder_code, number, valid_from, valid_until, data=data or {})
    problems = _draft_problems(licence_type, draft, check_data=check_data)
    raise_problems(problems)
    today = timezone.localdate()
    serial = _serials_reserve(licence_type, issuer, today.year, 1)[0]
    key = signing_key_for(issuer)
    licence = _licence_row(
        licence_type=licence_type,
        issuer=issuer,
        draft=draft,
        serial=_serial_text(today.year, serial),
        key=key,
        today=today,
    )
    licence.holder_account = holder_account or _holder_account(licence)
    licence.case = case
    licence.signature = signer_for(issuer).sign(signed_content(licence))
    licence.save()
    LicenceEvent.objects.create(licence=licence, action="issue", actor=actor)
    audit_record(
        actor=actor, action="licences.issue", target=licence, changes={"identifier": [None, licence.identifier]}
    )
    return licence


HOLDER_NAME_MAX = Licence._meta.get_field("holder_name").max_length or 200
NUMBER_MAX = Licence._meta.get_field("number").max_length or 100


def _draft_problems(
    licence_type: LicenceType, draft: LicenceDraft, *, check_data: bool, prefix: str = ""
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    code = draft.holder_code.strip().upper()
    if not draft.holder_name.strip():
        problems.append((f"{prefix}holder_name", _("The holder's name is required.")))
    else:  # the same rules at the desk, in an import and from the API: no control characters, nothing cut
        problems += text_problems(draft.holder_name, f"{prefix}holder_name", max_length=HOLDER_NAME_MAX)
    if not (is_valid_credit_code(code) or resident_id_problem(code) is None):
        problems.append(
            (f"{prefix}holder_code", _("The holder code must be a resident ID number or a unified social credit code."))
        )
    if not draft.number.strip():
        problems.append((f"{prefix}number", _("The licence number is required.")))
    else:
        problems += text_problems(draft.number, f"{prefix}number", max_length=NUMBER_MAX)
    if draft.valid_from and draft.valid_until and draft.valid_until < draft.valid_from:
        problems.append((f"{prefix}valid_until", _("The end of validity is before its start.")))
    if check_data:
        problems += licence_data_problems(licence_type, draft.data, prefix=f"{prefix}data")
    return problems


def _holder_account(licence: Licence) -> User | None:
    from yiwang.accounts.selectors import account_by_document

    id_type = "credit_code" if licence.holder_code_type == HolderCodeType.CREDIT_CODE else "resident_id"
    return account_by_document(id_type=id_type, number=licence.holder_code)
