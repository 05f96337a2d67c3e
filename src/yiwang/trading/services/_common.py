"""What the trading services share: the operator's check on a project, the project's row lock, the
platform's signature and the project's event log."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.audit.services import audit_record
from yiwang.core.crypto import sm2_key_fingerprint, sm2_key_pair, sm2_sign
from yiwang.core.errors import Conflict
from yiwang.trading.envelope import canonical
from yiwang.trading.models import PlatformKey, ProjectEvent, TradingProject
from yiwang.trading.ocds import release_store
from yiwang.trading.selectors import is_tenderer
from yiwang.trading.services.registration import OPERATOR_ROLES, operating_refused, supervision_of

__all__ = ["event_record", "is_tenderer", "operator_authorize", "platform_sign", "project_locked", "stamp"]

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Region


def operator_authorize(actor: User, project: TradingProject) -> None:
    """The trading centre's staff of the project's region operate it; its supervisor never does (管办分离)."""
    authorize(actor, OPERATOR_ROLES, region=project.region)
    operating_refused(actor, supervision_of(project.region, project.kind))


def project_locked(project: TradingProject, *, while_suspended: bool = False) -> TradingProject:
    """The project re-read under its row lock: bids, the closing and the opening queue on it, so the
    deadline is checked against a status no one else is changing. While the supervisor has suspended it
    (招标投标法实施条例 §62; 政府采购法 §57) nothing moves it forward; ``while_suspended`` is for the steps
    that may still be taken then (objections and answers, amendments, withdrawals, ending the tender)."""
    locked = TradingProject.objects.select_for_update().select_related("region").get(pk=project.pk)
    if not while_suspended and locked.suspended():
        raise Conflict(
            _("The supervising department has suspended this project while it handles a complaint."),
            code="project_suspended",
        )
    return locked


def platform_key_for(region: Region) -> PlatformKey:
    """The region's live signing key, made on first use (two first uses at once make one key)."""
    key = PlatformKey.objects.filter(region=region, retired_at__isnull=True).first()
    if key is not None:
        return key
    private, public = sm2_key_pair()
    try:
        with transaction.atomic():
            key = PlatformKey.objects.create(
                region=region, public_key=public, fingerprint=sm2_key_fingerprint(public), private_key=private
            )
            audit_record(actor=None, action="trading.platform_key_create", target=key)
    except IntegrityError:
        return PlatformKey.objects.get(region=region, retired_at__isnull=True)
    return key


def platform_sign(region: Region, content: dict[str, Any]) -> tuple[str, str, PlatformKey]:
    """``content`` in canonical form with the platform's SM2 signature over it and the key that made it."""
    key = platform_key_for(region)
    text = canonical({**content, "platform_key": key.fingerprint}).decode()
    return text, sm2_sign(key.private_key, key.public_key, text.encode()), key


def stamp(moment: datetime) -> str:
    """A time as signed content names it: ISO 8601 with microseconds and the offset."""
    return moment.isoformat(timespec="microseconds")


def event_record(
    project: TradingProject, action: str, *, actor: User | None, before: str = "", note: str = ""
) -> ProjectEvent:
    event = ProjectEvent.objects.create(
        project=project, action=action, from_status=before, to_status=project.status, actor=actor, note=note[:500]
    )
    release_store(project, event)  # a public step's OCDS release, frozen as published
    return event
