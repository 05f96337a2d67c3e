"""投标保证金: the centre records each bidder's security before the deadline, the project's steps release
it, the centre refunds it with interest within 5 days (招标投标法实施条例 §26, §57; 政府采购法实施条例 §33),
and an overdue refund is a card for the supervisor (``trading.services.supervision``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.choices import AccountKind
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, raise_problems
from yiwang.core.fields import Problem, text_problems
from yiwang.trading import rules
from yiwang.trading.models import (
    BidSecurity,
    Candidate,
    Lot,
    ProjectKind,
    ProjectStatus,
    SecurityForm,
    SecurityStatus,
    TradingProject,
)
from yiwang.trading.services._common import operator_authorize, project_locked
from yiwang.trading.workflow import SECURITY

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def _yuan(value: Decimal | str, field: str, most: Decimal) -> tuple[list[Problem], Decimal]:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return [(field, _("Enter an amount in yuan, at most two decimals."))], Decimal(0)
    if not amount.is_finite() or amount < 0 or amount > most or amount != amount.quantize(Decimal("0.01")):
        return [(field, _("Enter an amount in yuan, at most two decimals."))], Decimal(0)
    return [], amount


@transaction.atomic
def security_record(
    *, actor: User, lot: Lot, bidder: User, amount: Decimal | str, form: str, reference: str
) -> BidSecurity:
    """The centre records a security as received: before the deadline, the amount the documents ask
    (never above 2% of the estimate, 招标投标法实施条例 §26), from a company's account."""
    project = lot.project
    operator_authorize(actor, project)
    problems, value = _yuan(amount, "amount", Decimal("99999999999999.99"))
    problems += text_problems(reference, "reference", max_length=64, required=True)
    if form not in SecurityForm.values:
        problems.append(("form", _("Choose how the security was given.")))
    if bidder.kind != AccountKind.LEGAL_PERSON:
        problems.append(("bidder", _("Bid securities come from a company's account.")))
    raise_problems(problems)
    project = project_locked(project)
    lot = Lot.objects.get(pk=lot.pk, project=project)
    if project.status not in (ProjectStatus.BIDDING, ProjectStatus.PAUSED):
        raise Conflict(_("Securities are received while the tender is open."), code="project_status")
    if not lot.bid_security:
        raise Conflict(_("This lot asks for no bid security."), code="no_security_required")
    if value != lot.bid_security:
        raise_problems(
            [("amount", _("The documents ask for %(amount)s yuan for this lot.") % {"amount": lot.bid_security})]
        )
    try:
        with transaction.atomic():
            security = BidSecurity.objects.create(
                lot=lot,
                bidder=bidder,
                amount=value,
                form=form,
                reference=reference.strip(),
                received_at=timezone.now(),
                recorded_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("This bidder's security for the lot is already recorded."), code="security_recorded") from None
    audit_record(actor=actor, action="trading.security_record", target=security, changes={"amount": str(value)})
    return security


def _held(project: TradingProject) -> QuerySet[BidSecurity]:
    return BidSecurity.objects.filter(lot__project=project, status=SecurityStatus.HELD, refund_due__isnull=True)


def award_release(project: TradingProject) -> int:
    """At the award (in its transaction): in procurement the securities of the lots a supplier did not
    win, 5 working days after the award notice (政府采购法实施条例 §33); tendering waits for the contract."""
    if project.kind != ProjectKind.PROCUREMENT:
        return 0
    won = set(Candidate.objects.filter(project=project, awarded=True).values_list("lot", "bid__bidder"))
    losers = [pk for pk, lot, bidder in _held(project).values_list("pk", "lot", "bidder") if (lot, bidder) not in won]
    return BidSecurity.objects.filter(pk__in=losers).update(refund_due=_due(timezone.localdate(), True))


def contract_release(project: TradingProject) -> int:
    """At the contract: every security still held, 5 days after it (招标投标法实施条例 §57; 5 working days
    in procurement)."""
    return _held(project).update(refund_due=_due(timezone.localdate(), project.kind == ProjectKind.PROCUREMENT))


def end_release(project: TradingProject) -> int:
    """A failed or terminated tender: at once, within 5 days (§31: refunded without delay; the 5 days are
    the platform's reading of it)."""
    return _held(project).update(refund_due=_due(timezone.localdate(), project.kind == ProjectKind.PROCUREMENT))


def withdrawal_release(lot: Lot, bidder: User) -> int:
    """A bid withdrawn before the deadline: its security within 5 days of the notice (招标投标法实施条例
    §35; a new bid for the lot needs a new security)."""
    held = BidSecurity.objects.filter(lot=lot, bidder=bidder, status=SecurityStatus.HELD, refund_due__isnull=True)
    procurement = lot.project.kind == ProjectKind.PROCUREMENT
    return held.update(refund_due=_due(timezone.localdate(), procurement))


def lots_release(lots: list[Lot]) -> int:
    """Lots not opened for want of bids (招标投标法实施条例 §44) release their securities."""
    held = BidSecurity.objects.filter(lot__in=lots, status=SecurityStatus.HELD, refund_due__isnull=True)
    procurement = bool(lots) and lots[0].project.kind == ProjectKind.PROCUREMENT
    return held.update(refund_due=_due(timezone.localdate(), procurement))


def _due(start: date, procurement: bool) -> date:
    if procurement:
        return rules.working_day_due(start, rules.SECURITY_REFUND_DAYS)
    return start + timedelta(days=rules.SECURITY_REFUND_DAYS)


@transaction.atomic
def security_refund(*, actor: User, security: BidSecurity, interest: Decimal | str = Decimal(0)) -> BidSecurity:
    """退还 with the bank's interest for the period (§57), once a step released it."""
    project = security.lot.project
    operator_authorize(actor, project)
    problems, value = _yuan(interest, "interest", Decimal("9999999999.99"))
    raise_problems(problems)
    project = project_locked(project, while_suspended=True)
    security = BidSecurity.objects.select_for_update().get(pk=security.pk)
    SECURITY.require(security.status, "refund")
    if security.refund_due is None:
        raise Conflict(
            _("The security is released by the award, the contract or the end of the tender."), code="security_held"
        )
    if value > security.amount:
        raise_problems([("interest", _("The interest cannot exceed the security itself."))])
    security.status = SECURITY.target(security.status, "refund")
    security.interest, security.refunded_at, security.closed_by = value, timezone.now(), actor
    security.save(update_fields=["status", "interest", "refunded_at", "closed_by"])
    late = timezone.localdate(security.refunded_at) > security.refund_due
    audit_record(
        actor=actor, action="trading.security_refund", target=security, changes={"interest": str(value), "late": late}
    )
    return security


def securities_forfeit_of(candidate: Candidate, actor: User, reason: str) -> int:
    """不予退还 (招标投标法实施条例 §74): the declining winner's security for the lot, in the tenderer's
    ``award_void`` transaction."""
    held = BidSecurity.objects.select_for_update().filter(
        lot_id=candidate.lot_id, bidder_id=candidate.bid.bidder_id, status=SecurityStatus.HELD
    )
    forfeited = 0
    for security in held:
        security.status = SECURITY.target(security.status, "forfeit")
        security.note, security.refunded_at, security.closed_by = reason, timezone.now(), actor
        security.save(update_fields=["status", "note", "refunded_at", "closed_by"])
        audit_record(actor=actor, action="trading.security_forfeit", target=security, changes={"reason": reason})
        forfeited += 1
    return forfeited
