"""What the disclosure services share: who may act for a body, the row locks, and the clock's cache."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from yiwang.accounts.authz import authorize, can
from yiwang.accounts.roles import Role
from yiwang.core.errors import NotFound
from yiwang.disclosure import clock
from yiwang.disclosure.models import ClockEvent, DisclosureRequest, ProactiveItem

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

OFFICER_ROLES = (Role.DISCLOSURE_OFFICER,)
# 保密审查 (§17) and the extension (§33: the head of the disclosure office) are a head's acts.
HEAD_ROLES = (Role.DEPT_HEAD,)
REVIEWER_ROLES = (Role.DISCLOSURE_OFFICER, Role.DEPT_HEAD)
READER_ROLES = (Role.DISCLOSURE_OFFICER, Role.DEPT_HEAD, Role.SUPERVISOR)
# The files as they arrived (letters with their senders' details, originals before redaction) are the
# body's own: its office and its head, never the region's readers.
FILE_ROLES = (Role.DISCLOSURE_OFFICER, Role.DEPT_HEAD)


def officer_authorize(actor: User, body: Department) -> None:
    """The body's disclosure office acts for it; the grant is scoped to the department."""
    authorize(actor, OFFICER_ROLES, department=body)


def may_read_files(actor: User, body: Department) -> bool:
    return can(actor, FILE_ROLES, department=body)


def may_read_body(actor: User, body: Department) -> bool:
    return can(actor, READER_ROLES, department=body)


def item_locked(item: ProactiveItem) -> ProactiveItem:
    return ProactiveItem.objects.select_for_update().select_related("body", "body__region").get(pk=item.pk)


def request_locked(request: DisclosureRequest) -> DisclosureRequest:
    try:
        return DisclosureRequest.objects.select_for_update().select_related("body", "body__region").get(pk=request.pk)
    except DisclosureRequest.DoesNotExist as exc:
        raise NotFound() from exc


def today() -> date:
    return timezone.localdate()


def event_add(
    request: DisclosureRequest, kind: str, *, actor: User | None, on: date | None = None, **fields: object
) -> ClockEvent:
    """Appends the clock event and refreshes the request's cached due date from the whole ledger."""
    event = ClockEvent.objects.create(
        request=request, kind=kind, on=on or today(), at=timezone.now(), actor=actor, **fields
    )
    result = clock.compute(list(request.events.all()), today=today())
    request.due_on = result.due
    request.save(update_fields=["status", "due_on", "replied_on"])
    return event
