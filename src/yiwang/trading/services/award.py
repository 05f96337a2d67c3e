"""定标 and the contract (docs/trading.md §6a, §4a): the award lot by lot in the order the law allows, the
platform's signed award record, a winner's declining that voids its award, and a contract per awarded lot
(招标投标法 §45, §46; 招标投标法实施条例 §55, §74; 政府采购法实施条例 §43, §49, §50)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.fields import text_problems
from yiwang.trading import rules
from yiwang.trading.models import (
    AwardRecord,
    Candidate,
    Contract,
    Lot,
    Objection,
    ProjectKind,
    ProjectStatus,
    TradingProject,
)
from yiwang.trading.selectors import is_tenderer
from yiwang.trading.services._common import event_record, platform_sign, project_locked, stamp
from yiwang.trading.services.evaluation import _points
from yiwang.trading.services.securities import (
    award_release,
    contract_release,
    securities_forfeit_of,
)
from yiwang.trading.workflow import PROJECT

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def _award_allowed(project: TradingProject) -> None:
    """A tender awards after its candidates' publicity with no objection open (招标投标法实施条例 §54); a
    procurement as soon as the purchaser has the report."""
    if project.status == ProjectStatus.DELIVERED:
        return
    assert project.publicity_until is not None
    if timezone.now() < project.publicity_until:
        raise Conflict(_("The candidates' publicity has not ended."), code="publicity_running")
    if Objection.objects.filter(project=project, answered_at__isnull=True).exists():
        raise Conflict(
            _("An objection to the candidates awaits its answer (招标投标法实施条例 §54)."), code="objection_open"
        )


@transaction.atomic
def award(*, actor: User, candidate: Candidate) -> Candidate:
    """定标, lot by lot: the tenderer chooses after the publicity, no objection open; a state-funded project
    takes the first candidate (招标投标法实施条例 §55), a procurement the candidates in the report's order
    (政府采购法实施条例 §43: the first, as long as it has not withdrawn). The project is awarded — the notice
    issued, the securities released — once every lot with candidates has its winner."""
    project = project_locked(candidate.project)
    if not is_tenderer(actor, project, principal=True):
        raise PermissionDenied(_("The tenderer decides the award."), code="not_the_tenderer")
    PROJECT.require(project.status, "award")
    _award_allowed(project)
    candidate = Candidate.objects.select_related("bid__bidder").get(pk=candidate.pk)
    if candidate.declined:
        raise Conflict(_("This candidate has declined the award."), code="candidate_declined")
    # The first is the first who has not declined (§55: then the next in the committee's order).
    first = Candidate.objects.filter(lot=candidate.lot_id, declined=False).order_by("rank").first()
    in_order = first is not None and first.pk == candidate.pk
    if project.state_funded and not in_order:
        raise Conflict(
            _("A state-funded project awards the first candidate (招标投标法实施条例 §55)."), code="first_candidate"
        )
    if project.kind == ProjectKind.PROCUREMENT and not in_order:
        raise Conflict(
            _("A procurement awards the candidates in the report's order (政府采购法实施条例 §43)."),
            code="first_candidate",
        )
    candidates = Candidate.objects.filter(project=project)
    if candidates.filter(lot=candidate.lot_id, awarded=True).exists():
        raise Conflict(_("This lot has been awarded."), code="lot_awarded")
    Candidate.objects.filter(pk=candidate.pk).update(awarded=True)
    candidate.awarded = True
    bidder = candidate.bid.bidder.get_full_name()
    audit_record(actor=actor, action="trading.award", target=project, changes={"bid": candidate.bid_id})
    waiting = candidates.exclude(lot__in=candidates.filter(awarded=True).values("lot")).exists()
    if waiting:  # another lot still to award: the project stays in its publicity
        event_record(project, "award_lot", actor=actor, before=project.status, note=bidder)
        return candidate
    before = project.status
    project.status = PROJECT.target(project.status, "award")
    project.awarded_at = timezone.now()
    project.save(update_fields=["status", "awarded_at"])
    _award_sign(project)
    award_release(project)
    # The purchaser decides within 5 working days of receiving the report (政府采购法实施条例 §43); the
    # platform issues the notice of award and publishes the result at this moment, inside the 2 days.
    late = project.delivered_at is not None and project.awarded_at > rules.working_days_after(
        project.delivered_at, rules.DECISION_WORKING_DAYS
    )
    event_record(project, "award", actor=actor, before=before, note=f"late · {bidder}" if late else bidder)
    return candidate


def _award_sign(project: TradingProject) -> AwardRecord:
    """The award the platform signs once every lot has its winner: what the notice of award states and
    the announcement publishes (招标投标法 §45; 政府采购法实施条例 §43), verifiable with the region's
    public key (``/api/v1/trading/platform-keys``)."""
    assert project.awarded_at is not None
    winners = Candidate.objects.filter(project=project, awarded=True).select_related("lot", "bid__bidder")
    content = {
        "project": project.code,
        "kind": project.kind,
        "method": project.method,
        "awarded_at": stamp(project.awarded_at),
        "lots": [
            {
                "lot": c.lot.number,
                "winner": c.bid.bidder.get_full_name(),
                "credit_code": c.bid.bidder.credit_code,
                "price": str(c.price),
                "rank": c.rank,
            }
            for c in sorted(winners, key=lambda c: c.lot.number)
        ],
    }
    text, signature, key = platform_sign(project.region, content)
    # One live record: any earlier one still live is superseded by this award.
    AwardRecord.objects.filter(project=project, voided_at__isnull=True).update(voided_at=timezone.now())
    return AwardRecord.objects.create(project=project, content=text, signature=signature, key=key)


@transaction.atomic
def award_void(*, actor: User, candidate: Candidate, reason: str) -> Candidate:
    """The winner declines the award or refuses to sign the contract (招标投标法实施条例 §74): its award is
    void and its bid security forfeited; the tenderer may award the next candidate in the committee's order
    (§55) — the project returns to its publicity's end."""
    project = project_locked(candidate.project)
    if not is_tenderer(actor, project, principal=True):
        raise PermissionDenied(_("The tenderer records that its winner declined."), code="not_the_tenderer")
    raise_problems(text_problems(reason, "reason", max_length=300, required=True))
    PROJECT.require(project.status, "award_void")
    candidate = Candidate.objects.select_related("bid__bidder", "lot").get(pk=candidate.pk)
    if not candidate.awarded:
        raise Conflict(_("Only the winner's award can be void."), code="not_the_winner")
    Candidate.objects.filter(pk=candidate.pk).update(awarded=False, declined=True)
    candidate.awarded, candidate.declined = False, True
    AwardRecord.objects.filter(project=project, voided_at__isnull=True).update(voided_at=timezone.now())
    securities_forfeit_of(candidate, actor, reason.strip())
    before = project.status
    # A procurement goes back to its purchaser; a tender (or a procurement published before procurement
    # stopped publishing candidates) to the end of its publicity.
    delivered = project.kind == ProjectKind.PROCUREMENT and project.publicity_from is None
    back = ProjectStatus.DELIVERED if delivered else ProjectStatus.PUBLICITY
    project.status = PROJECT.target(project.status, "award_void", to=back)
    project.awarded_at = None
    if back == ProjectStatus.DELIVERED:  # the purchaser decides again: its 5 working days start afresh
        project.delivered_at = timezone.now()
    project.save(update_fields=["status", "awarded_at", "delivered_at"])
    event_record(project, "award_void", actor=actor, before=before, note=candidate.bid.bidder.get_full_name())
    audit_record(actor=actor, action="trading.award_void", target=project, changes={"bid": candidate.bid_id})
    return candidate


