"""Signing keys and signers of the issuing departments, and the bytes a licence's signature covers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from yiwang.audit.services import audit_record
from yiwang.licences.models import (
    Licence,
    SigningKey,
)
from yiwang.licences.signing import Signer, SoftwareSigner, canonical, key_pair_generate

if TYPE_CHECKING:
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
