"""Reads of the trading context. What the public may see is published projects and, once the bids are
closed, who bid and the receipts (招标投标法 §22: before that not even the number of bidders is told);
prices only after the opening. Bidders see their own bids; the centre and the supervisor their region's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import can, scope_filter
from yiwang.accounts.roles import Role
from yiwang.core.errors import NotFound
from yiwang.trading.envelope import merkle_proof
from yiwang.trading.models import (
    Alert,
    AwardRecord,
    Bid,
    BidReceipt,
    BidSecurity,
    BidStatus,
    Candidate,
    Complaint,
    Contract,
    Draw,
    DrawPick,
    ExclusionReason,
    FinalQuote,
    KeyPurpose,
    KeyShare,
    NegotiationRecord,
    Objection,
    PartyKey,
    PickStatus,
    PlatformKey,
    ProjectEvent,
    ProjectKind,
    ProjectStatus,
    QuoteRound,
    QuoteStatus,
    SingleSourcePublicity,
    TenderDocument,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of

if TYPE_CHECKING:
    from yiwang.accounts.models import User

UNPUBLISHED = (ProjectStatus.DRAFT, ProjectStatus.CANCELLED)
# From here on the bids are closed: who bid and the receipts are public.
CLOSED_OR_LATER = frozenset(ProjectStatus.values) - {ProjectStatus.DRAFT, ProjectStatus.BIDDING, ProjectStatus.PAUSED}
STAFF_ROLES = {Role.TRADING_OFFICER, Role.SUPERVISOR}


def projects_published(*, kind: str = "", status: str = "", query: str = "") -> QuerySet[TradingProject]:
    """交易信息: every project whose notice is out, newest first — and before them the single sources in
    their publicity (政府采购法实施条例 §38), which are public before any notice."""
    notice_out = Q(published_at__isnull=False) & ~Q(status__in=UNPUBLISHED)
    projects = TradingProject.objects.filter(notice_out | Q(status=ProjectStatus.DRAFT, single_source__isnull=False))
    if kind:
        projects = projects.filter(kind=kind)
    if status:
        projects = projects.filter(status=status)
    if query.strip():
        words = query.strip()[:100]
        projects = projects.filter(Q(title__icontains=words) | Q(code__icontains=words))
    return projects.select_related("region", "supervising_department", "tenderer_department").order_by(
        F("published_at").desc(nulls_first=True), "-pk"
    )


def project_published(code: str) -> TradingProject:
    project = projects_published().filter(code=code[:32]).prefetch_related("lots").first()
    if project is None:
        raise NotFound(_("No published project has this code."), code="not_found")
    return project


def projects_for_staff(user: User) -> QuerySet[TradingProject]:
    """The projects of the regions the centre's officers and the supervisors work in."""
    return scope_filter(TradingProject.objects.all(), user, STAFF_ROLES, department_field=None).select_related(
        "region", "supervising_department"
    )


def project_for_staff(user: User, code: str) -> TradingProject:
    project = projects_for_staff(user).filter(code=code[:32]).first()
    if project is None:
        raise NotFound(_("No project of yours has this code."), code="not_found")
    return project


def documents_of(project: TradingProject) -> QuerySet[TenderDocument]:
    return TenderDocument.objects.filter(project=project).order_by("version")


def events_of(project: TradingProject) -> QuerySet[ProjectEvent]:
    return ProjectEvent.objects.filter(project=project).select_related("actor").order_by("at", "pk")


def bids_closed(project: TradingProject) -> bool:
    return project.status in CLOSED_OR_LATER


def receipts_public(project: TradingProject) -> QuerySet[BidReceipt]:
    """Every receipt in order, once the bids are closed (anyone recomputes the published root)."""
    if not bids_closed(project):
        return BidReceipt.objects.none()
    return BidReceipt.objects.filter(project=project).select_related("key").order_by("sequence")


def receipt_proof(project: TradingProject, sequence: int) -> tuple[BidReceipt, list[str], int]:
    """A receipt with its audit path under the closing's root: (receipt, proof, tree size)."""
    receipts = list(receipts_public(project))
    if not 1 <= sequence <= len(receipts):
        raise NotFound(_("No published receipt has this number."), code="not_found")
    leaves = [r.content.encode() for r in receipts]
    return receipts[sequence - 1], merkle_proof(leaves, sequence - 1), len(leaves)