@transaction.atomic
def contract_sign(
    *, actor: User, project: TradingProject, amount: Decimal | str, signed_on: date, lot: Lot | None = None
) -> TradingProject:
    """合同, lot by lot (招标投标法 §46): within 30 days of the award, for the lot winner's evaluated price —
    the bid's, or its final quote. ``lot`` may be left out where one lot is awarded. The project is
    contracted once every awarded lot has its contract; a late one is recorded for the supervisor, in
    procurement also one recorded (and so published) more than 2 working days after its signing
    (政府采购法实施条例 §50)."""
    project = project_locked(project)
    if not is_tenderer(actor, project, principal=True):
        raise PermissionDenied(_("The tenderer records the contract."), code="not_the_tenderer")
    PROJECT.require(project.status, "contract")
    winners = {c.lot_id: c for c in Candidate.objects.filter(project=project, awarded=True).select_related("lot")}
    open_lots = [c for lot_id, c in winners.items() if not Contract.objects.filter(lot_id=lot_id).exists()]
    if lot is None and len(open_lots) == 1:
        winner = open_lots[0]
    elif lot is not None and lot.pk in winners:
        winner = winners[lot.pk]
    else:
        raise_problems([("lot", _("Choose the awarded lot whose contract this is."))])
    if Contract.objects.filter(lot_id=winner.lot_id).exists():
        raise Conflict(_("This lot's contract is recorded."), code="lot_contracted")
    more, value = _points(amount, "amount", Decimal("99999999999999.99"))
    if more:
        raise_problems([("amount", _("Enter an amount in yuan, at most two decimals."))])
    if value != winner.price:
        raise ValidationFailed(
            _("The contract follows the winning bid: %(price)s yuan (招标投标法 §46).") % {"price": winner.price},
            code="contract_departs_from_bid",
        )
    assert project.awarded_at is not None
    if signed_on < timezone.localdate(project.awarded_at) or signed_on > timezone.localdate():
        raise_problems([("signed_on", _("The contract is signed between the award and today."))])
    late = signed_on > timezone.localdate(rules.contract_due(project.awarded_at))
    if project.kind == ProjectKind.PROCUREMENT:  # published on recording: within 2 working days of signing (§50)
        published_by = rules.working_days_after_day(signed_on, rules.CONTRACT_PUBLISHED_WORKING_DAYS)
        late = late or timezone.now() > published_by
    Contract.objects.create(
        project=project, lot=winner.lot, candidate=winner, amount=value, signed_on=signed_on, late=late
    )
    contracts = list(Contract.objects.filter(project=project))
    project.contract_amount = sum((c.amount for c in contracts), Decimal(0))
    project.contract_signed_on = max(c.signed_on for c in contracts)
    audit_record(
        actor=actor,
        action="trading.contract_sign",
        target=project,
        changes={"lot": winner.lot.number, "amount": str(value), "late": late},
    )
    if len(contracts) < len(winners):  # another lot's contract still to come: the project stays awarded
        project.save(update_fields=["contract_amount", "contract_signed_on"])
        event_record(project, "contract_lot", actor=actor, before=project.status, note="late" if late else "")
        return project
    before = project.status
    project.status = PROJECT.target(project.status, "contract")
    project.save(update_fields=["status", "contract_amount", "contract_signed_on"])
    contract_release(project)
    event_record(project, "contract", actor=actor, before=before, note="late" if late else "")
    return project
