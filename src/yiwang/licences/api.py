from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yiwang.accounts.api_keys import ScopedApiKey
from yiwang.core.api_support import ErrorOut
from yiwang.core.errors import NotFound
from yiwang.licences.selectors import licence_verify
from yiwang.licences.services import licence_use_lookup, verification_record

router = Router(tags=["licences"])


class VerifyIn(Schema):
    identifier: str = Field(
        ..., max_length=120, description="证照标识 (GB/T 36904), as printed on the licence or its QR code"
    )


class LicenceEventOut(Schema):
    action: str
    at: datetime
    reason: str


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
    replaced_by: str | None = Field(default=None, description="identifier of the version that replaced this one")
    history: list[LicenceEventOut] = Field(default_factory=list, description="issue, revoke, annul, expire, re-issue")


@router.get("/verify", response={200: VerificationOut, 422: ErrorOut}, auth=None, summary="Verify a licence (public)")
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
        replaced_by=result.replaced_by or None,
        history=[LicenceEventOut(action=e.action, at=e.at, reason=e.reason) for e in result.events],
    )


class UseIn(Schema):
    identifier: str = Field("", max_length=120, description="证照标识; or holder_code with licence_type")
    holder_code: str = Field("", max_length=30, description="resident ID number or unified social credit code")
    licence_type: str = Field("", max_length=32, description="licence type code (the register's or GB/T 36904)")
    purpose: str = Field("", max_length=300, description="用证事由")
    case_number: str = Field("", max_length=60, description="the case the use serves")


class LicenceOut(Schema):
    identifier: str
    licence_type: str
    number: str
    holder: str
    holder_code: str
    holder_code_type: str
    issuer: str
    issued_on: date
    valid_from: date
    valid_until: date | None
    status: str
    data: dict[str, Any]
    signature: str
    public_key: str


@router.post(
    "/use",
    response={200: LicenceOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=ScopedApiKey("licences:use"),
    summary="Use a licence for a case (用证, other departments' systems)",
)
def use(request: HttpRequest, payload: UseIn) -> LicenceOut:
    """The whole licence for a stated purpose and case; the holder sees the use. 404 if there is none."""
    licence = licence_use_lookup(
        purpose=payload.purpose,
        case_number=payload.case_number,
        identifier=payload.identifier,
        holder_code=payload.holder_code,
        licence_type_code=payload.licence_type,
        api_key=getattr(request, "api_key", None),
    )
    if licence is None:
        raise NotFound(_("No valid licence answers this request."), code="not_found")
    return LicenceOut(
        identifier=licence.identifier,
        licence_type=licence.licence_type.code,
        number=licence.number,
        holder=licence.holder_name,
        holder_code=licence.holder_code,
        holder_code_type=licence.holder_code_type,
        issuer=licence.issuer.name,
        issued_on=licence.issued_on,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status=licence.status,
        data=licence.data,
        signature=licence.signature,
        public_key=licence.signing_key.public_key,
    )