def prices_public(project: TradingProject) -> bool:
    """A tender's prices are read out at the opening (招标投标法 §36); in the non-tender methods no supplier
    may learn another's price while they negotiate (政府采购法 §38(4)): public with the result."""
    return procedure_of(project.method).tender or project.status in (ProjectStatus.AWARDED, ProjectStatus.CONTRACTED)


def bids_public(project: TradingProject) -> list[Bid]:
    """The opening's bids as the public and the other bidders see them: without prices or offered
    figures where ``prices_public`` says they are not yet public."""
    bids = list(bids_opened(project))
    if not prices_public(project):
        for bid in bids:
            bid.price, bid.figures = None, {}
    return bids


def bids_opened(project: TradingProject) -> QuerySet[Bid]:
    """The opening's bids as everyone attending sees them (withdrawn and replaced ones left out)."""
    if not bids_closed(project):
        return Bid.objects.none()
    return (
        Bid.objects.filter(project=project)
        .exclude(status__in=(BidStatus.REPLACED, BidStatus.WITHDRAWN))
        .select_related("lot", "bidder")
        .order_by("lot__number", "submitted_at")
    )


def bids_of_bidder(user: User, project: TradingProject) -> QuerySet[Bid]:
    return (
        Bid.objects.filter(project=project, bidder=user)
        .select_related("lot")
        .prefetch_related("receipts")
        .order_by("-submitted_at")
    )


def bid_of_bidder(user: User, bid_id: int) -> Bid:
    bid = Bid.objects.filter(pk=bid_id, bidder=user).select_related("project", "lot").first()
    if bid is None:
        raise NotFound(_("You have no bid with this number."), code="not_found")
    return bid


def platform_keys() -> QuerySet[PlatformKey]:
    """The public halves that verify receipts, closings and opening records (private halves never leave)."""
    return PlatformKey.objects.select_related("region").only(
        "region__code", "region__name", "public_key", "fingerprint", "created_at", "retired_at"
    )


def custodians_named(usernames: list[str]) -> list[User]:
    """The accounts among ``usernames`` (the service checks that each has a live custodian key)."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(username__in=[name[:150] for name in usernames]))


def keys_of(user: User) -> QuerySet[PartyKey]:
    return PartyKey.objects.filter(owner=user).order_by("purpose", "-created_at")


def bidder_key(user: User) -> PartyKey | None:
    return PartyKey.objects.filter(owner=user, purpose=KeyPurpose.BIDDER, revoked_at__isnull=True).first()


def is_custodian(user: User, project: TradingProject) -> bool:
    return KeyShare.objects.filter(opening_key__project=project, custodian=user).exists()


def custodian_candidates() -> QuerySet[PartyKey]:
    """Accounts with a live custodian key, to be named on a project's opening key."""
    return (
        PartyKey.objects.filter(purpose=KeyPurpose.CUSTODIAN, revoked_at__isnull=True)
        .select_related("owner")
        .order_by("owner__full_name", "owner__username")
    )


def objections_of(project: TradingProject) -> QuerySet[Objection]:
    return Objection.objects.filter(project=project).order_by("raised_at")


def objection_get(objection_id: int) -> Objection:
    objection = Objection.objects.filter(pk=objection_id).select_related("project").first()
    if objection is None:
        raise NotFound(_("No objection has this number."), code="not_found")
    return objection


def is_tenderer(user: User, project: TradingProject, *, principal: bool = False) -> bool:
    """The tenderer's side: its company account or agency, or a head or administrator of its department.
    ``principal``: the tenderer itself, without its agency — who decides the award, signs the contract
    and terminates (docs/trading.md §1: the agency acts on the documents and answers only)."""
    if user.pk == project.tenderer_company_id or (not principal and user.pk == project.agency_id):
        return True
    department = project.tenderer_department
    return department is not None and can(user, {Role.DEPT_HEAD, Role.DEPT_ADMIN}, department=department)


@dataclass(frozen=True)
class DrawView:
    """A draw as the centre's page shows it: the picks by rank and status, names sealed until the
    evaluation starts (the supervisor verifies the draw)."""

    draw: Draw
    picks: list[DrawPick]
    exclusions: dict[str, int]
    verified: bool


