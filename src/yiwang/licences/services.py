"""Writes of the e-licence context (docs/licences.md): signing keys and signers, issuing a signed licence."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, NotFound, raise_problems
from yiwang.core.fields import text_problems
from yiwang.core.identifiers import is_valid_credit_code, resident_id_problem
from yiwang.core.personal_data import lookup_digest
from yiwang.licences.identifiers import LicenceIdentifier, identifier_parse
from yiwang.licences.models import (
    HolderCodeType,
    Licence,
    LicenceEvent,
    LicenceSerial,
    LicenceStatus,
    LicenceUse,
    ShareLink,
    SigningKey,
)
from yiwang.licences.signing import Signer, SoftwareSigner, canonical, key_pair_generate

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.catalogue.models import LicenceType
    from yiwang.organisation.models import Department


def signing_key_for(department: Department) -> SigningKey:
    """The department's active key, made on first use (two first uses at once make one key)."""
    key = SigningKey.objects.filter(department=department, retired_at__isnull=True).first()
    if key is not None:
        return key
    private, public = key_pair_generate()
    try:
        with transaction.atomic():
            key = SigningKey.objects.create(department=department, public_key=public, private_key=private)
            audit_record(actor=None, action="licences.signing_key_create", target=key)
    except IntegrityError:
        return SigningKey.objects.get(department=department, retired_at__isnull=True)
    return key


def signer_for(department: Department) -> Signer:
    """What signs the department's licences: software SM2 today, an HSM client later, same interface."""
    key = signing_key_for(department)
    return SoftwareSigner(private_key=key.private_key, public_key=key.public_key)


def signed_content(licence: Licence) -> bytes:
    """Exactly what the signature covers (docs/licences.md), rebuilt from the stored row."""
    return canonical(
        {
            "identifier": licence.identifier,
            "type": licence.licence_type.code,
            "number": licence.number,
            "holder": licence.holder_name,
            "holder_code": licence.holder_code,
            "holder_code_type": licence.holder_code_type,
            "issuer": licence.issuer.credit_code,
            "issued_on": licence.issued_on.isoformat(),
            "valid_from": licence.valid_from.isoformat(),
            "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
            "data": licence.data,
        }
    )


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


def _locked(licence: Licence) -> Licence:
    return Licence.objects.select_for_update(of=("self",)).select_related("issuer", "licence_type").get(pk=licence.pk)


def _status_change(
    *, actor: User | None, licence: Licence, action: str, to: str, reason: str, allowed_from: set[str]
) -> Licence:
    if actor is not None:
        authorize(actor, WITHDRAW_ROLES, department=licence.issuer)
    reason = reason.strip()
    if not reason:
        raise_problems([("reason", _("Give the reason: it is shown to everyone who verifies the licence."))])
    licence = _locked(licence)
    if licence.status not in allowed_from:
        raise Conflict(
            _("A licence that is %(status)s cannot be changed this way.") % {"status": licence.get_status_display()},
            code="licence_status",
        )
    old = licence.status
    licence.status = to
    licence.save(update_fields=["status"])
    LicenceEvent.objects.create(licence=licence, action=action, reason=reason[:300], actor=actor)
    audit_record(actor=actor, action=f"licences.{action}", target=licence, changes={"status": [old, to]})
    return licence


@transaction.atomic
def licence_revoke(*, actor: User | None, licence: Licence, reason: str) -> Licence:
    """吊销/撤销: the authority withdraws a valid licence (a sanction or a lapsed condition)."""
    return _status_change(
        actor=actor,
        licence=licence,
        action="revoke",
        to=LicenceStatus.REVOKED,
        reason=reason,
        allowed_from={LicenceStatus.VALID},
    )


