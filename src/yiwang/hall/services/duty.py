"""The window duty: a clerk signs on at a window and off again."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict
from yiwang.hall.models import AT_WINDOW, QueueTicket, WindowDuty
from yiwang.hall.services._common import _authorize_clerk

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Window


@transaction.atomic
def duty_start(*, actor: User, window: Window, now: datetime | None = None) -> WindowDuty:
    """The clerk signs on at a window (and off any other); one clerk per window."""
    hall = window.group.hall
    _authorize_clerk(actor, hall)
    if not window.is_active:
        raise Conflict(_("Window %(number)s is not in service.") % {"number": window.number}, code="window_closed")
    now = now or timezone.now()
    current = WindowDuty.objects.select_for_update().filter(clerk=actor, ended_at__isnull=True).first()
    if current is not None:
        if current.window_id == window.pk:
            return current
        _duty_close(actor, current, now)
    try:
        with transaction.atomic():
            duty = WindowDuty.objects.create(window=window, clerk=actor, started_at=now)
    except IntegrityError:
        raise Conflict(
            _("Someone is already on duty at window %(number)s.") % {"number": window.number}, code="window_taken"
        ) from None
    audit_record(actor=actor, action="hall.duty_start", target=duty, changes={"window": [None, window.number]})
    return duty


def _duty_close(actor: User, duty: WindowDuty, now: datetime) -> None:
    if QueueTicket.objects.filter(window_id=duty.window_id, status__in=AT_WINDOW).exists():
        raise Conflict(_("Finish the number at your window first."), code="number_at_window")
    duty.ended_at = now
    duty.save(update_fields=["ended_at"])
    audit_record(actor=actor, action="hall.duty_end", target=duty, changes={"ended_at": [None, now.isoformat()]})


@transaction.atomic
def duty_end(*, actor: User, now: datetime | None = None) -> None:
    current = WindowDuty.objects.select_for_update().filter(clerk=actor, ended_at__isnull=True).first()
    if current is not None:
        _duty_close(actor, current, now or timezone.now())


def _duty_of(actor: User) -> WindowDuty:
    duty = (
        WindowDuty.objects.select_related("window__group__hall__centre")
        .filter(clerk=actor, ended_at__isnull=True)
        .first()
    )
    if duty is None:
        raise Conflict(_("Sign on at a window first."), code="not_on_duty")
    return duty