def draws_of(project: TradingProject) -> list[DrawView]:
    from yiwang.trading.services.draw import draw_verify

    views = []
    for draw in Draw.objects.filter(project=project).select_related("project__closing").order_by("drawn_at"):
        exclusions: dict[str, int] = {}
        for reason in draw.exclusions.values_list("reason", flat=True):
            label = str(ExclusionReason(reason).label)
            exclusions[label] = exclusions.get(label, 0) + 1
        picks = list(draw.picks.select_related("expert").order_by("rank"))
        views.append(DrawView(draw, picks, exclusions, draw_verify(draw)))
    return views


def bid_for_scoring(bid_id: int) -> Bid:
    bid = Bid.objects.filter(pk=bid_id).select_related("project", "lot").first()
    if bid is None:
        raise NotFound(_("No bid has this number."), code="not_found")
    return bid


def candidates_public(project: TradingProject) -> QuerySet[Candidate]:
    """The candidates from their publication on (none before); a procurement's from its result's
    announcement at the award (政府采购法实施条例 §43)."""
    if project.publicity_from is None and project.awarded_at is None:
        return Candidate.objects.none()
    return (
        Candidate.objects.filter(project=project).select_related("lot", "bid__bidder").order_by("lot__number", "rank")
    )


def candidate_get(candidate_id: int) -> Candidate:
    candidate = Candidate.objects.filter(pk=candidate_id).select_related("project", "lot", "bid__bidder").first()
    if candidate is None:
        raise NotFound(_("No candidate has this number."), code="not_found")
    return candidate


AWARDED = (ProjectStatus.AWARDED, ProjectStatus.CONTRACTED)


def award_winners(project: TradingProject) -> list[Candidate]:
    """The awarded candidates, one per lot awarded; none before the award."""
    if project.status not in AWARDED:
        return []
    return list(
        Candidate.objects.filter(project=project, awarded=True)
        .select_related("lot", "bid__bidder")
        .order_by("lot__number")
    )


def may_see_award_notice(user: User, project: TradingProject, winners: list[Candidate]) -> bool:
    """中标通知书 (招标投标法 §45) is the winning bidder's, the tenderer's side (is_tenderer) and the
    centre's officers' and supervisors' of the project's region (as project_for_staff); no one else's,
    a losing bidder included."""
    return bool(winners) and (
        any(candidate.bid.bidder_id == user.pk for candidate in winners)
        or is_tenderer(user, project)
        or projects_for_staff(user).filter(pk=project.pk).exists()
    )


def contracts_of(project: TradingProject) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(project=project).select_related("lot", "candidate__bid__bidder").order_by("lot__number")
    )


def award_records_of(project: TradingProject) -> QuerySet[AwardRecord]:
    """The signed awards of a project, the live one last (voided ones stay, marked)."""
    return AwardRecord.objects.filter(project=project).select_related("key").order_by("signed_at", "pk")


def award_record_live(project: TradingProject) -> AwardRecord | None:
    return AwardRecord.objects.filter(project=project, voided_at__isnull=True).select_related("key").first()


def award_notice_of(user: User, code: str) -> tuple[TradingProject, list[Candidate]]:
    """An awarded project and its winners, for those who may see its award notice; not found before the
    award, and for anyone else (whether the notice exists is not told)."""
    project = project_published(code)
    winners = award_winners(project)
    if not winners:
        raise NotFound(_("This project has not been awarded yet: it has no award notice."), code="not_awarded")
    if not may_see_award_notice(user, project, winners):
        raise NotFound(_("No award notice of yours has this project code."), code="not_found")
    return project, winners


# --- complaints, securities and cards -------------------------------------------------------------------


def complaints_for(user: User, project: TradingProject) -> QuerySet[Complaint]:
    """The supervising department's supervisors see every complaint on the project; anyone else — the
    centre included, which a complaint may be about — only their own."""
    complaints = Complaint.objects.filter(project=project).select_related("complainant").order_by("filed_at", "pk")
    if supervises(user, project):
        return complaints
    return complaints.filter(complainant=user)


def complaint_for(user: User, complaint_id: int) -> Complaint:
    complaint = Complaint.objects.select_related("project").filter(pk=complaint_id).first()
    if complaint is None or not complaints_for(user, complaint.project).filter(pk=complaint.pk).exists():
        raise NotFound(_("No complaint of yours has this number."), code="not_found")
    return complaint