@transaction.atomic
def licence_annul(*, actor: User | None, licence: Licence, reason: str) -> Licence:
    """注销/作废: the licence ends (issued in error, the holder gave it up, the company closed)."""
    return _status_change(
        actor=actor,
        licence=licence,
        action="annul",
        to=LicenceStatus.ANNULLED,
        reason=reason,
        allowed_from={LicenceStatus.VALID, LicenceStatus.EXPIRED},
    )


@transaction.atomic
def licence_reissue(
    *,
    actor: User | None,
    licence: Licence,
    reason: str,
    holder_name: str | None = None,
    valid_until: date | None = None,
    data: dict[str, Any] | None = None,
) -> Licence:
    """换发/变更: a new version with the same serial and number; the old one is annulled and points to it."""
    old = _status_change(
        actor=actor,
        licence=licence,
        action="reissue",
        to=LicenceStatus.ANNULLED,
        reason=reason,
        allowed_from={LicenceStatus.VALID, LicenceStatus.EXPIRED},
    )
    today = timezone.localdate()
    draft = LicenceDraft(
        holder_name=holder_name if holder_name is not None else old.holder_name,
        holder_code=old.holder_code,
        number=old.number,
        valid_from=today,
        valid_until=valid_until,
        data=data if data is not None else old.data,
    )
    raise_problems(_draft_problems(old.licence_type, draft, check_data=data is not None))
    parsed = identifier_parse(old.identifier)
    assert parsed is not None
    new = _licence_row(
        licence_type=old.licence_type,
        issuer=old.issuer,
        draft=draft,
        serial=parsed.serial,
        key=signing_key_for(old.issuer),
        today=today,
        version=old.version + 1,
    )
    new.replaces, new.holder_account, new.case = old, old.holder_account, old.case
    new.signature = signer_for(old.issuer).sign(signed_content(new))
    new.save()
    LicenceEvent.objects.create(licence=new, action="issue", reason=reason.strip()[:300], actor=actor)
    audit_record(
        actor=actor, action="licences.issue", target=new, changes={"identifier": [old.identifier, new.identifier]}
    )
    return new


def licences_expire(today: date | None = None) -> int:
    """Nightly: valid licences past their last day become expired, each with its event."""
    today = today or timezone.localdate()
    expired = 0
    due = Licence.objects.filter(status=LicenceStatus.VALID, valid_until__lt=today).values_list("pk", flat=True)
    for pk in list(due[:10000]):
        with transaction.atomic():
            changed = Licence.objects.filter(pk=pk, status=LicenceStatus.VALID).update(status=LicenceStatus.EXPIRED)
            if changed:
                LicenceEvent.objects.create(
                    licence_id=pk, action="expire", reason=str(_("Past its last day of validity."))
                )
                expired += 1
    if expired:
        audit_record(actor=None, action="licences.expire", object_type="licence", changes={"count": [None, expired]})
    return expired


def licence_use_record(
    *,
    licence: Licence,
    purpose: str,
    user: User | None = None,
    department: Department | None = None,
    party: str = "",
    case: Any = None,
) -> LicenceUse:
    """用证: the holder sees who used which licence, when and why."""
    use = LicenceUse.objects.create(
        licence=licence,
        user=user,
        department=department,
        party=(party or (department.name if department else "") or (user.get_full_name() if user else ""))[:200],
        case=case,
        purpose=purpose[:300],
    )
    audit_record(actor=user, action="licences.use", target=licence, changes={"purpose": [None, purpose[:300]]})
    return use


SHARE_DAYS_MAX = 30


