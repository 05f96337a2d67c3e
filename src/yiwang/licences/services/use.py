"""Using a licence: recorded uses by departments and systems, the holder's share links, verification records."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import NotFound, raise_problems
from yiwang.licences.models import (
    Licence,
    LicenceStatus,
    LicenceUse,
    ShareLink,
)

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department


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
def licence_number_reveal(*, holder: User, licence: Licence) -> str:
    """The licence's number in clear for its holder, who asked to see it; audited like staff's reveal.

    个人信息保护法: an ID card's number is the holder's ID number, shown masked by default (``number_masked``)
    even to the holder — on a phone in a hall, over a shoulder — and in clear only on demand.
    """
    if licence.holder_account_id != holder.pk:
        raise NotFound(code="not_found")
    audit_record(
        actor=holder,
        action="personal_data.reveal",
        target=licence,
        changes={"field": [None, "licence_number"], "purpose": [None, "holder"]},
    )
    return licence.number


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
