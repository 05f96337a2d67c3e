"""Writes of the e-licence context (docs/licences.md): signing keys and signers, issuing a signed licence."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yiwang.audit.services import audit_record
from yiwang.core.identifiers import is_valid_credit_code
from yiwang.core.personal_data import lookup_digest
from yiwang.licences.identifiers import LicenceIdentifier
from yiwang.licences.models import HolderCodeType, Licence, LicenceEvent, LicenceSerial, SigningKey
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


def _serial_next(licence_type: LicenceType, issuer: Department, year: int) -> int:
    """Drawn inside the issuing transaction: the counter row stays locked until it commits."""
    counter, _created = LicenceSerial.objects.get_or_create(licence_type=licence_type, issuer=issuer, year=year)
    LicenceSerial.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return int(LicenceSerial.objects.values_list("last", flat=True).get(pk=counter.pk))


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
) -> Licence:
    """Issues and signs a licence with the issuer's key; its identifier is unique under concurrency."""
    today = timezone.localdate()
    serial = _serial_next(licence_type, issuer, today.year)
    identifier = LicenceIdentifier(licence_type.code, issuer.credit_code, f"{today.year}{serial:07d}", 1)
    key = signing_key_for(issuer)
    code_type = HolderCodeType.CREDIT_CODE if is_valid_credit_code(holder_code) else HolderCodeType.RESIDENT_ID
    licence = Licence(
        identifier=str(identifier),
        licence_type=licence_type,
        number=number,
        name=licence_type.name,
        holder_name=holder_name,
        holder_code=holder_code,
        holder_code_digest=lookup_digest(holder_code),
        holder_code_type=code_type,
        holder_account=holder_account,
        issuer=issuer,
        issued_on=today,
        valid_from=valid_from or today,
        valid_until=valid_until,
        data=data or {},
        case=case,
        signing_key=key,
    )
    licence.signature = signer_for(issuer).sign(signed_content(licence))
    licence.save()
    LicenceEvent.objects.create(licence=licence, action="issue", actor=actor)
    audit_record(
        actor=actor, action="licences.issue", target=licence, changes={"identifier": [None, licence.identifier]}
    )
    return licence


def verification_record(*, actor: Any, licence: Licence | None, found: bool, authentic: bool) -> None:
    """Every verification goes into the trail (page and API alike): which licence, and the answer."""
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="licences.verify",
        target=licence,
        object_type="licence",
        changes={"found": [None, found], "authentic": [None, authentic]},
    )