@transaction.atomic
def share_link_create(
    *, holder: User, licence: Licence, recipient: str, purpose: str, days: int
) -> tuple[ShareLink, str]:
    """A link for a third party (a bank, a landlord) valid for ``days``; returns it with its one-time token."""
    if licence.holder_account_id != holder.pk:
        raise NotFound(code="not_found")
    problems: list[tuple[str, str]] = []
    if not recipient.strip():
        problems.append(("recipient", _("Say whom the link is for.")))
    if not purpose.strip():
        problems.append(("purpose", _("Say what it is for.")))
    if not 1 <= days <= SHARE_DAYS_MAX:
        problems.append(("days", _("A link lasts from 1 to %(max)s days.") % {"max": SHARE_DAYS_MAX}))
    if licence.status != LicenceStatus.VALID:
        problems.append(("licence", _("Only a valid licence can be shared.")))
    raise_problems(problems)
    token = secrets.token_urlsafe(24)
    link = ShareLink.objects.create(
        licence=licence,
        token_digest=hashlib.sha256(token.encode()).hexdigest(),
        recipient=recipient.strip()[:100],
        purpose=purpose.strip()[:200],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(actor=holder, action="licences.share", target=licence, changes={"recipient": [None, link.recipient]})
    return link, token


@transaction.atomic
def share_link_revoke(*, holder: User, link: ShareLink) -> None:
    if link.licence.holder_account_id != holder.pk:
        raise NotFound(code="not_found")
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=holder, action="licences.share_revoke", target=link.licence)


@transaction.atomic
def share_link_open(token: str) -> ShareLink | None:
    """The link's licence for whoever holds the token, while it lasts; each opening is recorded as a use."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    link = (
        ShareLink.objects.select_for_update()
        .filter(token_digest=digest, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None:
        return None
    ShareLink.objects.filter(pk=link.pk).update(opened=F("opened") + 1)
    licence = Licence.objects.select_related("issuer", "licence_type").get(pk=link.licence_id)
    licence_use_record(licence=licence, party=link.recipient, purpose=link.purpose)
    link.licence = licence
    return link


def verification_record(*, actor: Any, licence: Licence | None, found: bool, authentic: bool) -> None:
    """Every verification goes into the trail (page and API alike): which licence, and the answer."""
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="licences.verify",
        target=licence,
        object_type="licence",
        changes={"found": [None, found], "authentic": [None, authentic]},
    )


def licence_use_lookup(
    *,
    purpose: str,
    case_number: str,
    identifier: str = "",
    holder_code: str = "",
    licence_type_code: str = "",
    user: User | None = None,
    api_key: Any = None,
) -> Licence | None:
    """用证 by another department: a licence by its identifier, or the holder's valid licence of a type.
    Purpose and case are required; the use is recorded and the holder sees it. None if there is none."""
    from yiwang.catalogue.selectors import licence_type_by_code
    from yiwang.licences.selectors import licence_valid_for

    problems: list[tuple[str, str]] = []
    if len(purpose.strip()) < 2:
        problems.append(("purpose", _("State the purpose of the use (用证事由).")))
    if not case_number.strip():
        problems.append(("case_number", _("State the case the use serves.")))
    if not identifier.strip() and not (holder_code.strip() and licence_type_code.strip()):
        problems.append(("identifier", _("Give the licence identifier, or the holder code and the licence type.")))
    if problems:
        audit_record(
            actor=user,
            action="licences.use_refused",
            object_type="licence",
            changes={"party": [None, api_key.name if api_key else ""], "reason": [None, problems[0][0]]},
        )
    raise_problems(problems)
    licence: Licence | None
    if identifier.strip():
        licence = (
            Licence.objects.select_related("issuer", "licence_type", "signing_key")
            .filter(identifier=identifier.strip().upper())
            .first()
        )
    else:
        licence_type = licence_type_by_code(licence_type_code.strip())
        licence = licence_valid_for(holder_code, licence_type.pk) if licence_type else None
    if licence is not None:
        case = _case_by_number(case_number.strip())
        licence_use_record(
            licence=licence,
            user=user,
            department=case.department if case is not None else None,
            party=api_key.name if api_key is not None else "",
            case=case,
            purpose=f"{purpose.strip()}（{case_number.strip()}）"[:300],
        )
    return licence


def _case_by_number(number: str) -> Any:
    from yiwang.cases.selectors import case_by_number

    return case_by_number(number)
