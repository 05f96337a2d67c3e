"""The nightly watch over the disclosure limits (e-supervision): cards for items near or past §26's 20
working days and replies near or past their §33 due date, the officers told; requests whose requester
let the correction or the fee lapse closed (§30; 国办函〔2020〕109号). Each card is issued once per rule
and due date, so the sweep runs as often as wanted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.roles import Role
from yiwang.accounts.selectors import users_with_role
from yiwang.calendar.workdays import add_working_days
from yiwang.disclosure import clock, rules, selectors
from yiwang.disclosure.choices import AlertColour, AlertRule, ItemStatus, RequestStatus
from yiwang.disclosure.models import DisclosureAlert, DisclosureRequest, ProactiveItem
from yiwang.disclosure.services.replies import request_lapse
from yiwang.notifications.services import notify

if TYPE_CHECKING:
    from yiwang.organisation.models import Department


@dataclass
class SweepResult:
    issued: dict[str, int] = field(default_factory=dict)
    lapsed: int = 0


def _issue(
    result: SweepResult,
    *,
    rule: str,
    colour: str,
    basis: date,
    detail: str,
    body: Department,
    item: ProactiveItem | None = None,
    request: DisclosureRequest | None = None,
    link: str = "",
) -> None:
    try:
        with transaction.atomic():
            DisclosureAlert.objects.create(
                body=body,
                item=item,
                request=request,
                rule=rule,
                colour=colour,
                basis=basis.isoformat(),
                detail=detail[:300],
                issued_at=timezone.now(),
            )
            for officer in users_with_role(roles={Role.DISCLOSURE_OFFICER}, department=body):
                notify(recipient=officer, template="disclosure.alert", context={"detail": detail}, link=link)
    except IntegrityError:
        return  # issued before
    result.issued[rule] = result.issued.get(rule, 0) + 1


def disclosure_sweep(*, today: date | None = None) -> SweepResult:
    today = today or timezone.localdate()
    soon = add_working_days(today, rules.REMINDER_WORKING_DAYS).date
    result = SweepResult()
    waiting = ProactiveItem.objects.filter(
        status__in=[ItemStatus.DRAFT, ItemStatus.IN_REVIEW, ItemStatus.APPROVED], due_on__lte=soon
    ).select_related("body")
    for item in waiting.iterator():
        late = item.due_on < today
        detail = (
            _("%(title)s: not published within 20 working days of %(formed)s (due %(due)s).")
            if late
            else _("%(title)s: to be published by %(due)s.")
        ) % {"title": item.title[:60], "formed": item.formed_on, "due": item.due_on}
        _issue(
            result,
            rule=AlertRule.ITEM_OVERDUE if late else AlertRule.ITEM_NEAR_DUE,
            colour=AlertColour.RED if late else AlertColour.YELLOW,
            basis=item.due_on,
            detail=detail,
            body=item.body,
            item=item,
            link=f"/workbench/disclosure/items/{item.pk}/",
        )
    running = DisclosureRequest.objects.filter(status__in=[RequestStatus.RECEIVED, RequestStatus.CONSULTING])
    for made in running.select_related("body").prefetch_related("events"):
        # The due date afresh: an open consultation pauses the clock only up to its 15 working days.
        due = clock.compute(list(made.events.all()), today=today).due
        if due != made.due_on:
            DisclosureRequest.objects.filter(pk=made.pk).update(due_on=due)
        if due is None or due > soon:
            continue
        late = due < today
        detail = (
            _("%(number)s: the reply was due on %(due)s (§33).")
            if late
            else _("%(number)s: the reply is due on %(due)s.")
        ) % {"number": made.number, "due": due}
        _issue(
            result,
            rule=AlertRule.REPLY_OVERDUE if late else AlertRule.REPLY_NEAR_DUE,
            colour=AlertColour.RED if late else AlertColour.YELLOW,
            basis=due,
            detail=detail,
            body=made.body,
            request=made,
            link=f"/workbench/disclosure/requests/{made.pk}/",
        )
    for made in selectors.lapsing().iterator():
        if request_lapse(request=made) is not None:
            result.lapsed += 1
    return result
