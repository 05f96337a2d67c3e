"""Reads of the e-licence context: verification (authentic? unchanged? current?), with masked holder data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from yiwang.core.masking import mask_id_number, mask_name
from yiwang.licences.identifiers import identifier_parse
from yiwang.licences.models import HolderCodeType, Licence
from yiwang.licences.services import signed_content
from yiwang.licences.signing import signature_valid

if TYPE_CHECKING:
    from yiwang.accounts.models import User


@dataclass(frozen=True)
class Verification:
    found: bool
    authentic: bool = False  # signed by a key of the issuing department, and the content unchanged
    licence: Licence | None = None

    @property
    def holder_code_masked(self) -> str:
        return mask_id_number(self.licence.holder_code) if self.licence else ""

    @property
    def holder_name_shown(self) -> str:
        """A company's name is public; a person's is masked."""
        if self.licence is None:
            return ""
        if self.licence.holder_code_type == HolderCodeType.CREDIT_CODE:
            return self.licence.holder_name
        return mask_name(self.licence.holder_name)


def licence_verify(identifier: str) -> Verification:
    """An unknown or malformed identifier is simply not found; a changed field or signature is not authentic."""
    if identifier_parse(identifier) is None:
        return Verification(found=False)
    licence = (
        Licence.objects.select_related("licence_type", "issuer", "signing_key")
        .filter(identifier=identifier.strip().upper())
        .first()
    )
    if licence is None:
        return Verification(found=False)
    key_of_issuer = licence.signing_key.department_id == licence.issuer_id
    authentic = key_of_issuer and signature_valid(
        licence.signing_key.public_key, signed_content(licence), licence.signature
    )
    return Verification(found=True, authentic=authentic, licence=licence)


def wallet_rows(user: User) -> list[Licence]:
    """The holder's licences for my page (the full wallet comes with issue 7)."""
    return list(Licence.objects.filter(holder_account=user).select_related("issuer").order_by("-issued_on", "-pk")[:50])
