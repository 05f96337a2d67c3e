"""Reads of the e-licence context: verification (authentic? unchanged? current?), with masked holder data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import scope_filter
from yiwang.cases.exemptions import Exemption
from yiwang.catalogue.selectors import licence_types_with_issuer
from yiwang.core.masking import mask_id_number, mask_name, mask_text
from yiwang.core.personal_data import lookup_digest
from yiwang.licences.identifiers import identifier_parse
from yiwang.licences.models import HolderCodeType, Licence, LicenceEvent, LicenceStatus, LicenceUse, ShareLink
from yiwang.licences.services import signed_content
from yiwang.licences.signing import signature_valid_remembered

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.catalogue.models import LicenceType, MaterialRequirement


@dataclass(frozen=True)
class Verification:
    found: bool
    authentic: bool = False  # signed by a key of the issuing department, and the content unchanged
    licence: Licence | None = None
    events: tuple[LicenceEvent, ...] = ()  # the status history, oldest first
    replaced_by: str = ""  # the identifier of the version that replaced it

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


# What verification reads and shows: the licence's own fields (all of them are signed or shown), and of
# its type, issuer and key only what the signed content, the answer and the page use.
_VERIFIED_FIELDS = [
    *(f.name for f in Licence._meta.concrete_fields),
    "licence_type__code",
    "licence_type__name",
    "licence_type__trust_grade",
    "issuer__name",
    "issuer__credit_code",
    "signing_key__department",
    "signing_key__public_key",
]


def licence_verify(identifier: str) -> Verification:
    """An unknown or malformed identifier is simply not found; a changed field or signature is not authentic."""
    if identifier_parse(identifier) is None:
        return Verification(found=False)
    # The hot path of verification (bench/licences_service.py): the successor is read in the same query,
    # and the unique identifier needs no ordering (the model's default would be compiled and sorted).
    successor = Licence.objects.filter(replaces=OuterRef("pk")).order_by().values("identifier")[:1]
    try:
        licence = (
            Licence.objects.select_related("licence_type", "issuer", "signing_key")
            .only(*_VERIFIED_FIELDS)
            .annotate(successor=Subquery(successor))
            .order_by()
            .get(identifier=identifier.strip().upper())
        )
    except Licence.DoesNotExist:
        return Verification(found=False)
    key_of_issuer = licence.signing_key.department_id == licence.issuer_id
    authentic = key_of_issuer and signature_valid_remembered(
        licence.signing_key.public_key, signed_content(licence), licence.signature
    )
    return Verification(
        found=True,
        authentic=authentic,
        licence=licence,
        # By time only: the model's ordering starts with the licence, which sorts by the licence's own
        # ordering and so joins the licence table again for rows that all belong to one licence.
        events=tuple(licence.events.order_by("at", "pk")),
        replaced_by=licence.successor or "",
    )


def licence_events(licence: Licence) -> list[LicenceEvent]:
    """The status history verification shows: issue, revoke, annul, expire, re-issue with reasons."""
    return list(licence.events.all())


def licence_valid_for(holder_code: str, licence_type_id: int, *, on: date | None = None) -> Licence | None:
    """The holder's current valid licence of a type (the newest if several), or None."""
    on = on or timezone.localdate()
    return (
        Licence.objects.select_related("issuer", "licence_type")
        .filter(
            licence_type_id=licence_type_id,
            holder_code_digest=lookup_digest(holder_code.strip().upper()),
            status=LicenceStatus.VALID,
            valid_from__lte=on,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-issued_on", "-pk")
        .first()
    )


def licences_valid_for(holder_code: str, licence_type_ids: set[int], *, on: date | None = None) -> dict[int, Licence]:
    """``licence_valid_for`` for several types in one query: type id → the holder's current valid licence."""
    if not licence_type_ids:
        return {}
    on = on or timezone.localdate()
    found: dict[int, Licence] = {}
    for licence in (
        Licence.objects.select_related("issuer", "licence_type")
        .filter(
            licence_type_id__in=licence_type_ids,
            holder_code_digest=lookup_digest(holder_code.strip().upper()),
            status=LicenceStatus.VALID,
            valid_from__lte=on,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-issued_on", "-pk")
    ):
        found.setdefault(licence.licence_type_id, licence)  # the newest of each type
    return found


def licence_exemptions(requirements: list[MaterialRequirement], applicant_code: str) -> dict[int, Exemption]:
    """The finder cases ask: a material mapped to a licence type is supplied by the applicant's valid
    licence of that type; its use is recorded with the case as purpose. One query for the checklist."""
    mapped = [r for r in requirements if r.replaced_by_id is not None]
    licences = licences_valid_for(applicant_code, {r.replaced_by_id for r in mapped if r.replaced_by_id})
    return {
        r.pk: _exemption(r, licences[r.replaced_by_id])
        for r in mapped
        if r.replaced_by_id is not None and r.replaced_by_id in licences
    }


def _exemption(requirement: MaterialRequirement, licence: Licence) -> Exemption:
    def record(case: Any, actor: Any) -> None:
        from yiwang.licences.services import licence_use_record

        licence_use_record(
            licence=licence,
            user=actor,
            department=case.department,
            case=case,
            purpose=_("%(item)s: in place of %(material)s") % {"item": case.version.name, "material": requirement.name},
        )

    return Exemption(
        # The number of an ID card is the ID number: kept masked wherever the note is shown.
        note=_("E-licence %(name)s No. %(number)s") % {"name": licence.name, "number": mask_text(licence.number)},
        reference=licence.identifier,
        record=record,
    )


def wallet_rows(user: User) -> list[Licence]:
    """The holder's licences for my page, newest first (re-issued versions replace their predecessors)."""
    return list(
        Licence.objects.filter(holder_account=user)
        .exclude(status=LicenceStatus.ANNULLED, replaced_by__isnull=False)
        .select_related("issuer")
        .order_by("-issued_on", "-pk")[:50]
    )


def wallet_licence(user: User, identifier: str) -> Licence | None:
    return (
        Licence.objects.select_related("issuer", "licence_type", "replaces")
        .filter(holder_account=user, identifier=identifier)
        .first()
    )


def licence_uses(licence: Licence, *, limit: int = 100) -> list[LicenceUse]:
    return list(licence.uses.select_related("case")[:limit])


def share_links(licence: Licence) -> list[ShareLink]:
    return list(licence.share_links.all()[:20])


def licences_managed(user: User) -> QuerySet[Licence]:
    """The licences of the departments where ``user`` issues them."""
    from yiwang.licences.services import ISSUE_ROLES

    return scope_filter(
        Licence.objects.select_related("licence_type", "issuer"),
        user,
        ISSUE_ROLES,
        department_field="issuer",
        region_field="issuer__region",
    )


def licence_types_issued_by(user: User) -> QuerySet[LicenceType]:
    from yiwang.licences.services import ISSUE_ROLES

    return scope_filter(
        licence_types_with_issuer(),
        user,
        ISSUE_ROLES,
        department_field="issuing_department",
        region_field="issuing_department__region",
    )
