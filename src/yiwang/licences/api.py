from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yiwang.licences.selectors import licence_verify
from yiwang.licences.services import verification_record

router = Router(tags=["licences"])


class VerifyIn(Schema):
    identifier: str = Field(
        ..., max_length=120, description="证照标识 (GB/T 36904), as printed on the licence or its QR code"
    )


class VerificationOut(Schema):
    found: bool
    authentic: bool = Field(default=False, description="signed by the issuing department's key and unchanged since")
    status: str | None = None
    licence_type: str | None = None
    number: str | None = None
    holder: str | None = Field(default=None, description="a company's name, or a person's name masked")
    holder_code: str | None = Field(default=None, description="masked")
    issuer: str | None = None
    issued_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None


@router.get("/verify", response=VerificationOut, auth=None, summary="Verify a licence (public)")
def verify(request: HttpRequest, query: Query[VerifyIn]) -> VerificationOut:
    """An unknown or malformed identifier is `found: false`, never an error."""
    result = licence_verify(query.identifier)
    verification_record(actor=request.user, licence=result.licence, found=result.found, authentic=result.authentic)
    licence = result.licence
    if licence is None:
        return VerificationOut(found=False)
    return VerificationOut(
        found=True,
        authentic=result.authentic,
        status=licence.status,
        licence_type=licence.licence_type.name,
        number=licence.number,
        holder=result.holder_name_shown,
        holder_code=result.holder_code_masked,
        issuer=licence.issuer.name,
        issued_on=licence.issued_on,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
    )