def objections_of_raiser(user: User, project: TradingProject) -> QuerySet[Objection]:
    return Objection.objects.filter(project=project, raised_by=user).order_by("raised_at")


def securities_of(project: TradingProject) -> QuerySet[BidSecurity]:
    return BidSecurity.objects.filter(lot__project=project).select_related("lot", "bidder").order_by("lot", "pk")


def security_for_staff(user: User, security_id: int) -> BidSecurity:
    security = BidSecurity.objects.select_related("lot__project").filter(pk=security_id).first()
    if security is None or not projects_for_staff(user).filter(pk=security.lot.project_id).exists():
        raise NotFound(_("No bid security of your region has this number."), code="not_found")
    return security


def alerts_for_staff(user: User) -> QuerySet[Alert]:
    return Alert.objects.filter(project__in=projects_for_staff(user)).select_related("project")


def alert_counts(projects: list[TradingProject]) -> dict[int, dict[str, int]]:
    """Yellow and red cards per project, for the staff list."""
    rows = (
        Alert.objects.filter(project__in=projects)
        .order_by()
        .values("project")
        .annotate(yellow=Count("pk", filter=Q(colour="yellow")), red=Count("pk", filter=Q(colour="red")))
    )
    return {r["project"]: {"yellow": r["yellow"], "red": r["red"]} for r in rows}


def company_by_credit_code(code: str) -> User | None:
    from yiwang.accounts.selectors import account_by_document

    return account_by_document(id_type="credit_code", number=code[:32])


def dissents_of(project: TradingProject) -> list[tuple[int, str]]:
    """The committee members' written dissents (招标投标法实施条例 §53), by rank, without their names."""
    from yiwang.trading.models import ReportSignature

    signatures = ReportSignature.objects.filter(project=project).exclude(dissent="").select_related("pick")
    return sorted((s.pick.rank, s.dissent) for s in signatures)


def next_deadline(project: TradingProject) -> tuple[str, datetime | None]:
    """The step the project waits for and its legal deadline, for the supervisor's list (电子监管)."""
    from yiwang.trading import rules

    waits: dict[str, tuple[str, datetime | None]] = {
        ProjectStatus.BIDDING: (_("bids close"), project.bid_deadline),
        ProjectStatus.PAUSED: (_("objections answered"), project.bid_deadline),
        ProjectStatus.CLOSED: (_("opening"), project.bid_deadline),
        ProjectStatus.REPORTED: (
            _("candidates published"),
            rules.candidates_publish_by(project.reported_at) if project.reported_at else None,
        )
        if project.kind != ProjectKind.PROCUREMENT
        else (
            _("report delivered to the purchaser"),
            rules.working_days_after(project.reported_at, rules.REPORT_WORKING_DAYS) if project.reported_at else None,
        ),
        ProjectStatus.PUBLICITY: (_("publicity ends"), project.publicity_until),
        ProjectStatus.DELIVERED: (
            _("purchaser decides"),
            rules.working_days_after(project.delivered_at, rules.DECISION_WORKING_DAYS)
            if project.delivered_at
            else None,
        ),
        ProjectStatus.AWARDED: (
            _("contract signed"),
            rules.contract_due(project.awarded_at) if project.awarded_at else None,
        ),
    }
    return waits.get(project.status, ("", None))


def criteria_of(project: TradingProject) -> list[Any]:
    from yiwang.trading.models import Criterion

    return list(Criterion.objects.filter(project=project).order_by("order"))


def invitations_of(project: TradingProject) -> list[Any]:
    """The invited companies (for the centre and the supervisor only: 招标投标法 §22 keeps them secret)."""
    from yiwang.trading.models import Invitation

    return list(Invitation.objects.filter(project=project).select_related("company").order_by("rank"))


def supervises(user: User, project: TradingProject) -> bool:
    """Whether ``user`` is a supervisor of the project's supervising department, in its region. The
    platform's supervisor grants are region-wide (电子监察 watches every department); in trading only the
    department that supervises the kind acts (管办分离, docs/trading.md §1)."""
    return supervisor_in(user, project.supervising_department_id, project.region.path)


