"""The result and the end of a case: the applicant's choice of delivery, 出件 (hand-out), and ending a
case otherwise (撤回 by the applicant, 终止 by the head, archiving)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.cases.models import AWAITING_RESULT_STATUSES, Case, Delivery, DeliveryMethod, Visit
from yiwang.cases.services._common import (
    _applicant_side,
    _authorize,
    _authorize_staff_or_applicant,
    _event,
    _finish,
    _locked,
    _step,
)
from yiwang.cases.workflow import WORKFLOW
from yiwang.core.errors import Conflict, raise_problems

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Window


@transaction.atomic
def case_delivery_choose(*, actor: User | None, case: Case, method: str, address: str = "") -> Case:
    """The applicant says how they want the result: window pickup, express delivery to an address
    (recipient, phone and address in one line), or electronic. Possible until it is handed out."""
    case = _locked(case)
    _authorize_staff_or_applicant(actor, case, "hand_out")
    if case.status not in AWAITING_RESULT_STATUSES:
        raise Conflict(_("The result has already been handed out or the case has ended."), code="delivery_closed")
    problems = [] if method in DeliveryMethod.values else [("method", _("Choose how the result is handed out."))]
    if method == DeliveryMethod.EXPRESS and len(address.strip()) < 8:
        problems.append(("address", _("Give the recipient, a phone number and the full address.")))
    raise_problems(problems)
    old = {"method": case.delivery_choice}
    case.delivery_choice = method
    case.delivery_address = address.strip()[:300] if method == DeliveryMethod.EXPRESS else ""
    case.save(update_fields=["delivery_choice", "delivery_address"])
    _event(case, actor, "delivery_choose", case.status, case.status, "", method=method)
    audit_record(actor=actor, action="cases.delivery_choose", target=case, changes={"method": [old["method"], method]})
    return case


@transaction.atomic
def case_hand_out(
    *,
    actor: User | None,
    case: Case,
    method: str,
    recipient: str = "",
    address: str = "",
    carrier: str = "",
    waybill: str = "",
    window: Window | None = None,
) -> Case:
    """出件: window pickup (recorded, a visit), express delivery (carrier and waybill) or electronic."""
    problems = [] if method in DeliveryMethod.values else [("method", _("Choose how the result is handed out."))]
    if method == DeliveryMethod.EXPRESS:
        problems += [
            (f, _("This field is required."))
            for f, v in (("carrier", carrier), ("waybill", waybill), ("address", address))
            if not v.strip()
        ]
    if method == DeliveryMethod.PICKUP and not recipient.strip():
        problems.append(("recipient", _("Who collected the result?")))
    raise_problems(problems)
    case, old, new = _step(actor, case, "hand_out")
    Delivery.objects.create(
        case=case,
        method=method,
        recipient=recipient.strip(),
        address=address.strip(),
        carrier=carrier.strip(),
        waybill=waybill.strip(),
    )
    if method == DeliveryMethod.PICKUP:
        case.visits += 1
        Visit.objects.create(case=case, window=window, purpose="pickup")
    detail = _("%(carrier)s waybill %(waybill)s") % {"carrier": carrier, "waybill": waybill} if waybill else ""
    return _finish(case, actor, "hand_out", old, new, _("result handed out"), detail, method=method)


@transaction.atomic
def case_withdraw(*, actor: User | None, case: Case, reason: str = "") -> Case:
    """撤回 by the applicant (their own account, or a clerk for them at the window)."""
    case = _locked(case)
    if actor is None or not _applicant_side(actor, case):
        _authorize(actor, case, "withdraw")
    old = case.status
    case.status = WORKFLOW.target(old, "withdraw")
    case.closed_at = timezone.now()
    return _finish(case, actor, "withdraw", old, case.status, _("withdrawn"), reason.strip())


@transaction.atomic
def case_terminate(*, actor: User | None, case: Case, reason: str) -> Case:
    """终止 by the department head (e.g. the applicant died or the company was dissolved)."""
    raise_problems([] if reason.strip() else [("reason", _("This field is required."))])
    case, old, new = _step(actor, case, "terminate")
    case.closed_at = timezone.now()
    return _finish(case, actor, "terminate", old, new, _("terminated"), reason.strip())


@transaction.atomic
def case_close(*, actor: User | None, case: Case) -> Case:
    case, old, new = _step(actor, case, "close")
    case.closed_at = timezone.now()
    return _finish(case, actor, "close", old, new, _("closed"))
