"""A licence's life after issue: revoked, annulled, reissued, expired — each an event with its reason."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.audit.services import audit_record
from yiwang.core.errors import raise_problems
from yiwang.licences.identifiers import identifier_parse
from yiwang.licences.models import (
    Licence,
    LicenceEvent,
    LicenceStatus,
)
from yiwang.licences.services.issuing import WITHDRAW_ROLES, LicenceDraft, _draft_problems, _licence_row
from yiwang.licences.services.keys import signed_content, signer_for, signing_key_for
from yiwang.licences.workflow import WORKFLOW

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def _locked(licence: Licence) -> Licence:
    return Licence.objects.select_for_update(of=("self",)).select_related("issuer", "licence_type").get(pk=licence.pk)


def _status_change(*, actor: User | None, licence: Licence, action: str, reason: str) -> Licence:
    """A step of the table (licences.workflow) with its reason, event and audit record."""
    if actor is not None:
        authorize(actor, WITHDRAW_ROLES, department=licence.issuer)
    reason = reason.strip()
    if not reason:
        raise_problems([("reason", _("Give the reason: it is shown to everyone who verifies the licence."))])
    licence = _locked(licence)
    old = licence.status
    to = WORKFLOW.target(old, action)
    licence.status = to
    licence.save(update_fields=["status"])
    LicenceEvent.objects.create(licence=licence, action=action, reason=reason[:300], actor=actor)
    audit_record(actor=actor, action=f"licences.{action}", target=licence, changes={"status": [old, to]})
    return licence


@transaction.atomic
def licence_revoke(*, actor: User | None, licence: Licence, reason: str) -> Licence:
    """吊销/撤销: the authority withdraws a valid licence (a sanction or a lapsed condition)."""
    return _status_change(actor=actor, licence=licence, action="revoke", reason=reason)


@transaction.atomic
def licence_annul(*, actor: User | None, licence: Licence, reason: str) -> Licence:
    """注销/作废: the licence ends (issued in error, the holder gave it up, the company closed)."""
    return _status_change(actor=actor, licence=licence, action="annul", reason=reason)


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
    old = _status_change(actor=actor, licence=licence, action="reissue", reason=reason)
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
            changed = Licence.objects.filter(pk=pk, status=LicenceStatus.VALID).update(
                status=WORKFLOW.target(LicenceStatus.VALID, "expire")
            )
            if changed:
                LicenceEvent.objects.create(
                    licence_id=pk, action="expire", reason=str(_("Past its last day of validity."))
                )
                expired += 1
    if expired:
        audit_record(actor=None, action="licences.expire", object_type="licence", changes={"count": [None, expired]})
    return expired