def supervisor_in(user: User, department_id: int, region_path: str = "") -> bool:
    """Whether ``user`` holds the supervisor role in that department (and covers the region, if given)."""
    from yiwang.accounts.selectors import user_role_assignments

    for assignment in user_role_assignments(user=user).filter(role=Role.SUPERVISOR, department_id=department_id):
        if not region_path or assignment.region is None or region_path.startswith(assignment.region.path):
            return True
    return False


# --- the negotiating methods (docs/trading.md §4a) ---------------------------------------------------


def candidates_for(user: User | None, project: TradingProject) -> QuerySet[Candidate]:
    """The candidates as ``user`` may see them: the purchaser of a procurement has them from the report's
    delivery, to decide; everyone else from their publication."""
    if user is not None and project.status == ProjectStatus.DELIVERED and is_tenderer(user, project):
        return (
            Candidate.objects.filter(project=project)
            .select_related("lot", "bid__bidder")
            .order_by("lot__number", "rank")
        )
    return candidates_public(project)


def result_challengeable(project: TradingProject) -> bool:
    """A procurement's result may be challenged for 7 working days after its announcement (政府采购法 §52)."""
    from yiwang.trading import rules

    announced = project.awarded_at
    return (
        project.kind == ProjectKind.PROCUREMENT
        and project.publicity_from is None
        and announced is not None
        and project.status in (ProjectStatus.AWARDED, ProjectStatus.CONTRACTED)
        and timezone.now() <= rules.working_days_after(announced, rules.CHALLENGE_WORKING_DAYS)
    )


def single_source_of(project: TradingProject) -> SingleSourcePublicity | None:
    return SingleSourcePublicity.objects.filter(project=project).select_related("supplier").first()


def quote_round_open(project: TradingProject) -> QuoteRound | None:
    """The round of final quotes under way (at most one: ``trading_one_open_round``)."""
    return QuoteRound.objects.filter(project=project, concluded_at__isnull=True).first()


def quote_rounds_of(project: TradingProject) -> list[QuoteRound]:
    return list(QuoteRound.objects.filter(project=project).prefetch_related("quotes__bid__bidder", "quotes__bid__lot"))


def _reads_every_negotiation(user: User, project: TradingProject) -> bool:
    if can(user, {Role.TRADING_OFFICER}, region=project.region) or supervises(user, project):
        return True
    return DrawPick.objects.filter(draw__project=project, status=PickStatus.CONFIRMED, expert__user=user).exists()


def negotiations_for(user: User | None, project: TradingProject) -> QuerySet[NegotiationRecord]:
    """政府采购法 §38(4): what was said with one supplier is read by that supplier, the panel, the centre
    and the supervisor — never by the other suppliers or the public."""
    records = NegotiationRecord.objects.filter(project=project).select_related("bid__bidder", "bid__lot")
    if user is None:
        return records.none()
    if _reads_every_negotiation(user, project):
        return records
    return records.filter(bid__bidder=user)


def quote_rounds_for(user: User, project: TradingProject) -> list[QuoteRound]:
    """The rounds with what changed in the negotiation (their notes): for the suppliers still in the
    procedure and those who read every negotiation, nobody else (政府采购法 §38(4))."""
    if _reads_every_negotiation(user, project) or quoting_bids_of(user, project):
        return quote_rounds_of(project)
    return []


def final_quote_of_bidder(user: User, quote_id: int) -> FinalQuote:
    quote = FinalQuote.objects.filter(pk=quote_id, bid__bidder=user).select_related("round", "bid").first()
    if quote is None:
        raise NotFound(_("You have no final quote with this number."), code="not_found")
    return quote


def quoting_bids_of(user: User, project: TradingProject) -> list[Bid]:
    """The supplier's opened responses that may still quote (lots not failed)."""
    return list(
        Bid.objects.filter(project=project, bidder=user, status=BidStatus.OPENED, lot__failed=False).select_related(
            "lot"
        )
    )


def final_prices(project: TradingProject) -> dict[int, Decimal] | None:
    """The evaluated price of each bid in the last concluded round (bid pk → price); None when the
    method takes no final quotes."""
    if not procedure_of(project.method).final_quote:
        return None
    last = QuoteRound.objects.filter(project=project, concluded_at__isnull=False).order_by("-number").first()
    if last is None:
        return {}
    opened = FinalQuote.objects.filter(round=last, status=QuoteStatus.OPENED).values_list("bid_id", "price")
    return {bid: price for bid, price in opened if price is not None}
